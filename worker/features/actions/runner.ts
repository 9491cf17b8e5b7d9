// Running approved actions. Each workspace has an ActionRunner Durable Object whose alarm is set to
// the workspace's next due action (approved now, scheduled later, or a retry after backoff): no cron
// scans every workspace, a due action runs within about a second, and a workspace's actions run one
// at a time. An action is claimed with a conditional UPDATE (state running, a lease, attempts + 1)
// before the executor is called, and its outcome is written the moment the executor answers; a
// second runner (a redelivered alarm, a retry) finds nothing to claim. An attempt that crashed
// mid-call is taken over when its lease expires, with the same attemptId, so the executor's
// idempotency key makes the provider do it once.
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { actionExecutor, type ActionOutcome } from "../../core/actions";
import { backoffMs } from "../../connectors/http";
import { actions } from "../../db/schema";
import { recordOf, SYSTEM, transition, type ActionRow } from "./transition";

export const LEASE_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
const BATCH = 20;

/** Asks the workspace's runner to wake up at `at` (or earlier, if it already planned so). */
export async function kickRunner(ctx: Ctx, workspaceId: string, at: number) {
  const ns = ctx.env.ACTION_RUNNER;
  if (!ns) return;
  await ns.get(ns.idFromName(workspaceId)).schedule(workspaceId, at);
}

const runnable = (now: number) =>
  or(
    and(inArray(actions.state, ["approved", "scheduled"]), lte(actions.dueAt, now)),
    and(eq(actions.state, "running"), lte(actions.leaseUntil, now)),
  );

/** Claims and runs one action if it is due; null when there was nothing to run (another runner has it, or it is not due). */
export async function runAction({ ctx, input }: { ctx: Ctx; input: { id: string; orgId: string; workspaceId: string } }): Promise<ActionRow | null> {
  const [current] = await ctx.db.select().from(actions).where(and(eq(actions.id, input.id), eq(actions.orgId, input.orgId), eq(actions.workspaceId, input.workspaceId))).limit(1);
  if (!current) return null;
  const takeover = current.state === "running";
  const claimed = await transition(
    ctx, current, ["approved", "scheduled", "running"], "running",
    { leaseUntil: ctx.now + LEASE_MS, attempts: sql`${actions.attempts} + 1` as unknown as number },
    SYSTEM, { action: "status", note: takeover ? "Taken over after an attempt that did not answer" : current.attempts ? `Attempt ${current.attempts + 1}` : null },
    runnable(ctx.now),
  );
  if (!claimed) return null;
  const executor = actionExecutor(claimed.kind);
  let outcome: ActionOutcome;
  if (!executor) outcome = { ok: false, error: `QWEB cannot run ${claimed.kind} actions here`, retry: false };
  else {
    try {
      outcome = await executor.execute({ ctx, action: recordOf(claimed) });
    } catch (err) {
      // Unknown whether the provider acted: retry with the same attemptId (the executor is idempotent by it).
      outcome = { ok: false, error: err instanceof Error ? err.message : String(err), retry: true };
    }
  }
  const at = Date.now();
  const later = { ...ctx, now: Math.max(ctx.now, at) };
  const mine = sql`${actions.attempts} = ${claimed.attempts}`;
  if (outcome.ok) {
    return transition(later, claimed, ["running"], "done", { providerResult: outcome.result, error: null, leaseUntil: null, dueAt: null, finishedAt: later.now }, SYSTEM, { action: "status" }, mine);
  }
  if (outcome.retry && claimed.attempts < MAX_ATTEMPTS) {
    const dueAt = later.now + Math.max(outcome.retryAfterMs ?? 0, backoffMs(claimed.attempts, 1_000, 15 * 60_000));
    const next = await transition(later, claimed, ["running"], "scheduled", { error: outcome.error.slice(0, 1000), leaseUntil: null, dueAt }, SYSTEM, { action: "status", note: `Will retry: ${outcome.error}`.slice(0, 1000) }, mine);
    if (next) await kickRunner(later, claimed.workspaceId, dueAt);
    return next;
  }
  return transition(later, claimed, ["running"], "failed", { error: outcome.error.slice(0, 1000), leaseUntil: null, dueAt: null, finishedAt: later.now }, SYSTEM, { action: "status", note: outcome.error.slice(0, 1000) }, mine);
}

/** Runs a workspace's due actions (oldest first); returns when the next one is due (null: none). */
export async function runDueActions({ ctx, input }: { ctx: Ctx; input: { workspaceId: string } }): Promise<{ ran: number; nextAt: number | null }> {
  let ran = 0;
  for (let round = 0; round < 5; round++) {
    const due = await ctx.db
      .select({ id: actions.id, orgId: actions.orgId, workspaceId: actions.workspaceId })
      .from(actions)
      .where(and(eq(actions.workspaceId, input.workspaceId), runnable(Date.now())))
      .orderBy(asc(actions.dueAt))
      .limit(BATCH);
    if (!due.length) break;
    for (const a of due) if (await runAction({ ctx: { ...ctx, now: Date.now() }, input: a })) ran++;
  }
  const [next] = await ctx.db
    .select({ at: sql<number | null>`MIN(CASE WHEN ${actions.state} = 'running' THEN ${actions.leaseUntil} ELSE ${actions.dueAt} END)` })
    .from(actions)
    .where(and(eq(actions.workspaceId, input.workspaceId), inArray(actions.state, ["approved", "scheduled", "running"])));
  return { ran, nextAt: next?.at ?? null };
}
