import { DurableObject } from "cloudflare:workers";
import { ctxFromEnv } from "../worker/core/context";
import { runDueActions } from "../worker/features/actions";

const RETRY_MS = 30_000;

/**
 * One per workspace (named by its id): its alarm is the workspace's next due action. The actions
 * table is the truth (the alarm only says when to look), so a lost alarm loses nothing: the next
 * approval or schedule in the workspace sets it again.
 */
export class ActionRunner extends DurableObject<Env> {
  /** Retention (the workspace's erasure): its alarm and state go; the D1 rows are erased with the workspace. */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  async schedule(workspaceId: string, at: number): Promise<void> {
    await this.ctx.storage.put("workspaceId", workspaceId);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(Math.max(at, Date.now()));
  }

  override async alarm(): Promise<void> {
    const workspaceId = await this.ctx.storage.get<string>("workspaceId");
    if (!workspaceId) return;
    try {
      const { nextAt } = await runDueActions({ ctx: ctxFromEnv(this.env), input: { workspaceId } });
      if (nextAt !== null) await this.ctx.storage.setAlarm(Math.max(nextAt, Date.now() + 250));
    } catch (err) {
      console.error(JSON.stringify({ level: "error", event: "action-runner-failed", workspaceId, error: err instanceof Error ? err.message : String(err) }));
      await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
    }
  }
}
