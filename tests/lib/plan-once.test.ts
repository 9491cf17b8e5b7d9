import { env } from "cloudflare:test";
import { asc, sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { createDb, planOnceSql } from "../../worker/db/client";

// A throwaway table of this file's own, so no other file's rows are involved.
const items = sqliteTable("plan_once_items", { id: text().primaryKey(), n: integer().notNull() });

describe("statements whose LIMIT/OFFSET SQLite would re-plan on every run", () => {
  it("are sent with LIMIT ? + 0 / OFFSET ? + 0; literals, expressions and other text are left alone", () => {
    expect(planOnceSql('select "id" from "t" where "a" = ? limit ? offset ?')).toBe('select "id" from "t" where "a" = ? limit ? + 0 offset ? + 0');
    expect(planOnceSql("SELECT 1 FROM t WHERE rowid IN (SELECT rowid FROM t LIMIT ?)")).toBe("SELECT 1 FROM t WHERE rowid IN (SELECT rowid FROM t LIMIT ? + 0)");
    for (const same of ["select 1 limit 10", "select 1 limit ? + 0", "select ? as limit_value", "select ?1 from t"]) expect(planOnceSql(same)).toBe(same);
  });

  it("still page exactly: limit, offset and prepared placeholders return the same rows as before", async () => {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS plan_once_items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)");
    try {
      const db = createDb(env.DB);
      await db.insert(items).values(Array.from({ length: 9 }, (_, i) => ({ id: `i${i}`, n: i })));
      const page = await db.select({ n: items.n }).from(items).orderBy(asc(items.n)).limit(3).offset(4);
      expect(page.map((r) => r.n)).toEqual([4, 5, 6]);
      const prepared = db.select({ n: items.n }).from(items).orderBy(asc(items.n)).limit(sql.placeholder("rows")).prepare();
      expect((await prepared.all({ rows: 2 })).map((r) => r.n)).toEqual([0, 1]);
      expect((await prepared.all({ rows: 5 })).map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
    } finally {
      await env.DB.exec("DROP TABLE plan_once_items");
    }
  });
});
