import { getTableName, type Table } from "drizzle-orm";

/**
 * The personal-data registry: every D1 table declares whose data it holds, how long it is kept
 * and whether it is exported. The privacy features (export, erasure, purge) are driven from it,
 * and a test fails for any table of the schema that has no declaration.
 */
export type Subject = "user" | "organization" | "workspace" | "integration" | "mailbox";

export type Retention =
  /** Kept while the owning subject exists; removed by that subject's purge. */
  | { rule: "owner-lifetime" }
  /** Purged `days` after the timestamp in `column` (e.g. disconnectedAt, deletedAt). */
  | { rule: "purge-after"; days: number; column: string }
  /** Removed once the timestamp in `column` has passed. */
  | { rule: "expires"; column: string }
  /** Rows older than `months` (by `column`) are removed. */
  | { rule: "rolling"; months: number; column: string }
  /** Platform data with no personal content (e.g. policy texts). */
  | { rule: "platform" };

export type DataDeclaration = {
  /** Columns (SQL names) linking a row to each subject it belongs to. */
  owners: Partial<Record<Subject, string>>;
  retention: Retention;
  /** Included in the data-subject export; `omit` lists columns never exported (hashes, ciphertext). */
  export: false | { omit?: string[] };
  purpose: string;
};

export const dataRegistry = new Map<string, DataDeclaration>();

export function declareData(table: Table, declaration: DataDeclaration): void {
  dataRegistry.set(getTableName(table), declaration);
}

/** Non-D1 stores (Durable Object storage, R2 prefixes) declare themselves here. */
export type StoreDeclaration = {
  store: "durable-object" | "r2";
  name: string;
  owners: Partial<Record<Subject, string>>;
  retention: Retention;
  purpose: string;
};
export const storeRegistry: StoreDeclaration[] = [];
export const declareStore = (d: StoreDeclaration) => void storeRegistry.push(d);
