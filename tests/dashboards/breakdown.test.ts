import { describe, expect, it } from "vitest";
import { ownerWithWorkspace } from "../integrations/support";
import type { Order } from "../../worker/connectors/types";
import { call, dayIn, expectStatus, fakeIntegration, setTimeZone, writeBatch } from "./support";

const HOUR = 3_600_000;

/**
 * Orders every 7 hours from late December to early June (UTC), one or two lines each over twelve
 * products, some in EUR; plus a product sold only early on February 1st (local, in both time
 * zones below) and one sold only in an order that is deleted afterwards.
 */
function makeOrders(): Order[] {
  const out: Order[] = [];
  const start = Date.UTC(2025, 11, 29);
  for (let i = 0, t = start; t < Date.UTC(2026, 5, 3); i++, t += 7 * HOUR + (i % 5) * 600_000) {
    const currency = i % 5 === 0 ? "EUR" : "USD";
    const lines = [{ productId: `p${(i * 7) % 12}`, title: `Product ${(i * 7) % 12}`, quantity: 1 + (i % 3), totalMinor: 1000 + (i % 13) * 100 }];
    if (i % 2) lines.push({ productId: `p${(i * 5 + 3) % 12}`, title: `Product ${(i * 5 + 3) % 12}`, quantity: 1, totalMinor: 700 });
    out.push(orderOf(`o${i}`, t, currency, lines));
  }
  out.push(orderOf("first-only", Date.UTC(2026, 1, 1, 9), "USD", [{ productId: "first-only", title: "Sold on the 1st", quantity: 50, totalMinor: 90_000 }]));
  out.push(orderOf("gone", Date.UTC(2026, 2, 15, 12), "USD", [{ productId: "gone", title: "Deleted order's product", quantity: 70, totalMinor: 80_000 }]));
  return out;
}
const orderOf = (id: string, ms: number, currency: string, lines: Order["lines"]): Order => ({
  providerId: id, number: id, status: "paid", currency, totalMinor: lines.reduce((s, l) => s + l.totalMinor, 0), subtotalMinor: 0, discountMinor: 0, refundedMinor: 0,
  customerId: null, createdAt: ms, updatedAt: ms, lines,
});

type Fig = Record<string, Record<string, number>>;
/** The breakdown of [from, to] (local days in tz) summed here from the orders, ranked like the API: units, then the product id. */
function expected(orders: Order[], tz: string, from: string, to: string, limit: number) {
  const by = new Map<string, Fig>();
  for (const o of orders) {
    const d = dayIn(tz, o.createdAt);
    if (d < from || d > to) continue;
    for (const l of o.lines) {
      const f = by.get(l.productId) ?? { products_sold: { "": 0 }, product_revenue: {} };
      f.products_sold![""]! += l.quantity;
      f.product_revenue![o.currency] = (f.product_revenue![o.currency] ?? 0) + l.totalMinor;
      by.set(l.productId, f);
    }
  }
  const ranked = [...by.entries()].sort(([a, x], [b, y]) => y.products_sold![""]! - x.products_sold![""]! || (a < b ? -1 : 1));
  const rest = ranked.slice(limit);
  const other: Fig = { products_sold: { "": 0 }, product_revenue: {} };
  for (const [, f] of rest) {
    other.products_sold![""]! += f.products_sold![""]!;
    for (const [c, v] of Object.entries(f.product_revenue!)) other.product_revenue![c] = (other.product_revenue![c] ?? 0) + v;
  }
  return {
    total: ranked.length,
    rows: ranked.slice(0, limit).map(([value, figures]) => ({ value, figures })),
    other: rest.length ? { count: rest.length, figures: other } : null,
  };
}

describe("dashboards: breakdowns and drill-downs over partial months", () => {
  it("a breakdown over ranges that start and end inside months (read as months less their left-out days, or as days) equals the orders' lines summed per local day, and so does a product's drill-down, in America/Los_Angeles and Pacific/Kiritimati", async () => {
    const { t, ws } = await ownerWithWorkspace("Partial Months");
    await setTimeZone(t, ws.id, "America/Los_Angeles");
    const owner = await fakeIntegration(t, ws.id, "shopify");
    const orders = makeOrders();
    for (let i = 0; i < orders.length; i += 100) await writeBatch(owner, { orders: orders.slice(i, i + 100) });
    await writeBatch(owner, { deleted: [{ kind: "order", providerId: "gone" }] });
    const kept = orders.filter((o) => o.providerId !== "gone");

    const ranges = [
      ["2026-01-15", "2026-04-02"], // a short head and tail: read as days
      ["2026-01-03", "2026-03-29"], // most of January and March: months less Jan 1–2 and Mar 30–31
      ["2026-02-02", "2026-03-31"], // February less its 1st, when "first-only" sold
      ["2026-02-10", "2026-03-20"], // two partial months, no whole one between
      ["2026-03-05", "2026-03-28"], // inside one month, left out at both ends (the DST change, in Los Angeles)
      ["2026-01-01", "2026-05-31"], // whole months; "gone" was deleted
      ["2025-12-29", "2026-06-02"],
    ];
    for (const tz of ["America/Los_Angeles", "Pacific/Kiritimati"]) {
      if (tz !== "America/Los_Angeles") await setTimeZone(t, ws.id, tz);
      for (const [from, to] of ranges) {
        for (const limit of [100, 3]) {
          const res = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?${new URLSearchParams({ dimension: "product", metrics: "products_sold,product_revenue", from: from!, to: to!, limit: String(limit) })}`, { token: t.token });
          expectStatus(res, 200);
          const want = expected(kept, tz, from!, to!, limit);
          const got = { total: res.json.total, rows: res.json.rows.map((r: any) => ({ value: r.value, figures: r.figures })), other: res.json.other };
          expect(got, `${tz} ${from}..${to} limit ${limit}`).toEqual(want);
        }
      }
      // The drill-down: one product's figures per local day.
      const drill = await call("GET", `/api/workspaces/${ws.id}/dashboard/drill?dimension=product&metrics=products_sold,product_revenue&value=p3&from=2026-01-20&to=2026-03-10`, { token: t.token });
      expectStatus(drill, 200);
      const days = new Map<string, Fig>();
      for (const o of kept) {
        const d = dayIn(tz, o.createdAt);
        if (d < "2026-01-20" || d > "2026-03-10") continue;
        for (const l of o.lines.filter((x) => x.productId === "p3")) {
          const f = days.get(d) ?? { products_sold: { "": 0 }, product_revenue: {} };
          f.products_sold![""]! += l.quantity;
          f.product_revenue![o.currency] = (f.product_revenue![o.currency] ?? 0) + l.totalMinor;
          days.set(d, f);
        }
      }
      expect(drill.json.label).toBe("Product 3");
      expect(drill.json.days, `${tz}: p3's days`).toEqual([...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, figures]) => ({ day, figures })));
      const feb = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=product&metrics=products_sold&from=2026-02-01&to=2026-02-27`, { token: t.token });
      expect(feb.json.rows[0], `${tz}: the 1st's product leads February`).toMatchObject({ value: "first-only", label: "Sold on the 1st" });
    }
  });
});
