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

  it("a breakdown over ranges across years (read as whole years, a year less the months and days it leaves out, or months and days) equals the orders' lines summed per local day, in Pacific/Kiritimati", async () => {
    const { t, ws } = await ownerWithWorkspace("Years");
    await setTimeZone(t, ws.id, "Pacific/Kiritimati");
    const owner = await fakeIntegration(t, ws.id, "shopify");
    // Orders every 23 hours from late November 2023 to early February 2026 over nine products,
    // some in EUR; a product sold only on 2024-12-31 and one only on 2025-01-01 (local days).
    const orders: Order[] = [];
    for (let i = 0, ms = Date.UTC(2023, 10, 20); ms < Date.UTC(2026, 1, 8); i++, ms += 23 * HOUR) {
      const lines = [{ productId: `p${(i * 7) % 9}`, title: `Product ${(i * 7) % 9}`, quantity: 1 + (i % 4), totalMinor: 900 + (i % 11) * 100 }];
      if (i % 3 === 0) lines.push({ productId: `p${(i * 5 + 2) % 9}`, title: `Product ${(i * 5 + 2) % 9}`, quantity: 1, totalMinor: 650 });
      orders.push(orderOf(`y${i}`, ms, i % 4 === 0 ? "EUR" : "USD", lines));
    }
    // 2024-12-31 and 2025-01-01 at noon in Kiritimati (UTC+14).
    orders.push(orderOf("eve", Date.UTC(2024, 11, 30, 22), "USD", [{ productId: "eve", title: "New Year's Eve", quantity: 40, totalMinor: 40_000 }]));
    orders.push(orderOf("day", Date.UTC(2024, 11, 31, 22), "USD", [{ productId: "day", title: "New Year's Day", quantity: 45, totalMinor: 45_000 }]));
    for (let i = 0; i < orders.length; i += 100) await writeBatch(owner, { orders: orders.slice(i, i + 100) });
    expect(dayIn("Pacific/Kiritimati", Date.UTC(2024, 11, 30, 22))).toBe("2024-12-31");

    const ranges = [
      ["2024-01-01", "2024-12-31"], // a whole year
      ["2024-01-01", "2024-12-30"], // the year less its last day ("eve" left out)
      ["2025-01-02", "2025-12-31"], // the year less its first day ("day" left out)
      ["2023-12-03", "2025-12-02"], // two years from December 3: 2024, 2025 less December, December 2023 less two days
      ["2024-02-03", "2025-12-30"], // two years less January, two days and the last day
      ["2024-03-10", "2024-11-20"], // inside a year: the year less its first months, its last, and days
      ["2023-11-25", "2026-01-05"], // three partial years
      ["2024-12-31", "2025-01-01"], // two days across the new year
      ["2024-12-20", "2025-01-10"], // days on both sides
    ];
    for (const [from, to] of ranges) {
      for (const limit of [100, 4]) {
        const res = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?${new URLSearchParams({ dimension: "product", metrics: "products_sold,product_revenue", from: from!, to: to!, limit: String(limit) })}`, { token: t.token });
        expectStatus(res, 200);
        const got = { total: res.json.total, rows: res.json.rows.map((r: any) => ({ value: r.value, figures: r.figures })), other: res.json.other };
        expect(got, `${from}..${to} limit ${limit}`).toEqual(expected(orders, "Pacific/Kiritimati", from!, to!, limit));
      }
    }
    const eve = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=product&metrics=products_sold&from=2024-01-01&to=2024-12-31`, { token: t.token });
    expect(eve.json.rows.find((r: any) => r.value === "eve"), "a year's label").toMatchObject({ label: "New Year's Eve" });
    const day = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=product&metrics=products_sold&from=2024-12-31&to=2025-01-01`, { token: t.token });
    expect(day.json.rows.slice(0, 2), "labels read on days").toEqual([
      expect.objectContaining({ value: "day", label: "New Year's Day" }), expect.objectContaining({ value: "eve", label: "New Year's Eve" })]);
  });
});
