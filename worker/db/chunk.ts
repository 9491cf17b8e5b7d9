import { getTableColumns, type Table } from "drizzle-orm";

/** D1 binds at most 100 parameters per statement. */
export const D1_MAX_PARAMS = 100;

function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new Error(`A statement cannot hold even one item within ${D1_MAX_PARAMS} parameters`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Columns an insert into `table` binds per row: drizzle lists every column of the table. */
export const columnsOf = (table: Table) => Object.keys(getTableColumns(table)).length;

/** Rows for multi-row inserts: each chunk binds at most 100 parameters (`columnsPerRow` each, plus `fixedParams`). */
export const chunkRows = <T>(rows: readonly T[], columnsPerRow: number, fixedParams = 0) =>
  chunk(rows, Math.floor((D1_MAX_PARAMS - fixedParams) / columnsPerRow));

/** Values for `inArray`: each chunk fits in one statement beside the query's other `fixedParams`. */
export const inChunks = <T>(values: readonly T[], fixedParams = 0) => chunk(values, D1_MAX_PARAMS - fixedParams);
