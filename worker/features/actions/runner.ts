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
import { inChunks } from "../../db/chunk";
import { actions } from "../../db/schema";
import { recordOf, SYSTEM, transitionStatements, type ActionRow } from "./transition";

export const LEASE_MS = 5 * 60_000;
/** dueAt of a running action whose work settled meanwhile (see wakeActions): its outcome must look again at once. */
const WOKEN = 0;
export const MAX_ATTEMPTS = 5;
const BATCH = 50;

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

type Claim = { current: ActionRow; claimed: ActionRow };

/** The claim of one action (conditional: a second runner's claim changes nothing and writes no audit entry). */
const claimStatements = (ctx: Ctx, current: ActionRow) =>
  transitionStatements(
    ctx, current, ["approved", "scheduled", "running"], "running",
    { leaseUntil: ctx.now + LEASE_MS, attempts: sql`${actions.attempts} + 1` as unknown as number },
    SYSTEM, { action: "status", note: current.state === "running" ? "Taken over after an attempt that did not answer" : current.attempts ? `Attempt ${current.attempts + 1}` : null },
    runnable(ctx.now),
  );

async function execute(ctx: Ctx, claimed: ActionRow): Promise<ActionOutcome> {
  const executor = actionExecutor(claimed.kind);
  if (!executor) return { ok: false, error: `QWEB cannot run ${claimed.kind} actions here`, retry: false };
  try {
    return await executor.execute({ ctx, action: recordOf(claimed) });
  } catch (err) {
    // Unknown whether the provider acted: retry with the same attemptId (the executor is idempotent by it).
    return { ok: false, error: err instanceof Error ? err.message : String(err), retry: true };
  }
}

/** The outcome's transition (done, scheduled for a retry, or failed), conditional on this attempt still owning the action. */
function finishStatements(ctx: Ctx, claimed: ActionRow, outcome: ActionOutcome) {
  const later = { ...ctx, now: Math.max(ctx.now, Date.now()) };
  const mine = sql`${actions.attempts} = ${claimed.attempts}`;
  if (outcome.ok) {
    return { retryAt: null, stmts: transitionStatements(later, claimed, ["running"], "done", { providerResult: outcome.result, error: null, leaseUntil: null, dueAt: null, finishedAt: later.now }, SYSTEM, { action: "status" }, mine) };
  }
  if (!outcome.ok && outcome.pending) {
    const dueAt = later.now + Math.max(1_000, outcome.retryAfterMs ?? 0);
    // Woken while it ran (wakeActions): due at once, else at its next look.
    const due = sql`CASE WHEN ${actions.dueAt} = ${WOKEN} THEN ${later.now} ELSE ${dueAt} END` as unknown as number;
    return { retryAt: dueAt, stmts: transitionStatements(later, claimed, ["running"], "scheduled", { error: null, leaseUntil: null, dueAt: due, attempts: sql`${actions.attempts} - 1` as unknown as number }, SYSTEM, { action: "status", note: `Waiting: ${outcome.error}`.slice(0, 1000) }, mine) };
  }
  if (outcome.retry && claimed.attempts < MAX_ATTEMPTS) {
    const dueAt = later.now + Math.max(outcome.retryAfterMs ?? 0, backoffMs(claimed.attempts, 1_000, 15 * 60_000));
    return { retryAt: dueAt, stmts: transitionStatements(later, claimed, ["running"], "scheduled", { error: outcome.error.slice(0, 1000), leaseUntil: null, dueAt }, SYSTEM, { action: "status", note: `Will retry: ${outcome.error}`.slice(0, 1000) }, mine) };
  }
  return { retryAt: null, stmts: transitionStatements(later, claimed, ["running"], "failed", { error: outcome.error.slice(0, 1000), leaseUntil: null, dueAt: null, finishedAt: later.now }, SYSTEM, { action: "status", note: outcome.error.slice(0, 1000) }, mine) };
}

/** Claims and runs one action if it is due; null when there was nothing to run (another runner has it, or it is not due). */
export async function runAction({ ctx, input }: { ctx: Ctx; input: { id: string; orgId: string; workspaceId: string } }): Promise<ActionRow | null> {
  const [current] = await ctx.db.select().from(actions).where(and(eq(actions.id, input.id), eq(actions.orgId, input.orgId), eq(actions.workspaceId, input.workspaceId))).limit(1);
  if (!current) return null;
  const [claimedRows] = await ctx.db.batch(claimStatements(ctx, current));
  const claimed = claimedRows[0];
  if (!claimed) return null;
  const finish = finishStatements(ctx, claimed, await execute(ctx, claimed));
  const [done] = await ctx.db.batch(finish.stmts);
  if (done[0] && finish.retryAt !== null) await kickRunner(ctx, claimed.workspaceId, finish.retryAt);
  return done[0] ?? null;
}

type Batchable = Parameters<Ctx["db"]["batch"]>[0][number];
const asBatch = (stmts: Batchable[]) => stmts as unknown as [Batchable, ...Batchable[]];

/**
 * Runs a batch of due actions of one workspace: every claim in one D1 batch, the kinds whose
 * executor takes several at once (a burst of posts due together) in one call, the others one by
 * one, and every outcome in one D1 batch. Each claim and outcome stays conditional per action.
 */
async function runMany(ctx: Ctx, due: ActionRow[]): Promise<number> {
  const claimResults = await ctx.db.batch(asBatch(due.flatMap((row) => [...claimStatements(ctx, row)])));
  const claims: Claim[] = [];
  due.forEach((current, i) => {
    const claimed = (claimResults[i * 2] as ActionRow[])[0];
    if (claimed) claims.push({ current, claimed });
  });
  if (!claims.length) return 0;
  const outcomes = new Map<string, ActionOutcome>();
  const byKind = new Map<string, ActionRow[]>();
  for (const { claimed } of claims) byKind.set(claimed.kind, [...(byKind.get(claimed.kind) ?? []), claimed]);
  for (const rows of byKind.values()) {
    const executor = actionExecutor(rows[0]!.kind);
    if (executor?.executeMany && rows.length > 1) {
      let results: ActionOutcome[];
      try {
        results = await executor.executeMany({ ctx, actions: rows.map(recordOf) });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        results = rows.map(() => ({ ok: false, error, retry: true }));
      }
      rows.forEach((r, i) => outcomes.set(r.id, results[i] ?? { ok: false, error: "The executor gave no outcome", retry: true }));
    } else {
      for (const r of rows) outcomes.set(r.id, await execute({ ...ctx, now: Date.now() }, r));
    }
  }
  const finishes = claims.map(({ claimed }) => ({ claimed, ...finishStatements(ctx, claimed, outcomes.get(claimed.id)!) }));
  const finished = await ctx.db.batch(asBatch(finishes.flatMap((f) => [...f.stmts])));
  const retryAt = finishes.filter((f, i) => f.retryAt !== null && (finished[i * 2] as ActionRow[]).length).map((f) => f.retryAt!);
  if (retryAt.length) await kickRunner(ctx, claims[0]!.claimed.workspaceId, Math.min(...retryAt));
  return claims.length;
}

/**
 * The work behind these actions moved on elsewhere (their posts were published or failed): they are
 * due now, so the runner reads their outcome at once instead of at their next look.
 */
export async function wakeActions({ ctx, input }: { ctx: Ctx; input: { workspaceId: string; kind: ActionRow["kind"]; subjectIds: string[] } }) {
  if (!input.subjectIds.length) return;
  const now = Date.now();
  let woken = 0;
  for (const ids of inChunks(input.subjectIds, 5)) {
    const mine = and(eq(actions.workspaceId, input.workspaceId), eq(actions.kind, input.kind), inArray(actions.subjectId, ids));
    const [rows] = await ctx.db.batch([
      ctx.db.update(actions).set({ dueAt: now }).where(and(mine, eq(actions.state, "scheduled"), sql`${actions.dueAt} > ${now}`)).returning({ id: actions.id }),
      // Still running (its executor has not written the outcome yet): WOKEN tells that outcome to look again at once.
      ctx.db.update(actions).set({ dueAt: WOKEN }).where(and(mine, eq(actions.state, "running"))),
    ]);
    woken += rows.length;
  }
  if (woken) await kickRunner(ctx, input.workspaceId, now);
}

/** Runs a workspace's due actions (oldest first); returns when the next one is due (null: none). */
export async function runDueActions({ ctx, input }: { ctx: Ctx; input: { workspaceId: string } }): Promise<{ ran: number; nextAt: number | null }> {
  let ran = 0;
  for (let round = 0; round < 5; round++) {
    const due = await ctx.db
      .select()
      .from(actions)
      .where(and(eq(actions.workspaceId, input.workspaceId), runnable(Date.now())))
      .orderBy(asc(actions.dueAt))
      .limit(BATCH);
    if (!due.length) break;
    ran += await runMany({ ...ctx, now: Date.now() }, due);
  }
  const [next] = await ctx.db
    .select({ at: sql<number | null>`MIN(CASE WHEN ${actions.state} = 'running' THEN ${actions.leaseUntil} ELSE ${actions.dueAt} END)` })
    .from(actions)
    .where(and(eq(actions.workspaceId, input.workspaceId), inArray(actions.state, ["approved", "scheduled", "running"])));
  return { ran, nextAt: next?.at ?? null };
}
