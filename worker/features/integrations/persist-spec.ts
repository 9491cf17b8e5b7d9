/** How persist.ts upserts one batch kind: the table, its conflict key and each column's value. */
export type Col = { name: string; value: (row: any) => unknown };
export type Spec = { table: string; key: string[]; cols: Col[]; guard?: string };
export const col = (name: string, value: (row: any) => unknown): Col => ({ name, value });
