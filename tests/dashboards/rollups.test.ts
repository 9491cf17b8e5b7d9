import { describe, expect, it } from "vitest";
import { connectKey, drain, ownerWithWorkspace, sandboxControl } from "../integrations/support";
import { daily } from "../retention/support";
import { exports } from "cloudflare:workers";
import { BASE } from "../support/harness";
import { byMonth, byYear, call, dashboard, dayCounts, dayIn, env, expectStatus, KEY, setTimeZone, storedDayCounts, storedMonths, storedYears, uid } from "./support";

const DAY = 86_400_000;
const ORDER_METRICS = ["revenue_gross", "refunds", "orders", "products_sold", "product_revenue"];
const NOT_SALES = new Set(["cancelled", "failed", "voided", "trash"]);

/** The order rollups recomputed here from the raw D1 rows, keyed like the table. */
async function recomputed(integrationId: string, tz: string): Promise<Record<string, number>> {
  const orders = (await env.DB.prepare("SELECT provider_id, status, currency, total_minor, refunded_minor, created_at FROM orders WHERE integration_id = ?").bind(integrationId).all<any>()).results;
  const lines = (await env.DB.prepare("SELECT order_id, product_id, quantity, total_minor FROM order_lines WHERE integration_id = ?").bind(integrationId).all<any>()).results;
  const out: Record<string, number> = {};
  const add = (k: string, v: number) => (out[k] = (out[k] ?? 0) + v);
  const byId = new Map<string, any>();
  for (const o of orders) {
    if (NOT_SALES.has(o.status)) continue;
    byId.set(o.provider_id, o);
    const d = dayIn(tz, o.created_at);
    add(`orders||${d}|${o.currency}`, 1);
    add(`revenue_gross||${d}|${o.currency}`, o.total_minor);
    add(`refunds||${d}|${o.currency}`, o.refunded_minor);
  }
  for (const l of lines) {
    const o = byId.get(l.order_id);
    if (!o) continue;
    const d = dayIn(tz, o.created_at);
    add(`products_sold||${d}|`, l.quantity);
    add(`products_sold|product:${l.product_id}|${d}|`, l.quantity);
    add(`product_revenue|product:${l.product_id}|${d}|${o.currency}`, l.total_minor);
  }
  return out;
}

async function stored(integrationId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    `SELECT metric, dimension, dimension_value, day, currency, value FROM metric_rollups WHERE integration_id = ? AND metric IN (${ORDER_METRICS.map(() => "?").join(",")})`,
  ).bind(integrationId, ...ORDER_METRICS).all<any>();
  return Object.fromEntries(results.map((r) => [`${r.metric}|${r.dimension ? `${r.dimension}:${r.dimension_value}` : ""}|${r.day}|${r.currency}`, r.value]));
}

/** The months and years (sums and the daily rows each counts) equal those of the daily rows recomputed from the raw rows. */
async function expectPeriods(integrationId: string, tz: string) {
  const daily = await recomputed(integrationId, tz);
  expect(await storedMonths(integrationId, ORDER_METRICS)).toEqual(byMonth(daily));
  expect(await storedYears(integrationId, ORDER_METRICS)).toEqual(byYear(daily));
  expect(await storedDayCounts(integrationId, ORDER_METRICS, 7)).toEqual(dayCounts(daily, 7));
  expect(await storedDayCounts(integrationId, ORDER_METRICS, 4)).toEqual(dayCounts(daily, 4));
}

type Delivery = { headers: Record<string, string>; body: string };
const deliver = async (path: string, d: Delivery) => {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method: "POST", headers: d.headers, body: d.body }));
  return { status: res.status, json: (await res.json()) as any };
};

describe("dashboards: rollups", () => {
  it("daily and monthly rollups equal a recomputation from the raw rows after a sync, webhooks (replayed too), an incremental sync and a time-zone change; the operator backfill rebuilds them; a disconnect hides them at once and the purge removes them", async () => {
    const { t, ws } = await ownerWithWorkspace("Rollup Co");
    await setTimeZone(t, ws.id, "Pacific/Kiritimati");
    const storeUrl = `https://roll-${uid()}-orders-150.example`;
    const i = await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: `ck_${KEY}`, consumerSecret: `cs_${KEY}` });
    await drain(ws.id);
    const first = await stored(i.id);
    expect(Object.keys(first).length).toBeGreaterThan(100);
    expect(first).toEqual(await recomputed(i.id, "Pacific/Kiritimati"));
    await expectPeriods(i.id, "Pacific/Kiritimati");

    // Webhooks: new and changed orders arrive; a replay changes nothing.
    await sandboxControl("woocommerce/mutate", { storeUrl, created: 2, updated: 4 });
    const path = `/api/webhooks/woocommerce/${i.id}`;
    for (const [topic, orderIndex] of [["order.created", undefined], ["order.updated", 3], ["order.updated", 7]] as const) {
      const { delivery } = await sandboxControl<{ delivery: Delivery }>("woocommerce/webhooks", { storeUrl, topic, orderIndex, target: "http://127.0.0.1:9/unused" });
      expect((await deliver(path, delivery)).json).toMatchObject({ applied: 1 });
      expect((await deliver(path, delivery)).json).toMatchObject({ applied: 0 });
    }
    expect(await stored(i.id)).toEqual(await recomputed(i.id, "Pacific/Kiritimati"));
    await expectPeriods(i.id, "Pacific/Kiritimati");

    // An incremental sync over the same rows.
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    expect(await stored(i.id)).toEqual(await recomputed(i.id, "Pacific/Kiritimati"));

    await setTimeZone(t, ws.id, "America/Adak");
    expect(await stored(i.id)).toEqual(await recomputed(i.id, "America/Adak"));
    await expectPeriods(i.id, "America/Adak");

    // The backfill (operators, a batch of integrations per call) rebuilds them from the rows.
    await env.DB.prepare("DELETE FROM metric_rollups WHERE integration_id = ?").bind(i.id).run();
    expect(await stored(i.id)).toEqual({});
    // …also months and years that drifted from the days (a stray year and month of a product).
    for (const [table, col, period] of [["metric_rollups_yearly", "year", "2001"], ["metric_rollups_monthly", "month", "2001-01"]] as const) {
      await env.DB.prepare(`INSERT INTO ${table} (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, ${col}, currency, value, days) VALUES (?, ?, ?, 'woocommerce', 'products_sold', 'product', 'stray', NULL, ?, '', 5, 3)`)
        .bind(i.id, t.orgId, ws.id, period).run();
    }
    expect(await storedYears(i.id, ORDER_METRICS)).toEqual({ "products_sold|product:stray|2001|": 5 });
    expectStatus(await call("POST", "/api/metrics/rollups/rebuild", { token: t.token, body: {} }), 404);
    await env.DB.prepare("INSERT INTO operators (id, user_id, granted_by, created_at) VALUES (?, ?, 'test', ?)").bind(crypto.randomUUID(), t.userId, Date.now()).run();
    let cursor: string | null | undefined;
    do {
      const r = await call("POST", "/api/metrics/rollups/rebuild", { token: t.token, body: { limit: 50, ...(cursor ? { after: cursor } : {}) } });
      expectStatus(r, 200);
      cursor = r.json.next;
    } while (cursor);
    expect(await stored(i.id)).toEqual(await recomputed(i.id, "America/Adak"));
    await expectPeriods(i.id, "America/Adak");

    // Disconnect: gone from the dashboard at once, from D1 after the 30-day purge.
    const before = await dashboard(t, ws.id, { area: "commerce", preset: "12m" });
    expect(before.kpis.find((k) => k.key === "orders")!.value[""]).toBeGreaterThan(0);
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: t.token }), 204);
    const after = await dashboard(t, ws.id, { area: "commerce", preset: "12m" });
    expect(after.kpis.find((k) => k.key === "orders")!.value[""]).toBe(0);
    expect(after.sources).toEqual([]);
    const at = (await env.DB.prepare("SELECT disconnected_at AS at FROM integrations WHERE id = ?").bind(i.id).first<{ at: number }>())!.at;
    await daily(at + 31 * DAY);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM metric_rollups WHERE integration_id = ?").bind(i.id).first<{ n: number }>();
    expect(left!.n).toBe(0);
    expect(await storedMonths(i.id, ORDER_METRICS)).toEqual({});
    expect(await storedYears(i.id, ORDER_METRICS)).toEqual({});
  });
});
