import { DurableObject } from "cloudflare:workers";
import { ctxFromEnv } from "../worker/core/context";
import { nextDueAt, publishDue } from "../worker/features/publishing";

/** How long one alarm publishes before handing the rest to the next alarm. */
export const ALARM_BUDGET_MS = 25_000;

/**
 * One object per workspace (named by its id): its alarm fires when the workspace's earliest
 * scheduled post is due. The rows in D1 are the truth (claimed one by one, exactly once); the
 * alarm only says when to look, so a lost or repeated alarm loses or repeats nothing.
 */
export class Publisher extends DurableObject<Env> {
  /** Retention (the workspace's erasure): its alarm and state go; the D1 rows are erased with the workspace. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  private running: Promise<unknown> | null = null;

  /**
   * Re-reads when the next post is due and sets the alarm to it; with `dueAt` (a caller that just
   * made posts due then: the publish executor), sets the alarm no later than that without the read.
   */
  async wake(workspaceId: string, dueAt?: number): Promise<{ nextAt: number | null }> {
    await this.ctx.storage.put("workspace", workspaceId);
    if (dueAt === undefined) return { nextAt: await this.arm(workspaceId) };
    const current = await this.ctx.storage.getAlarm();
    if (current === null || dueAt < current) await this.ctx.storage.setAlarm(Math.max(Date.now(), dueAt));
    return { nextAt: Math.min(dueAt, current ?? dueAt) };
  }

  async status(): Promise<{ workspaceId: string | null; nextAt: number | null }> {
    return { workspaceId: (await this.ctx.storage.get<string>("workspace")) ?? null, nextAt: await this.ctx.storage.getAlarm() };
  }

  private async arm(workspaceId: string): Promise<number | null> {
    const at = await nextDueAt(ctxFromEnv(this.env), workspaceId);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.max(Date.now(), at));
    return at;
  }

  /** Publishes what is due now (also the local "run due now" trigger). */
  async runDue(workspaceId?: string) {
    const ws = workspaceId ?? (await this.ctx.storage.get<string>("workspace"));
    if (!ws) return { published: 0, failed: 0, deferred: 0 };
    if (workspaceId) await this.ctx.storage.put("workspace", workspaceId);
    // One run at a time per workspace; D1's claim keeps it exactly-once even if two overlapped.
    while (this.running) await this.running.catch(() => undefined);
    const run = publishDue(ctxFromEnv(this.env), ws, { budgetMs: ALARM_BUDGET_MS });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
      await this.arm(ws);
    }
  }

  override async alarm() {
    await this.runDue();
  }
}
