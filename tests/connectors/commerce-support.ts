// Exact-row checks shared by the Shopify and WooCommerce connector tests.
import { expect } from "vitest";
import type { Order } from "../../worker/connectors/types";

/** The sandbox's /stats answer for a shop or store. */
export type CommerceStats = {
  orders: number;
  products: number;
  refunds: number;
  refundedOrders: number;
  currency: string;
  revenueMinor: number;
  refundedMinor: number;
  discountMinor: number;
  lines: number;
};

/** The synced rows are exactly the provider's: count, unique ids, exact money sums, line items. */
export function expectExactOrders(orders: Order[], stats: CommerceStats) {
  expect(orders.length, "orders").toBe(stats.orders);
  expect(new Set(orders.map((o) => o.providerId)).size, "unique provider ids").toBe(stats.orders);
  expect(orders.reduce((s, o) => s + o.totalMinor, 0), "revenue (minor units)").toBe(stats.revenueMinor);
  expect(orders.reduce((s, o) => s + o.refundedMinor, 0), "refunded (minor units)").toBe(stats.refundedMinor);
  expect(orders.reduce((s, o) => s + o.discountMinor, 0), "discounts (minor units)").toBe(stats.discountMinor);
  expect(orders.filter((o) => o.refundedMinor > 0).length, "refunded orders").toBe(stats.refundedOrders);
  expect(orders.reduce((s, o) => s + o.lines.length, 0), "line items").toBe(stats.lines);
  for (const o of orders) expect(o.currency).toBe(stats.currency);
}
