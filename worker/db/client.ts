import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

const build = (d1: D1Database) => drizzle(d1, { schema, casing: "snake_case" });
export type Database = ReturnType<typeof build>;

// drizzle() walks the whole schema to build its relational config: do it once per binding and
// isolate, not on every request (it was a measurable share of an authenticated read).
const cache = new WeakMap<D1Database, Database>();

export function createDb(d1: D1Database): Database {
  let db = cache.get(d1);
  if (!db) cache.set(d1, (db = build(d1)));
  return db;
}
export { schema };
