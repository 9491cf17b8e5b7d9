import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { isLocal } from "../../env";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { doc, validate } from "../../lib/validate";
import { requireAuth } from "../../middleware/auth";
import { requireWorkspace } from "../../core/tenancy";

/**
 * Local only (`npm run bench`): the baseline of the sync benchmark. Copies the rows synced for
 * the given integrations into a scratch integration with plain D1 batch inserts, timing only the
 * inserts, then removes the copy. Two ways are timed: multi-row VALUES statements of at most 100
 * bound parameters, and one INSERT … SELECT FROM json_each(?) per chunk (what the sync engine
 * uses); the benchmark compares the sync with the faster of the two.
 */
const TABLES = {
  orders: ["provider_id", "source", "number", "status", "currency", "total_minor", "subtotal_minor", "discount_minor", "refunded_minor", "customer_id", "created_at", "updated_at"],
  order_lines: ["order_id", "line_no", "product_id", "title", "quantity", "total_minor"],
  products: ["provider_id", "source", "title", "sku", "price_minor", "currency", "updated_at"],
  daily_metrics: ["source", "metric", "dimension", "dimension_value", "date", "value", "currency"],
} as const;
const READ_CHUNK = 5000;
const STATEMENTS_PER_BATCH = 50;

type Row = Record<string, unknown>;

async function insertValues(d1: D1Database, table: string, cols: readonly string[], owner: unknown[], rows: Row[]) {
  const all = ["integration_id", "org_id", "workspace_id", ...cols];
  const perRow = all.length;
  const perStmt = Math.floor(100 / perRow);
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStmt) {
    const part = rows.slice(i, i + perStmt);
    const sql = `INSERT INTO ${table} (${all.join(", ")}) VALUES ${part.map(() => `(${all.map(() => "?").join(", ")})`).join(", ")}`;
    stmts.push(d1.prepare(sql).bind(...part.flatMap((r) => [...owner, ...cols.map((c) => r[c] ?? null)])));
  }
  for (let i = 0; i < stmts.length; i += STATEMENTS_PER_BATCH) await d1.batch(stmts.slice(i, i + STATEMENTS_PER_BATCH));
}

async function insertJson(d1: D1Database, table: string, cols: readonly string[], owner: unknown[], rows: Row[]) {
  const all = ["integration_id", "org_id", "workspace_id", ...cols];
  const sql = `INSERT INTO ${table} (${all.join(", ")}) SELECT ?1, ?2, ?3, ${cols.map((_, i) => `j.value->>${i}`).join(", ")} FROM json_each(?4) AS j`;
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    stmts.push(d1.prepare(sql).bind(...owner, JSON.stringify(rows.slice(i, i + 500).map((r) => cols.map((c) => r[c] ?? null)))));
  }
  for (let i = 0; i < stmts.length; i += STATEMENTS_PER_BATCH) await d1.batch(stmts.slice(i, i + STATEMENTS_PER_BATCH));
}

export const syncBenchRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!isLocal(c.var.config)) throw notFound();
    await next();
  })
  .use(requireAuth)
  .post(
    "/:workspaceId/raw-insert",
    doc({ summary: "Sync benchmark baseline: time plain D1 batch inserts of an integration's synced rows (local only)", tags: ["dev"] }),
    requireWorkspace("admin"),
    validate("json", z.strictObject({ integrationIds: z.array(z.string().min(1).max(64)).min(1).max(10), method: z.enum(["values", "json"]) })),
    async (c) => {
      const t = c.var.tenant;
      const { integrationIds, method } = c.req.valid("json");
      const d1 = c.env.DB;
      const scratch = newId();
      const now = Date.now();
      await d1
        .prepare("INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at, disconnected_at) VALUES (?, ?, ?, 'bench', 'disconnected', 'raw insert baseline', ?, ?, ?, ?)")
        // Disconnected from the start: if a reload interrupts the cleanup, the retention run removes the copy.
        .bind(scratch, t.orgId, t.workspaceId, scratch, now, now, now)
        .run();
      const owner = [scratch, t.orgId, t.workspaceId];
      let rows = 0;
      let insertMs = 0;
      try {
        for (const [table, cols] of Object.entries(TABLES)) {
          for (const source of integrationIds) {
            for (let offset = 0; ; offset += READ_CHUNK) {
              const { results } = await d1
                .prepare(`SELECT ${cols.join(", ")} FROM ${table} WHERE integration_id = ? AND org_id = ? AND workspace_id = ? LIMIT ? OFFSET ?`)
                .bind(source, t.orgId, t.workspaceId, READ_CHUNK, offset)
                .all<Row>();
              if (!results.length) break;
              const started = performance.now();
              await (method === "values" ? insertValues : insertJson)(d1, table, cols, owner, results);
              insertMs += performance.now() - started;
              rows += results.length;
              if (results.length < READ_CHUNK) break;
            }
          }
        }
      } finally {
        for (const table of Object.keys(TABLES)) {
          for (;;) {
            const r = await d1.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE integration_id = ? LIMIT 20000)`).bind(scratch).run();
            if ((r.meta.changes ?? 0) < 20000) break;
          }
        }
        await d1.prepare("DELETE FROM integrations WHERE id = ?").bind(scratch).run();
      }
      return c.json({ method, rows, insertMs: Math.round(insertMs), rowsPerSecond: Math.round(rows / (insertMs / 1000)) });
    },
  );
