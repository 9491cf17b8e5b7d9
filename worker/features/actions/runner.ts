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
import { chunkRows, inChunks } from "../../db/chunk";
import { actions, type ActionState } from "../../db/schema";
import { recordOf, SYSTEM, transitionManyStatements, transitionStatements, type ActionRow } from "./transition";

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

const claimNote = (current: ActionRow) => (current.state === "running" ? "Taken over after an attempt that did not answer" : current.attempts ? `Attempt ${current.attempts + 1}` : null);
const claimPatch = (ctx: Ctx) => ({ leaseUntil: ctx.now + LEASE_MS, attempts: sql`${actions.attempts} + 1` as unknown as number });

/** The claim of one action (conditional: a second runner's claim changes nothing and writes no audit entry). */
const claimStatements = (ctx: Ctx, current: ActionRow) =>
  transitionStatements(ctx, current, ["approved", "scheduled", "running"], "running", claimPatch(ctx), SYSTEM, { action: "status", note: claimNote(current) }, runnable(ctx.now));

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

type Finish = { to: ActionState; patch: Partial<typeof actions.$inferInsert>; note: string | null; retryAt: number | null; attempts: number; key: string };

/** The outcome's transition (done, scheduled for a retry, or failed), made at `later.now`; `key` is equal for finishes one statement can write. */
/** What a finished action records: done with the provider's answer, or failed with the reason. */
const donePatch = (now: number, result: Extract<ActionOutcome, { ok: true }>["result"]) => ({ providerResult: result, error: null, leaseUntil: null, dueAt: null, finishedAt: now });
const failedPatch = (now: number, error: string) => ({ error: error.slice(0, 1000), leaseUntil: null, dueAt: null, finishedAt: now });

function finishOf(later: Ctx, claimed: ActionRow, outcome: ActionOutcome): Finish {
  const plan = (to: ActionState, patch: Partial<typeof actions.$inferInsert>, note: string | null, retryAt: number | null, keyed: unknown): Finish =>
    ({ to, patch, note, retryAt, attempts: claimed.attempts, key: JSON.stringify([to, note, retryAt, claimed.attempts, keyed]) });
  if (outcome.ok) return plan("done", donePatch(later.now, outcome.result), null, null, outcome.result);
  if (outcome.pending) {
    const dueAt = later.now + Math.max(1_000, outcome.retryAfterMs ?? 0);
    // Woken while it ran (wakeActions): due at once, else at its next look.
    const due = sql`CASE WHEN ${actions.dueAt} = ${WOKEN} THEN ${later.now} ELSE ${dueAt} END` as unknown as number;
    return plan("scheduled", { error: null, leaseUntil: null, dueAt: due, attempts: sql`${actions.attempts} - 1` as unknown as number }, `Waiting: ${outcome.error}`.slice(0, 1000), dueAt, "pending");
  }
  if (outcome.retry && claimed.attempts < MAX_ATTEMPTS) {
    const dueAt = later.now + Math.max(outcome.retryAfterMs ?? 0, backoffMs(claimed.attempts, 1_000, 15 * 60_000));
    return plan("scheduled", { error: outcome.error.slice(0, 1000), leaseUntil: null, dueAt }, `Will retry: ${outcome.error}`.slice(0, 1000), dueAt, outcome.error);
  }
  return plan("failed", failedPatch(later.now, outcome.error), outcome.error.slice(0, 1000), null, outcome.error);
}

const mine = (attempts: number) => sql`${actions.attempts} = ${attempts}`;
const laterOf = (ctx: Ctx): Ctx => ({ ...ctx, now: Math.max(ctx.now, Date.now()) });

/** The outcome's transition, conditional on this attempt still owning the action. */
function finishStatements(ctx: Ctx, claimed: ActionRow, outcome: ActionOutcome) {
  const later = laterOf(ctx);
  const f = finishOf(later, claimed, outcome);
  return { retryAt: f.retryAt, stmts: transitionStatements(later, claimed, ["running"], f.to, f.patch, SYSTEM, { action: "status", note: f.note }, mine(f.attempts)) };
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

const groupBy = <T, K>(items: T[], key: (t: T) => K) => {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = out.get(k);
    if (list) list.push(t);
    else out.set(k, [t]);
  }
  return out;
};

/**
 * Runs a batch of due actions of one workspace: every claim in one D1 batch, the kinds whose
 * executor takes several at once (a burst of posts due together) in one call, the others one by
 * one, and every outcome in one D1 batch. Each claim and outcome stays conditional per action;
 * actions making the same transition (a burst's first claims, its "waiting" outcomes) share one
 * UPDATE and one audit INSERT … SELECT, so a burst of 50 costs a few statements, not 200.
 */
async function runMany(ctx: Ctx, due: ActionRow[]): Promise<number> {
  const scope = { orgId: due[0]!.orgId, workspaceId: due[0]!.workspaceId };
  const claimGroups = [...groupBy(due, claimNote)];
  const claimResults = await ctx.db.batch(asBatch(claimGroups.flatMap(([note, rows]) =>
    [...transitionManyStatements(ctx, scope, rows.map((r) => r.id), ["approved", "scheduled", "running"], "running", claimPatch(ctx), SYSTEM, { action: "status", note }, runnable(ctx.now))])));
  const claimedById = new Map(claimGroups.flatMap((_, g) => (claimResults[g * 2] as ActionRow[]).map((r) => [r.id, r] as const)));
  const claims: Claim[] = due.flatMap((current) => (claimedById.has(current.id) ? [{ current, claimed: claimedById.get(current.id)! }] : []));
  if (!claims.length) return 0;
  const outcomes = new Map<string, ActionOutcome>();
  const byKind = groupBy(claims.map((c) => c.claimed), (r) => r.kind);
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
  const later = laterOf(ctx);
  const finishGroups = [...groupBy(claims.map(({ claimed }) => ({ claimed, f: finishOf(later, claimed, outcomes.get(claimed.id)!) })), (x) => x.f.key).values()];
  const finished = await ctx.db.batch(asBatch(finishGroups.flatMap((g) => {
    const { f } = g[0]!;
    return [...transitionManyStatements(later, scope, g.map((x) => x.claimed.id), ["running"], f.to, f.patch, SYSTEM, { action: "status", note: f.note }, mine(f.attempts))];
  })));
  const retryAt = finishGroups.filter((g, i) => g[0]!.f.retryAt !== null && (finished[i * 2] as ActionRow[]).length).map((g) => g[0]!.f.retryAt!);
  if (retryAt.length) await kickRunner(ctx, scope.workspaceId, Math.min(...retryAt));
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

/** A settle UPDATE binds four parameters an action (id, token, and the CASE's pair), beside at most 20 of its own. */
const SETTLE_PARAMS_PER_ACTION = 4;
const SETTLE_FIXED_PARAMS = 20;

/** Each row's own provider result in one UPDATE (Drizzle serializes each value as the column does). */
const resultsByRow = (pairs: [string, unknown][]) =>
  sql`CASE ${actions.id} ${sql.join(pairs.map(([id, result]) => sql`WHEN ${id} THEN ${sql.param(result, actions.providerResult)}`), sql` `)} END` as unknown as ActionRow["providerResult"];

/**
 * The work behind these actions settled elsewhere (their posts were published or failed) and
 * `outcomes` says how: each action waiting on it between its runner's looks (scheduled, or approved
 * and not yet run) is finished here at once, done or failed with the outcome, all in one D1 batch,
 * so its runner need not claim it again only to read the outcome. One still running (its
 * executor's answer not written yet) is woken instead, and its runner records the outcome.
 * Each transition is conditional on the action's last transition token, as a claim is.
 */
export async function settleActions({ ctx, input }: { ctx: Ctx; input: { workspaceId: string; kind: ActionRow["kind"]; outcomes: { subjectId: string; outcome: ActionOutcome }[] } }) {
  const final = input.outcomes.filter((o) => o.outcome.ok || !o.outcome.pending);
  if (!final.length) return;
  const bySubject = new Map(final.map((o) => [o.subjectId, o.outcome]));
  const open: Pick<ActionRow, "id" | "orgId" | "subjectId" | "state" | "transitionId">[] = [];
  for (const ids of inChunks([...bySubject.keys()], 6)) {
    open.push(...(await ctx.db.select({ id: actions.id, orgId: actions.orgId, subjectId: actions.subjectId, state: actions.state, transitionId: actions.transitionId }).from(actions).where(and(eq(actions.workspaceId, input.workspaceId), eq(actions.kind, input.kind), inArray(actions.subjectId, ids), inArray(actions.state, ["approved", "scheduled", "running"])))));
  }
  const later = laterOf(ctx);
  const waiting = open.filter((a) => a.state !== "running");
  const running = open.filter((a) => a.state === "running").map((a) => a.subjectId);
  if (waiting.length) {
    // The actions finishing the same way (done, or failed for the same reason) move in one UPDATE and
    // one audit INSERT … SELECT per chunk (20 actions), each row still only if its token is the one read
    // (tokens are unique, so "id in ids and token in tokens" is each row's own condition).
    const scope = { orgId: waiting[0]!.orgId, workspaceId: input.workspaceId };
    const groups = groupBy(waiting, (a) => {
      const o = bySubject.get(a.subjectId)!;
      return o.ok ? "done" : `failed:${o.error}`;
    });
    const stmts = [...groups.values()].flatMap((rows) => chunkRows(rows, SETTLE_PARAMS_PER_ACTION, SETTLE_FIXED_PARAMS).flatMap((part) => {
      const outcome = bySubject.get(part[0]!.subjectId)!;
      const patch = outcome.ok
        ? { ...donePatch(later.now, null), providerResult: resultsByRow(part.map((a) => [a.id, (bySubject.get(a.subjectId) as Extract<ActionOutcome, { ok: true }>).result])) }
        : failedPatch(later.now, outcome.error);
      return [...transitionManyStatements(later, scope, part.map((a) => a.id), ["approved", "scheduled"], outcome.ok ? "done" : "failed", patch, SYSTEM, { action: "status", note: outcome.ok ? null : outcome.error.slice(0, 1000) }, inArray(actions.transitionId, part.map((a) => a.transitionId)))];
    }));
    for (let i = 0; i < stmts.length; i += 100) await ctx.db.batch(asBatch(stmts.slice(i, i + 100)));
  }
  if (running.length) await wakeActions({ ctx, input: { workspaceId: input.workspaceId, kind: input.kind, subjectIds: running } });
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
