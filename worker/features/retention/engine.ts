import type { Ctx } from "../../core/context";
import { dataRegistry, storeRegistry, type Retention } from "../../db/registry";
import { chunkRows, columnsOf } from "../../db/chunk";
import { purgeReports } from "../../db/schema";
import { newId } from "../../lib/ids";
import { DAY, HOUR, addMonths } from "../../lib/time";
import { DAILY_RUN_HOUR } from "../../lib/schedule";
import { Budget } from "./budget";
import { q, subjectOfRoot, type Condition } from "./plan";
import { deletePrefix, staticPrefix, type Tally } from "./stores";
import { drainRows, purgeSubject, type ErasureHook } from "./subjects";

// Raw SQL: the retention engine walks registry tables by name (bench/purge.bench.mjs).
export { DAILY_RUN_HOUR };

/** The first daily run strictly after `now`. */
export function nextDailyRun(now: number): number {
  const slot = Math.floor((now - DAILY_RUN_HOUR * HOUR) / DAY) * DAY + DAILY_RUN_HOUR * HOUR;
  return slot + DAY;
}

/** The last daily run at or before `t`: a grace period ending at `t` ends at that run. */
export function dailyRunAtOrBefore(t: number): number {
  return Math.floor((t - DAILY_RUN_HOUR * HOUR) / DAY) * DAY + DAILY_RUN_HOUR * HOUR;
}

/**
 * The condition of rows a rule removes at `now`. `purge-after` is a promise ("gone within N
 * days"), so every row whose deadline falls before the next daily run goes now.
 */
export function dueCondition(r: Retention, now: number): Condition | null {
  if (r.rule === "expires") return { where: `${q(r.column)} IS NOT NULL AND ${q(r.column)} <= ?`, params: [now] };
  const cutoff = cutoffOf(r, now);
  return cutoff === null || !("column" in r) ? null : { where: `${q(r.column)} IS NOT NULL AND ${q(r.column)} < ?`, params: [cutoff] };
}

/** Rows (or objects) whose timestamp is before this are due under a purge-after or rolling rule. */
function cutoffOf(r: Retention, now: number): number | null {
  if (r.rule === "purge-after") return nextDailyRun(now) - r.days * DAY;
  if (r.rule === "rolling") return addMonths(now, -r.months);
  return null;
}

export function describeRule(name: string, r: Retention): string {
  switch (r.rule) {
    case "expires":
      return `${name}: removed once ${r.column} has passed`;
    case "purge-after":
      return `${name}: removed ${r.days} days after ${r.column}`;
    case "rolling":
      return `${name}: removed after ${r.months} months (${r.column})`;
    default:
      return `${name}: ${r.rule}`;
  }
}

export type RuleResult = Tally & {
  rule: string;
  statements: number;
  durationMs: number;
  maxBatchMs: number;
  complete: boolean;
  error?: string;
};

export type RetentionRun = { runId: string; complete: boolean; results: RuleResult[]; statements: number };

async function runRule({ ctx, input: { table, cond, budget, hook } }: { ctx: Ctx; input: { table: string; cond: Condition; budget: Budget; hook?: ErasureHook } }): Promise<{ tally: Tally; complete: boolean }> {
  const tally: Tally = { subjects: 0, rows: 0, objects: 0 };
  const subject = subjectOfRoot(table);
  if (!subject) return { tally, complete: await drainRows({ ctx, input: { table, cond, budget, tally } }) };
  // A subject's root row is due (an account past its grace period): erase everything of it.
  for (;;) {
    if (budget.exhausted) return { tally, complete: false };
    const { results } = await budget.run("due", () =>
      ctx.env.DB.prepare(`SELECT "id" FROM ${q(table)} WHERE ${cond.where} LIMIT 20`).bind(...cond.params).all<{ id: string }>(),
    );
    if (!results.length) return { tally, complete: true };
    for (const r of results) if (!(await purgeSubject({ ctx, input: { subject, id: r.id, budget, tally, hook } }))) return { tally, complete: false };
  }
}

/**
 * Runs every retention rule of the registry (D1 tables, then R2 prefixes) with `ctx.now` from the
 * trigger, within one invocation's budget, and writes one purge report per rule.
 */
export async function runRetention({ ctx, input: { cron, budget = new Budget(), hook } }: { ctx: Ctx; input: { cron: string; budget?: Budget; hook?: ErasureHook } }): Promise<RetentionRun> {
  const { now } = ctx;
  const runId = newId();
  const results: RuleResult[] = [];
  const measure = async (rule: string, work: () => Promise<{ tally: Tally; complete: boolean }>) => {
    const started = Date.now();
    const statementsBefore = budget.statements;
    const maxBefore = budget.maxBatchMs;
    budget.maxBatchMs = 0;
    let outcome: { tally: Tally; complete: boolean; error?: string };
    try {
      outcome = await work();
    } catch (err) {
      outcome = { tally: { subjects: 0, rows: 0, objects: 0 }, complete: false, error: String(err).slice(0, 500) };
    }
    results.push({
      rule,
      ...outcome.tally,
      statements: budget.statements - statementsBefore,
      durationMs: Date.now() - started,
      maxBatchMs: budget.maxBatchMs,
      complete: outcome.complete,
      error: outcome.error,
    });
    budget.maxBatchMs = Math.max(maxBefore, budget.maxBatchMs);
  };

  for (const [table, decl] of dataRegistry) {
    const cond = dueCondition(decl.retention, now);
    if (cond) await measure(describeRule(table, decl.retention), () => runRule({ ctx, input: { table, cond, budget, hook } }));
  }
  for (const store of storeRegistry) {
    const cutoff = cutoffOf(store.retention, now);
    const template = Object.values(store.owners)[0];
    if (store.store !== "r2" || cutoff === null || !template) continue;
    await measure(describeRule(`r2 ${store.name}`, store.retention), async () => {
      const tally: Tally = { subjects: 0, rows: 0, objects: 0 };
      const complete = await deletePrefix({ ctx, input: { store, prefix: staticPrefix(template), budget, tally, doomed: (o) => o.uploaded.getTime() < cutoff } });
      return { tally, complete };
    });
  }

  await writeReports({ ctx, input: { runId, cron, results } });
  return { runId, complete: results.every((r) => r.complete), results, statements: budget.statements };
}

async function writeReports({ ctx: { db, now }, input: { runId, cron, results } }: { ctx: Ctx; input: { runId: string; cron: string; results: RuleResult[] } }) {
  const rows = results.map((r) => ({
    id: newId(),
    runId,
    cron,
    scheduledAt: now,
    rule: r.rule,
    subjects: r.subjects,
    rowsDeleted: r.rows,
    objectsDeleted: r.objects,
    statements: r.statements,
    durationMs: r.durationMs,
    maxBatchMs: r.maxBatchMs,
    complete: r.complete,
    error: r.error ?? null,
    // The wall clock: runs continued under one scheduled time are told apart by when they ended.
    createdAt: Date.now(),
  }));
  const chunks = chunkRows(rows, columnsOf(purgeReports)).map((chunk) => db.insert(purgeReports).values(chunk));
  if (chunks.length) await db.batch(chunks as [(typeof chunks)[number], ...(typeof chunks)[number][]]);
}

/** Whether the latest retention run stopped on its budget (the frequent trigger then continues it). */
export async function hasBacklog({ ctx }: { ctx: Ctx; input?: undefined }): Promise<boolean> {
  const row = await ctx.env.DB.prepare(
    `SELECT MIN("complete") AS complete FROM purge_reports WHERE run_id = (SELECT run_id FROM purge_reports ORDER BY scheduled_at DESC, created_at DESC LIMIT 1)`,
  ).first<{ complete: number | null }>();
  return row?.complete === 0;
}
