// Many rows into one table as one INSERT whose rows travel as a single JSON parameter
// (json_each): no per-statement query building and one bound value per chunk instead of one per
// column, so the 100-parameter limit does not split a page into dozens of statements. Raw SQL by
// measurement (bench/inbox.bench.mjs: Drizzle's building of multi-row inserts and their bound
// values cost more Worker time per synced message than parsing the message).
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";

/** D1 refuses a value over 2,000,000 bytes: rows go in chunks of about half that. */
const CHUNK_CHARS = 900_000;

/** SQL column name of each JS key of the table (Drizzle's snake_case casing, or the explicit name), once per table. */
const names = new WeakMap<SQLiteTable, Map<string, string>>();
function columnNames(table: SQLiteTable): Map<string, string> {
  let out = names.get(table);
  if (!out) {
    out = new Map(Object.entries(getTableColumns(table)).map(([key, col]) => [key, (col as { keyAsName?: boolean }).keyAsName === false ? col.name : toSnakeCase(key)]));
    names.set(table, out);
  }
  return out;
}

/**
 * INSERT statements for `rows` (all with the same keys; JSON-mode columns as their values,
 * booleans as true/false). `conflict` is appended as is, e.g. "ON CONFLICT DO NOTHING" or
 * "ON CONFLICT(message_id) DO UPDATE SET category = excluded.category".
 */
export function jsonInsert(d1: D1Database, table: SQLiteTable, rows: Record<string, unknown>[], conflict = ""): D1PreparedStatement[] {
  if (!rows.length) return [];
  const keys = Object.keys(rows[0]!).filter((k) => rows[0]![k] !== undefined);
  const cols = columnNames(table);
  const used = keys.filter((k) => cols.has(k));
  const sql = `INSERT INTO "${getTableName(table)}" (${used.map((k) => `"${cols.get(k)}"`).join(", ")}) SELECT ${used.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?1) WHERE true ${conflict}`;
  const out: D1PreparedStatement[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length) out.push(d1.prepare(sql).bind(`[${chunk.join(",")}]`));
    chunk = [];
    size = 0;
  };
  for (const r of rows) {
    // A JSON-mode column's value goes as its JSON text (stored as such), the rest as JSON scalars.
    const json = JSON.stringify(used.map((k) => (r[k] !== null && typeof r[k] === "object" ? JSON.stringify(r[k]) : r[k])));
    if (size + json.length > CHUNK_CHARS) flush();
    chunk.push(json);
    size += json.length + 1;
  }
  flush();
  return out;
}

/** `column IN (…)` over any number of values as one bound JSON parameter (a page's ids in one query, not one per 99). */
export const inJson = (column: SQLiteColumn, values: readonly (string | number)[]) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
