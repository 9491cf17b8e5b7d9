import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/**
 * `LIMIT ?` and `OFFSET ?` written as `? + 0`. SQLite plans a statement with the value bound to a
 * bare LIMIT/OFFSET parameter, so binding one expires the prepared statement and every execution
 * prepares it again; an expression is not re-planned. Drizzle binds every `.limit(n)`: a primary
 * key lookup with `LIMIT ?` cost 3–4× the same statement without it (node:sqlite, 20k runs), and
 * the session check and the workspace list several times their plan (bench/api.bench.mjs).
 */
export function planOnceSql(text: string): string {
  return text.replace(/\b(limit|offset) \?(?! \+)/gi, "$1 ? + 0");
}

const rewritten = new Map<string, string>();
function planOnce(text: string): string {
  let out = rewritten.get(text);
  if (out === undefined) {
    out = planOnceSql(text);
    // Statements come from a bounded set of call sites; the cap only guards against raw SQL built per call.
    if (rewritten.size < 5000) rewritten.set(text, out);
  }
  return out;
}

/** The binding as Drizzle sees it: the same D1, its statements prepared through `planOnce`. */
function planStable(d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, key) {
      if (key === "prepare") return (text: string) => target.prepare(planOnce(text));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const build = (d1: D1Database) => drizzle(planStable(d1), { schema, casing: "snake_case" });
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
