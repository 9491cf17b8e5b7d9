import type { NormalizedBatch } from "../../connectors/types";
import { dailyMappings, dailyMetricKey } from "./catalogue";
import { audienceSnapshot, CLEAR_PENDING, deleteFamilyDays, entityFamilies, REBUILD_DAILY, UPSERT_DAILY } from "./rollup-sql";
import { factFamilies, followersSnapshot, relabels } from "./fact-sql";

const families = [...entityFamilies, ...factFamilies];
import { ensureTimeZone } from "./time-zone";

export type RollupOwner = { integrationId: string; orgId: string; workspaceId: string; source: string };
const CHUNK = 500;

/** Binds the owner columns and the JSON argument, as many as the statement numbers (D1 wants exactly that many). */
function bound(d1: D1Database, sql: string, owner: RollupOwner, json = "[]"): D1PreparedStatement {
  const used = Math.max(...[...sql.matchAll(/\?(\d)/g)].map((m) => Number(m[1])));
  return d1.prepare(sql).bind(...[owner.integrationId, owner.orgId, owner.workspaceId, owner.source, json].slice(0, used));
}

const chunks = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += CHUNK) out.push(xs.slice(i, i + CHUNK));
  return out;
};

/**
 * The statements that keep the rollups equal to the synced rows, for the caller's write batch:
 * `before` runs ahead of the entity writes (it notes the days the rows filed under until now, so
 * deleted or moved rows leave their old day), `after` behind them (notes the new days, recomputes
 * every noted day from the rows, clears the notes). Recomputing whole days makes a replayed page
 * or webhook change nothing.
 */
export function rollupStatements(d1: D1Database, owner: RollupOwner, batch: NormalizedBatch) {
  const before: D1PreparedStatement[] = [];
  const after: D1PreparedStatement[] = [];
  for (const f of families) {
    const mine = f.keys(batch);
    if (!mine.length) continue;
    for (const part of chunks(mine)) {
      const json = JSON.stringify(part);
      before.push(bound(d1, f.mark("json"), owner, json));
      after.push(bound(d1, f.mark("json"), owner, json));
    }
    after.push(bound(d1, deleteFamilyDays(f), owner, "[]"));
    for (const sql of f.recompute) after.push(bound(d1, sql, owner, "[]"));
    after.push(bound(d1, CLEAR_PENDING, owner, "[]"));
  }
  for (const part of chunks((batch.audiences ?? []).map((a) => a.providerId))) {
    after.push(bound(d1, audienceSnapshot("json"), owner, JSON.stringify(part)));
  }
  for (const part of chunks((batch.socialAccounts ?? []).map((a) => a.providerId))) {
    after.push(bound(d1, followersSnapshot("json"), owner, JSON.stringify(part)));
  }
  for (const [sql, keys] of relabels(batch)) for (const part of chunks(keys)) after.push(bound(d1, sql, owner, JSON.stringify(part)));
  const daily = (batch.metrics ?? []).flatMap((m) => {
    const key = dailyMetricKey(owner.source, m.metric);
    return key ? [[key, m.dimension ?? "", m.dimensionValue ?? "", m.date, m.currency ?? "", m.value]] : [];
  });
  for (const part of chunks(daily)) after.push(bound(d1, UPSERT_DAILY, owner, JSON.stringify(part)));
  return { before, after };
}

/**
 * Statements that rebuild one integration's rollups from its rows (one batch: all or nothing). The
 * months and years are emptied too, so that the triggers file them afresh from the rebuilt days
 * (also where they had drifted from them).
 */
export function rebuildStatements(d1: D1Database, owner: RollupOwner): D1PreparedStatement[] {
  const stmts = ["metric_rollups", "metric_rollups_monthly", "metric_rollups_yearly"].map((t) => bound(d1, `DELETE FROM ${t} WHERE integration_id = ?1`, owner));
  for (const f of families) {
    stmts.push(bound(d1, f.mark("all"), owner, "[]"));
    for (const sql of f.recompute) stmts.push(bound(d1, sql, owner, "[]"));
  }
  stmts.push(bound(d1, CLEAR_PENDING, owner, "[]"));
  stmts.push(bound(d1, audienceSnapshot("all"), owner, "[]"));
  stmts.push(bound(d1, followersSnapshot("all"), owner, "[]"));
  stmts.push(bound(d1, REBUILD_DAILY, owner, JSON.stringify(dailyMappings())));
  return stmts;
}

/**
 * Rebuilds the rollups of a workspace's integrations, or of every integration in id order from
 * `after` (at most `limit` per call, so a large deployment is rebuilt over several requests).
 */
export async function rebuildRollups(
  d1: D1Database,
  scope: { workspaceId?: string; after?: string; limit?: number } = {},
): Promise<{ integrations: number; rows: number; next: string | null }> {
  const limit = scope.limit ?? 1000;
  const where = scope.workspaceId ? "WHERE i.workspace_id = ?1" : "WHERE i.id > ?1";
  const { results } = await d1
    .prepare(`SELECT i.id, i.org_id, i.workspace_id, i.provider, w.time_zone FROM integrations i JOIN workspaces w ON w.id = i.workspace_id ${where} ORDER BY i.id LIMIT ?2`)
    .bind(scope.workspaceId ?? scope.after ?? "", limit)
    .all<{ id: string; org_id: string; workspace_id: string; provider: string; time_zone: string }>();
  for (const tz of new Set(results.map((r) => r.time_zone))) await ensureTimeZone(d1, tz);
  let rows = 0;
  for (const r of results) {
    const done = await d1.batch(rebuildStatements(d1, { integrationId: r.id, orgId: r.org_id, workspaceId: r.workspace_id, source: r.provider }));
    rows += done.reduce((n, x) => n + (x.meta.changes ?? 0), 0);
  }
  const next = !scope.workspaceId && results.length === limit ? results.at(-1)!.id : null;
  return { integrations: results.length, rows, next };
}
