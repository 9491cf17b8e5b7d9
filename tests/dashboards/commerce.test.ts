import { describe, expect, it } from "vitest";
import { connectKey, drain, ownerWithWorkspace } from "../integrations/support";
import { addDays, call, commerceFigures, dashboard, dayIn, expectStatus, KEY, kpi, setTimeZone, uid, wooOrders } from "./support";

/**
 * Commerce KPIs against the sandbox store's own orders, read over its REST API and summed here,
 * in time zones far from UTC on both sides (UTC+14 and UTC−10/−9 with DST).
 */
describe("dashboards: commerce KPIs", () => {
  it("every commerce KPI equals the sandbox's orders summed in the workspace's time zone, with the previous period, in Pacific/Kiritimati and America/Adak", async () => {
    const { t, ws } = await ownerWithWorkspace("Kiritimati Shop");
    await setTimeZone(t, ws.id, "Pacific/Kiritimati");
    const storeUrl = `https://dash-${uid()}-orders-400.example`;
    await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: `ck_${KEY}`, consumerSecret: `cs_${KEY}` });
    await drain(ws.id);
    const orders = await wooOrders(storeUrl);
    expect(orders.length).toBe(400);

    for (const tz of ["Pacific/Kiritimati", "America/Adak"]) {
      if (tz !== "Pacific/Kiritimati") await setTimeZone(t, ws.id, tz);
      const days = orders.map((o) => dayIn(tz, Date.parse(`${o.date_created_gmt}Z`))).sort();
      const to = addDays(days.at(-1)!, -20);
      const from = addDays(to, -59);
      const d = await dashboard(t, ws.id, { area: "commerce", from, to, compare: "previous" });
      const now = commerceFigures(orders, tz, from, to);
      const before = commerceFigures(orders, tz, addDays(from, -60), addDays(from, -1));
      expect(now.orders, "the range holds orders").toBeGreaterThan(10);
      const cur = orders[0]!.currency;
      const expected = { revenue_gross: [now.gross, before.gross], refunds: [now.refunds, before.refunds], revenue_net: [now.net, before.net], aov: [now.aov, before.aov] };
      for (const [key, [value, previous]] of Object.entries(expected)) {
        expect(kpi(d, key).value[cur], `${tz} ${key}`).toBeCloseTo(value!, 6);
        expect(kpi(d, key).previous?.[cur], `${tz} previous ${key}`).toBeCloseTo(previous!, 6);
      }
      expect(kpi(d, "orders").value[""], `${tz} orders`).toBe(now.orders);
      expect(kpi(d, "orders").previous?.[""]).toBe(before.orders);
      expect(kpi(d, "products_sold").value[""]).toBe(now.productsSold);
      // The daily series adds up to the total.
      expect(kpi(d, "revenue_gross").series.reduce((s, p) => s + (p.value[cur] ?? 0), 0)).toBe(now.gross);
      expect(kpi(d, "revenue_gross").series.length).toBe(60);

      const top = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?${new URLSearchParams({ dimension: "product", metrics: "products_sold,product_revenue", from, to })}`, { token: t.token });
      expectStatus(top, 200);
      for (const row of top.json.rows as { value: string; figures: Record<string, Record<string, number>> }[]) {
        expect(row.figures.products_sold![""], `units of ${row.value}`).toBe(now.units.get(row.value));
      }
      expect(top.json.rows.length).toBe(now.units.size);
      expect(top.json.total).toBe(now.units.size);
      expect(top.json.other).toBeNull();
      // The top 3 by units; the other products summed into one "other" figure.
      expect(now.units.size, "the range sold more than three products").toBeGreaterThan(3);
      const three = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?${new URLSearchParams({ dimension: "product", metrics: "products_sold,product_revenue", from, to, limit: "3" })}`, { token: t.token });
      expectStatus(three, 200);
      const units = [...now.units.values()].sort((a, b) => b - a);
      expect(three.json.rows.map((r: any) => r.figures.products_sold[""])).toEqual(units.slice(0, 3));
      expect(three.json.total).toBe(now.units.size);
      expect(three.json.other.count).toBe(now.units.size - 3);
      expect(three.json.other.figures.products_sold[""]).toBe(units.slice(3).reduce((a, b) => a + b, 0));
      const revenue = (rows: any[]) => rows.reduce((n, r) => n + (r.figures.product_revenue[cur] ?? 0), 0);
      expect(revenue(three.json.rows) + three.json.other.figures.product_revenue[cur]).toBe(revenue(top.json.rows));
    }
  });

  it("each day's orders are those placed between its local midnights, in UTC, Pacific/Kiritimati and America/Adak", async () => {
    const { t, ws } = await ownerWithWorkspace("Boundaries");
    const storeUrl = `https://dash-${uid()}-orders-300.example`;
    await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: `ck_${KEY}`, consumerSecret: `cs_${KEY}` });
    await drain(ws.id);
    const orders = await wooOrders(storeUrl);
    for (const tz of ["UTC", "Pacific/Kiritimati", "America/Adak"]) {
      await setTimeZone(t, ws.id, tz);
      const days = [...new Set(orders.map((o) => dayIn(tz, Date.parse(`${o.date_created_gmt}Z`))))].sort();
      const to = days.at(-1)!;
      const d = await dashboard(t, ws.id, { area: "commerce", metrics: "orders", from: addDays(to, -30), to, compare: "none" });
      const series = kpi(d, "orders").series;
      for (const p of series) {
        const expected = orders.filter((o) => o.status !== "cancelled" && o.status !== "failed" && dayIn(tz, Date.parse(`${o.date_created_gmt}Z`)) === p.bucket).length;
        expect(p.value[""], `${tz} ${p.bucket}`).toBe(expected);
      }
      expect(series.reduce((n, p) => n + (p.value[""] ?? 0), 0), `${tz}: the month holds orders`).toBeGreaterThan(0);
    }
  });

  it("rejects ranges that end before they start, unknown time zones and half ranges with 400", async () => {
    const { t, ws } = await ownerWithWorkspace();
    for (const q of ["from=2026-02-10&to=2026-02-01", "from=2026-02-30&to=2026-03-01", "from=2026-01-01", "area=nope", "from=2020-01-01&to=2026-01-01"]) {
      const res = await call("GET", `/api/workspaces/${ws.id}/dashboard?${q}`, { token: t.token });
      expectStatus(res, 400);
      expect(res.json.error.code).toBe("VALIDATION_FAILED");
    }
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/dashboard/time-zone`, { token: t.token, body: { timeZone: "Mars/Olympus" } }), 400);
  });
});
