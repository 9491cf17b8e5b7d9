import { getTableName, type Table } from "drizzle-orm";

/**
 * The personal-data registry: every D1 table declares whose data it holds, how long it is kept
 * and whether it is exported. Export, erasure and the retention engine (worker/features/retention)
 * are driven from it, and a test fails for any table of the schema that has no declaration.
 *
 * How rows leave:
 * - A subject (a user, an organization, …) has one root table: the one whose `owners[subject]` is
 *   `"id"`. When a root row is removed by its table's rule (e.g. users after their grace period,
 *   an integration 30 days after it was disconnected), every row linked to that subject in every
 *   table goes first, then the subject's R2 objects and Durable Objects, then the root row.
 * - So rows that live as long as a parent (an integration's synced metrics) declare the link in
 *   `owners` (`integration: "integration_id"`) and `{ rule: "owner-lifetime" }`: no column of
 *   their own needs a timestamp.
 * - Rows with a clock of their own (sessions, invitations, usage logs) also declare `expires`,
 *   `purge-after` or `rolling` on their own columns.
 */
export type Subject = "user" | "organization" | "workspace" | "integration" | "mailbox";

/**
 * How a row links to a subject.
 * - `"user_id"`: the column holds the subject's id; the row is deleted with the subject.
 * - `{ column, erase: { clear } }`: the row belongs to someone else too (an invitation sent by a
 *   user, a DSR record kept for accountability): the subject's erasure clears these columns
 *   (which must include the link) and keeps the rest.
 * - `{ via: { column, parent } }`: the row belongs to a parent row (`column` references
 *   `parent.id`) that is itself linked to the subject; it goes (or is cleared) before the parent.
 */
export type OwnerLink =
  | string
  | {
      column?: string;
      via?: { column: string; parent: string };
      erase?: "delete" | { clear: string[] };
      /** Rows also belong to the subject when `column` equals `rootColumn` of its root row (mail addressed to a user's email). */
      alsoMatching?: { column: string; rootColumn: string };
    };

export type Retention =
  /** Kept while the owning subject exists; removed by that subject's purge. */
  | { rule: "owner-lifetime" }
  /**
   * Must be gone `days` after the timestamp in `column` (e.g. disconnected_at). The daily run
   * removes every row whose deadline falls before the next daily run, so none overstays it.
   */
  | { rule: "purge-after"; days: number; column: string }
  /** Removed once the timestamp in `column` has passed (sessions, invitations, grace periods). */
  | { rule: "expires"; column: string }
  /** Rows older than `months` (by `column`) are removed. */
  | { rule: "rolling"; months: number; column: string }
  /** Platform data with no personal content (e.g. policy texts, incident records). */
  | { rule: "platform" };

export type DataDeclaration = {
  /** How a row links to each subject it belongs to (SQL column names). */
  owners: Partial<Record<Subject, OwnerLink>>;
  retention: Retention;
  /** Included in the data-subject export; `omit` lists columns never exported (hashes, ciphertext). */
  export: false | ExportDeclaration;
  purpose: string;
};

export type ExportDeclaration = {
  omit?: string[];
  /**
   * Export-only link: rows of an organization the user owns (the column holds its id) are what
   * the owner entered (the organization itself, its workspaces), so its owners' exports include
   * them. Erasure ignores it: the organization has its own deletion.
   */
  ofOwnedOrganization?: string;
  /** Columns left out of rows where `column` is set (an invitee's address once they accepted: their account's data). */
  omitOnceSet?: { column: string; omit: string[] };
};

export const dataRegistry = new Map<string, DataDeclaration>();

export function declareData(table: Table, declaration: DataDeclaration): void {
  dataRegistry.set(getTableName(table), declaration);
}

/** A link in its object form (string shorthand expanded). */
export type ResolvedLink = {
  column?: string;
  via?: { column: string; parent: string };
  erase: "delete" | { clear: string[] };
  alsoMatching?: { column: string; rootColumn: string };
};
export function resolveLink(link: OwnerLink): ResolvedLink {
  if (typeof link === "string") return { column: link, erase: "delete" };
  return { column: link.column, via: link.via, erase: link.erase ?? "delete", alsoMatching: link.alsoMatching };
}

/**
 * Non-D1 stores declare themselves here. `owners` maps a subject to a key template:
 * an R2 key prefix (`privacy/{id}/`) or a Durable Object name (`export:{id}`), where `{id}` is
 * the subject's id and any other `{column}` a column of its root row (e.g. `{email}`).
 * Durable Object classes holding subject data implement `erase(): Promise<void>`.
 */
export type StoreDeclaration = {
  store: "durable-object" | "r2";
  name: string;
  /** The binding in wrangler.toml (an R2 bucket or a Durable Object namespace); needed for owned stores. */
  binding?: string;
  owners: Partial<Record<Subject, string>>;
  /**
   * R2: `purge-after` / `rolling` with column "uploaded" age objects out under the prefix.
   * Durable Objects with no owner expire themselves (their alarm clears their storage).
   */
  retention: Retention;
  /** R2 objects included in the data-subject export. */
  export?: boolean;
  purpose: string;
};
export const storeRegistry: StoreDeclaration[] = [];
export const declareStore = (d: StoreDeclaration) => {
  if (!storeRegistry.some((s) => s.name === d.name)) storeRegistry.push(d);
};
