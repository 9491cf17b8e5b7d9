import { dataRegistry, storeRegistry } from "../../../db/registry";
import { linkCondition, q, type Condition, bucketOf, renderKey } from "../../retention";

/** A registered table's rows about one user, as the export reads them. */
export type ExportTable = { table: string; purpose: string; omit: string[]; omitOnceSet?: { column: string; omit: string[] }; cond: Condition };

/** Rows of the organizations the user owns (an export-only link: see `ofOwnedOrganization`). */
function ownedOrgCondition(column: string, userId: string): Condition {
  return { where: `${q(column)} IN (SELECT "org_id" FROM "memberships" WHERE "user_id" = ? AND "role" = 'owner')`, params: [userId] };
}

const either = (a: Condition | null, b: Condition | null): Condition | null =>
  a && b ? { where: `(${a.where}) OR (${b.where})`, params: [...a.params, ...b.params] } : a ?? b;

export type ManifestTable = {
  table: string;
  purpose: string;
  count: number;
  included: boolean;
  file?: string;
  omittedColumns?: string[];
  reason?: string;
};

export type ExportFile = { key: string; path: string; size: number; contentType: string | null; uploadedAt: number };

export type Manifest = {
  format: "qweb-personal-data-export";
  formatVersion: 1;
  schemaVersion: string;
  generatedAt: string;
  subject: { type: "user"; id: string; email: string };
  tables: ManifestTable[];
  files: ExportFile[];
  stores: { name: string; store: string; purpose: string; included: boolean }[];
  note: string;
};

/** Every registered table: the ones linked to the user (directly or through a parent) and exported. */
export function exportPlan(userId: string): { included: ExportTable[]; inventory: Omit<ManifestTable, "count">[] } {
  const included: ExportTable[] = [];
  const inventory: Omit<ManifestTable, "count">[] = [];
  for (const [table, d] of dataRegistry) {
    const link = d.owners.user;
    const owned = d.export && d.export.ofOwnedOrganization;
    if (!link && !owned) {
      inventory.push({ table, purpose: d.purpose, included: false, reason: "holds no data linked to a person's account" });
      continue;
    }
    if (d.export === false) {
      inventory.push({ table, purpose: d.purpose, included: false, reason: "credentials or security secrets: never exported" });
      continue;
    }
    const cond = either(link ? linkCondition(table, "user", userId) : null, owned ? ownedOrgCondition(owned, userId) : null)!;
    const omit = d.export.omit ?? [];
    included.push({ table, purpose: d.purpose, omit, omitOnceSet: d.export.omitOnceSet, cond });
    inventory.push({ table, purpose: d.purpose, included: true, file: `tables/${table}.json`, ...(omit.length ? { omittedColumns: omit } : {}) });
  }
  return { included, inventory };
}

// Raw SQL: the export walks every registry table by name with the retention engine's conditions.
export async function countRows(d1: D1Database, tables: ExportTable[]): Promise<Map<string, number>> {
  if (!tables.length) return new Map();
  const results = await d1.batch<{ n: number }>(
    tables.map((t) => d1.prepare(`SELECT COUNT(*) AS n FROM ${q(t.table)} WHERE ${t.cond.where}`).bind(...t.cond.params)),
  );
  return new Map(tables.map((t, i) => [t.table, results[i]!.results[0]?.n ?? 0]));
}

/** One page of a table's rows about the user, in rowid order, without the omitted columns. */
export async function pageRows(d1: D1Database, t: ExportTable, afterRowid: number, limit: number) {
  const { results } = await d1
    .prepare(`SELECT rowid AS __rowid, * FROM ${q(t.table)} WHERE (${t.cond.where}) AND rowid > ? ORDER BY rowid LIMIT ?`)
    .bind(...t.cond.params, afterRowid, limit)
    .all<Record<string, unknown>>();
  let last = afterRowid;
  const rows = results.map((r) => {
    last = Number(r.__rowid);
    const { __rowid: _, ...rest } = r;
    for (const c of t.omit) delete rest[c];
    if (t.omitOnceSet && rest[t.omitOnceSet.column] != null) for (const c of t.omitOnceSet.omit) delete rest[c];
    return rest;
  });
  return { rows, last, done: results.length < limit };
}

/** The user's own files in R2 (stores declared with a user owner and `export: true`). */
export async function listUserFiles(env: Env, user: Record<string, unknown>): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  for (const store of storeRegistry) {
    const template = store.owners.user;
    if (store.store !== "r2" || !store.export || !template) continue;
    const prefix = renderKey(template, user);
    let cursor: string | undefined;
    do {
      const page = await bucketOf(env, store).list({ prefix, cursor, limit: 1000, include: ["httpMetadata"] });
      for (const o of page.objects) {
        files.push({
          key: o.key,
          path: `files/${store.name}/${o.key.slice(prefix.length)}`,
          size: o.size,
          contentType: o.httpMetadata?.contentType ?? null,
          uploadedAt: o.uploaded.getTime(),
        });
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  return files;
}

export function storeInventory() {
  return storeRegistry.map((s) => ({
    name: s.name,
    store: s.store,
    purpose: s.purpose,
    included: s.store === "r2" && !!s.export && !!s.owners.user,
  }));
}

/** The latest applied migration: the shape of every exported row. */
export async function schemaVersion(d1: D1Database): Promise<string> {
  try {
    const row = await d1.prepare(`SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1`).first<{ name: string }>();
    return row?.name?.replace(/\.sql$/, "") ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function buildManifest(
  user: Record<string, unknown>,
  inventory: Omit<ManifestTable, "count">[],
  counts: Map<string, number>,
  files: ExportFile[],
  version: string,
  now: number,
): Manifest {
  return {
    format: "qweb-personal-data-export",
    formatVersion: 1,
    schemaVersion: version,
    generatedAt: new Date(now).toISOString(),
    subject: { type: "user", id: String(user.id), email: String(user.email) },
    tables: inventory.map((t) => ({ ...t, count: counts.get(t.table) ?? 0 })),
    files,
    stores: storeInventory(),
    note:
      "Every row QWEB holds about you, one JSON file per table (column names as stored). Password hashes, token hashes and integration credentials are never exported.",
  };
}
