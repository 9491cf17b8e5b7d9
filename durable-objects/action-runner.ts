import { DurableObject } from "cloudflare:workers";
import { ctxFromEnv, type TenantContext } from "../worker/core/context";
import { insertProposal, runDueActions, type ProposeInput } from "../worker/features/actions";

const RETRY_MS = 30_000;

/**
 * One per workspace (named by its id): its alarm is the workspace's next due action. The actions
 * table is the truth (the alarm only says when to look), so a lost alarm loses nothing: the next
 * approval or schedule in the workspace sets it again.
 *
 * It is also where autopilot decides: `propose` runs a proposal's guardrail check and its insert
 * one at a time for the workspace, so concurrent proposals cannot all pass a daily cap.
 */
export class ActionRunner extends DurableObject<Env> {
  /** The tail of the workspace's proposals queue (in memory: the object is the one instance for the workspace). */
  private proposing: Promise<unknown> = Promise.resolve();

  async propose(args: { tenant: TenantContext; now: number; id: string; input: ProposeInput }): Promise<void> {
    const run = this.proposing.then(() =>
      insertProposal({ ...ctxFromEnv(this.env, { now: args.now }), tenant: args.tenant }, args.id, args.input, (at) => this.schedule(args.tenant.workspaceId, at)),
    );
    this.proposing = run.catch(() => undefined);
    await run;
  }

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
