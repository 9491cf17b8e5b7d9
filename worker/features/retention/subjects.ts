import type { Ctx } from "../../core/context";
import type { Subject } from "../../db/registry";
import type { Budget } from "./budget";
import { childSubjects, linkCondition, linkedTables, q, rootTable, type Condition } from "./plan";
import { eraseSubjectStores, type Tally } from "./stores";

// Raw SQL: bounded deletes over registry tables by name, measured by bench/purge.bench.mjs.
const changesOf = (r: D1Result) => r.meta.changes ?? 0;

/**
 * Deletes (or, for rows kept for accountability, clears) every row matching `cond`, in bounded
 * batches. Returns false when the budget ran out first; running it again continues.
 */
export async function drainRows({ ctx, input: { table, cond, budget, tally, clear } }: {
  ctx: Ctx;
  input: { table: string; cond: Condition; budget: Budget; tally: Tally; clear?: string[] };
}): Promise<boolean> {
  const d1 = ctx.env.DB;
  const key = `${table}${clear ? ":clear" : ""}`;
  for (;;) {
    if (budget.exhausted) return false;
    const batch = budget.batchFor(key);
    let stmt: D1PreparedStatement;
    if (clear) {
      const pending = clear.map((c) => `${q(c)} IS NOT NULL`).join(" OR ");
      const set = clear.map((c) => `${q(c)} = NULL`).join(", ");
      stmt = d1
        .prepare(`UPDATE ${q(table)} SET ${set} WHERE rowid IN (SELECT rowid FROM ${q(table)} WHERE (${cond.where}) AND (${pending}) LIMIT ?)`)
        .bind(...cond.params, batch);
    } else {
      stmt = d1
        .prepare(`DELETE FROM ${q(table)} WHERE rowid IN (SELECT rowid FROM ${q(table)} WHERE ${cond.where} LIMIT ?)`)
        .bind(...cond.params, batch);
    }
    const changed = changesOf(await budget.run(key, () => stmt.run(), changesOf));
    tally.rows += clear ? 0 : changed;
    if (changed < batch) return true;
  }
}

/** Called once a subject's erasure starts (e.g. to close its erasure request before its id is cleared). */
export type ErasureHook = (args: { ctx: Ctx; input: { subject: Subject; id: string } }) => Promise<void>;

export type PurgeInput = { subject: Subject; id: string; budget: Budget; tally: Tally; hook?: ErasureHook };

/**
 * Erases one subject (a user, an organization, a workspace, an integration, a mailbox): first the
 * subjects that belong to it (an organization's workspaces), then every linked row of every
 * registered table (children before parents), its R2 objects and Durable Objects, and its own
 * root row last, so an interrupted purge is found again and resumed by the next run. False when
 * the budget ran out first.
 */
export async function purgeSubject({ ctx, input }: { ctx: Ctx; input: PurgeInput }): Promise<boolean> {
  const { subject, id, budget, tally, hook } = input;
  const env = ctx.env;
  const root = rootTable(subject);
  if (!root) throw new Error(`Subject ${subject} has no root table`);
  if (budget.exhausted) return false;
  const row = await budget.run("root", () => env.DB.prepare(`SELECT * FROM ${q(root)} WHERE "id" = ?`).bind(id).first<Record<string, unknown>>());
  if (!row) return true;
  await hook?.({ ctx, input: { subject, id } });

  const children = childSubjects(subject);
  for (const child of children) {
    const cond = linkCondition(child.table, subject, id)!;
    for (;;) {
      if (budget.exhausted) return false;
      const { results } = await budget.run("children", () =>
        env.DB.prepare(`SELECT "id" FROM ${q(child.table)} WHERE ${cond.where} LIMIT 20`).bind(...cond.params).all<{ id: string }>(),
      );
      if (!results.length) break;
      for (const r of results) if (!(await purgeSubject({ ctx, input: { ...input, subject: child.subject, id: r.id } }))) return false;
    }
  }

  const childRoots = new Set(children.map((c) => c.table));
  for (const { table, link } of linkedTables(subject)) {
    if (childRoots.has(table)) continue;
    const cond = linkCondition(table, subject, id)!;
    const clear = link.erase === "delete" ? undefined : link.erase.clear;
    if (!(await drainRows({ ctx, input: { table, cond, budget, tally, clear } }))) return false;
  }

  if (!(await eraseSubjectStores({ ctx, input: { subject, root: row, budget, tally } }))) return false;
  if (budget.exhausted) return false;
  const res = await budget.run("root", () => env.DB.prepare(`DELETE FROM ${q(root)} WHERE "id" = ?`).bind(id).run());
  tally.rows += changesOf(res);
  tally.subjects += 1;
  return true;
}
