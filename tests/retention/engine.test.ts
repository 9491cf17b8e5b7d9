import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { newTenant, newWorkspace } from "../support/harness";
import { Budget } from "../../worker/features/retention/budget";
import { dailyRunAtOrBefore, dueCondition, nextDailyRun, runRetention } from "../../worker/features/retention/engine";
import { dataRegistry } from "../../worker/db/registry";
import { ctxFromEnv } from "../../worker/core/context";
import { addMonths } from "../../worker/lib/time";
import { DAY, count, daily, runCron, DAILY_CRON, FREQUENT_CRON } from "./support";

const id = () => crypto.randomUUID();

async function insertActivity(orgId: string, userId: string, at: number, n = 1) {
  const stmts = [];
  for (let i = 0; i < n; i += 12) {
    const rows = Math.min(12, n - i);
    const values = Array.from({ length: rows }, () => "(?, ?, ?, 'test.action', 200, ?)").join(", ");
    const params = Array.from({ length: rows }, () => [id(), orgId, userId, at]).flat();
    stmts.push(env.DB.prepare(`INSERT INTO activity_log (id, org_id, user_id, action, status, created_at) VALUES ${values}`).bind(...params));
  }
  for (let i = 0; i < stmts.length; i += 50) await env.DB.batch(stmts.slice(i, i + 50));
}

describe("retention engine: rules", () => {
  it("removes expired sessions and invitations and keeps live ones", async () => {
    const t = await newTenant();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(`INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)`).bind("s-old", t.userId, now - 40 * DAY, now - 40 * DAY, now - DAY),
      env.DB.prepare(`INSERT INTO invitations (id, org_id, email, role, token_hash, created_at, expires_at) VALUES (?, ?, 'x@example.test', 'member', ?, ?, ?)`).bind("inv-old", t.orgId, id(), now - 10 * DAY, now - 3 * DAY),
      env.DB.prepare(`INSERT INTO invitations (id, org_id, email, role, token_hash, created_at, expires_at) VALUES (?, ?, 'y@example.test', 'member', ?, ?, ?)`).bind("inv-live", t.orgId, id(), now, now + 3 * DAY),
    ]);
    await daily(now);
    expect(await count(`SELECT 1 FROM sessions WHERE id = 's-old'`)).toBe(0);
    expect(await count(`SELECT 1 FROM sessions WHERE user_id = ?`, t.userId)).toBe(1);
    expect(await count(`SELECT 1 FROM invitations WHERE id = 'inv-old'`)).toBe(0);
    expect(await count(`SELECT 1 FROM invitations WHERE id = 'inv-live'`)).toBe(1);
  });

  it("a 12-months-rolling rule removes a row 12 months and a day old and keeps one a day younger than 12 months", async () => {
    const t = await newTenant();
    const now = Date.UTC(2027, 5, 15, 3);
    const cutoff = addMonths(now, -12);
    await insertActivity(t.orgId, t.userId, cutoff - DAY);
    await insertActivity(t.orgId, t.userId, cutoff + DAY);
    await daily(now);
    const { results } = await env.DB.prepare(`SELECT created_at FROM activity_log WHERE org_id = ? AND action = 'test.action'`).bind(t.orgId).all<{ created_at: number }>();
    expect(results.map((r) => r.created_at)).toEqual([cutoff + DAY]);
  });

  it("every run writes a purge report per rule that operators can read", async () => {
    const now = Date.UTC(2027, 6, 1, 3);
    await daily(now);
    const { results } = await env.DB.prepare(`SELECT rule, rows_deleted, duration_ms, complete FROM purge_reports WHERE scheduled_at = ?`).bind(now).all<{ rule: string; complete: number }>();
    const rules = results.map((r) => r.rule);
    expect(rules).toEqual(expect.arrayContaining([
      "users: removed once purge_after has passed",
      "organizations: removed once purge_after has passed",
      "sessions: removed once expires_at has passed",
      "activity_log: removed after 12 months (created_at)",
      "r2 export-archives: removed 7 days after uploaded",
    ]));
    expect(results.every((r) => r.complete === 1)).toBe(true);
  });
});

describe("retention engine: bounded batches", () => {
  it("stops at its statement budget, reports the run incomplete, and the next trigger resumes to the end; a rerun is a no-op", async () => {
    const t = await newTenant();
    const now = Date.UTC(2028, 0, 10, 3);
    await insertActivity(t.orgId, t.userId, addMonths(now, -13), 3000);
    // Every rule before activity_log costs one statement; activity_log gets exactly one batch.
    const before = [...dataRegistry].filter(([, d]) => dueCondition(d.retention, now)).findIndex(([t]) => t === "activity_log");
    const run = await runRetention({ ctx: ctxFromEnv(env, { now }), input: { cron: DAILY_CRON, budget: new Budget(before + 1) } });
    expect(run.complete).toBe(false);
    const left = await count(`SELECT 1 FROM activity_log WHERE org_id = ? AND action = 'test.action'`, t.orgId);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(3000);

    await runCron(FREQUENT_CRON, now + 15 * 60_000);
    expect(await count(`SELECT 1 FROM activity_log WHERE org_id = ? AND action = 'test.action'`, t.orgId)).toBe(0);
    const { results } = await env.DB.prepare(`SELECT cron, SUM(rows_deleted) AS n, MIN(complete) AS complete FROM purge_reports WHERE rule LIKE 'activity_log%' AND scheduled_at >= ? GROUP BY run_id, cron ORDER BY scheduled_at`).bind(now).all<{ cron: string; n: number; complete: number }>();
    expect(results.map((r) => r.complete)).toEqual([0, 1]);
    expect(results.reduce((a, r) => a + r.n, 0)).toBeGreaterThanOrEqual(3000);

    await daily(now + DAY);
    const again = await env.DB.prepare(`SELECT rows_deleted FROM purge_reports WHERE rule LIKE 'activity_log%' AND scheduled_at = ?`).bind(now + DAY).first<{ rows_deleted: number }>();
    expect(again?.rows_deleted).toBe(0);
  });

  it("schedules deadlines on the daily run: the last run before a deadline is the one that acts", () => {
    const t = Date.UTC(2027, 2, 1, 10, 30);
    expect(nextDailyRun(t)).toBe(Date.UTC(2027, 2, 2, 3));
    expect(nextDailyRun(Date.UTC(2027, 2, 2, 3))).toBe(Date.UTC(2027, 2, 3, 3));
    expect(dailyRunAtOrBefore(t)).toBe(Date.UTC(2027, 2, 1, 3));
    expect(dailyRunAtOrBefore(Date.UTC(2027, 2, 1, 2))).toBe(Date.UTC(2027, 1, 28, 3));
  });
});

describe("retention engine: integrations (rows owned through a parent)", () => {
  async function connect(orgId: string, workspaceId: string, disconnectedAt: number | null) {
    const integrationId = id();
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at, disconnected_at) VALUES (?, ?, ?, 'shopify', ?, 'Shop', ?, ?, ?, ?)`,
      ).bind(integrationId, orgId, workspaceId, disconnectedAt ? "disconnected" : "active", integrationId, now, now, disconnectedAt),
      env.DB.prepare(
        `INSERT INTO daily_metrics (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, date, value) VALUES (?, ?, ?, 'shopify', 'revenue', '', '', '2027-01-01', 10)`,
      ).bind(integrationId, orgId, workspaceId),
      env.DB.prepare(
        `INSERT INTO orders (integration_id, provider_id, org_id, workspace_id, source, number, status, currency, total_minor, subtotal_minor, discount_minor, refunded_minor, created_at, updated_at) VALUES (?, 'o1', ?, ?, 'shopify', '1001', 'paid', 'EUR', 1000, 1000, 0, 0, ?, ?)`,
      ).bind(integrationId, orgId, workspaceId, now, now),
      env.DB.prepare(
        `INSERT INTO sync_runs (id, org_id, workspace_id, integration_id, reason, status, started_at) VALUES (?, ?, ?, ?, 'initial', 'succeeded', ?)`,
      ).bind(id(), orgId, workspaceId, integrationId, now),
    ]);
    return integrationId;
  }
  const synced = (integrationId: string) =>
    count(
      `SELECT 1 FROM integrations WHERE id = ?1 UNION ALL SELECT 1 FROM daily_metrics WHERE integration_id = ?1 UNION ALL SELECT 1 FROM orders WHERE integration_id = ?1 UNION ALL SELECT 1 FROM sync_runs WHERE integration_id = ?1`,
      integrationId,
    );

  it("P14: a disconnected integration's synced data is present at day 29 and gone after the day-30 run; a connected one is untouched", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t);
    const disconnectedAt = Date.UTC(2027, 3, 1, 14, 0);
    const gone = await connect(t.orgId, ws.id, disconnectedAt);
    const kept = await connect(t.orgId, ws.id, null);

    await daily(disconnectedAt + 29 * DAY);
    expect(await synced(gone)).toBe(4);
    await daily(disconnectedAt + 30 * DAY);
    expect(await synced(gone)).toBe(0);
    expect(await synced(kept)).toBe(4);
  });
});
