import { getTableName, is } from "drizzle-orm";
import { toSnakeCase } from "drizzle-orm/casing";
import { SQLiteTable, getTableConfig } from "drizzle-orm/sqlite-core";
import * as schema from "../../db/schema";
import { dataRegistry, resolveLink, type DataDeclaration, type ResolvedLink, type Subject } from "../../db/registry";

/** Every Drizzle table of the schema, by SQL name. */
export const schemaTables: Map<string, SQLiteTable> = new Map(
  (Object.values(schema) as unknown[])
    .filter((v): v is SQLiteTable => is(v, SQLiteTable))
    .map((t) => [getTableName(t), t]),
);

/** SQL column names of a table (the schema uses snake_case casing). */
export function columnsOf(table: string): { name: string; notNull: boolean }[] {
  const t = schemaTables.get(table);
  if (!t) return [];
  return getTableConfig(t).columns.map((c) => ({ name: c.keyAsName ? toSnakeCase(c.name) : c.name, notNull: c.notNull }));
}

/** Tables this table references through foreign keys. */
function referencedTables(table: string): string[] {
  const t = schemaTables.get(table);
  if (!t) return [];
  return getTableConfig(t).foreignKeys.map((fk) => getTableName(fk.reference().foreignTable)).filter((n) => n !== table);
}

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const declarationOf = (table: string): DataDeclaration => {
  const d = dataRegistry.get(table);
  if (!d) throw new Error(`Table ${table} has no personal-data declaration`);
  return d;
};

/** The table holding a subject's own rows: the one whose link to the subject is its `id`. */
export function rootTable(subject: Subject): string | undefined {
  for (const [table, d] of dataRegistry) {
    const link = d.owners[subject];
    if (link !== undefined && resolveLink(link).column === "id") return table;
  }
  return undefined;
}

export function subjectOfRoot(table: string): Subject | undefined {
  const d = dataRegistry.get(table);
  if (!d) return undefined;
  return (Object.keys(d.owners) as Subject[]).find((s) => resolveLink(d.owners[s]!).column === "id");
}

export type Condition = { where: string; params: unknown[] };

/** The SQL condition selecting rows of `table` linked to subject `id` (directly or through parents). */
export function linkCondition(table: string, subject: Subject, id: string, depth = 0): Condition | null {
  const link = declarationOf(table).owners[subject];
  if (link === undefined || depth > 8) return null;
  const r = resolveLink(link);
  if (r.column && r.alsoMatching) {
    const root = rootTable(subject)!;
    const also = `${q(r.alsoMatching.column)} = (SELECT ${q(r.alsoMatching.rootColumn)} FROM ${q(root)} WHERE "id" = ?)`;
    return { where: `(${q(r.column)} = ? OR ${also})`, params: [id, id] };
  }
  if (r.column) return { where: `${q(r.column)} = ?`, params: [id] };
  if (!r.via) return null;
  const parent = linkCondition(r.via.parent, subject, id, depth + 1);
  if (!parent) return null;
  return { where: `${q(r.via.column)} IN (SELECT "id" FROM ${q(r.via.parent)} WHERE ${parent.where})`, params: parent.params };
}

export type LinkedTable = { table: string; link: ResolvedLink };

/**
 * Tables holding rows of a subject, children before parents (via-links and foreign keys), so
 * that deleting in this order never trips a constraint and a via-link still resolves when its
 * rows are handled. The subject's root table is excluded.
 */
export function linkedTables(subject: Subject): LinkedTable[] {
  const root = rootTable(subject);
  const linked = new Map<string, LinkedTable>();
  for (const [table, d] of dataRegistry) {
    const link = d.owners[subject];
    if (link !== undefined && table !== root) linked.set(table, { table, link: resolveLink(link) });
  }
  const order: LinkedTable[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (table: string) => {
    if (state.get(table) || !linked.has(table)) return;
    state.set(table, "visiting");
    // Children of `table` (tables that reference it) must come first.
    for (const other of linked.keys()) {
      if (other === table || state.get(other)) continue;
      const l = linked.get(other)!.link;
      if (l.via?.parent === table || referencedTables(other).includes(table)) visit(other);
    }
    state.set(table, "done");
    order.push(linked.get(table)!);
  };
  for (const table of linked.keys()) visit(table);
  return order;
}

/** Subjects whose root rows belong to `subject` and go with it (an organization's workspaces). */
export function childSubjects(subject: Subject): { subject: Subject; table: string }[] {
  const out: { subject: Subject; table: string }[] = [];
  for (const { table, link } of linkedTables(subject)) {
    const child = subjectOfRoot(table);
    if (child && child !== subject && link.erase === "delete") out.push({ subject: child, table });
  }
  return out;
}
