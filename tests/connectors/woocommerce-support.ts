// Shared by the woocommerce*.test.ts files: throwaway stores sized by name, sandbox keys, exact checks.
import { expect } from "vitest";
import { woocommerce } from "../../worker/connectors/woocommerce";
import type { ApiKeyFlow, Order } from "../../worker/connectors/types";
import { sandboxRuntime } from "../support/connectors";

export const wooFlow = woocommerce.auth.kind === "api-key" ? woocommerce.auth.flow : (undefined as never as ApiKeyFlow);
let n = 0;

/** A fresh store per test (sandbox state and faults are per store), sized and priced by its name. */
export const newStore = (tag: string, orders = 120, currency?: string, path = "") =>
  `https://t${Date.now().toString(36)}${++n}-${tag}-orders-${orders}${currency ? `-${currency}` : ""}.example.com${path}`;

/** The sandbox accepts any ck_<x> / cs_<x> pair with the same <x>. */
export const sandboxKeys = (x = "sandbox_demo") => ({ consumerKey: `ck_${x}`, consumerSecret: `cs_${x}` });

export type StoreStats = {
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

export async function connectStore(storeUrl: string) {
  const secrets = sandboxKeys();
  const verified = await wooFlow.verify(sandboxRuntime(), { secrets, account: { storeUrl } });
  return { secrets, account: verified.account, label: verified.label };
}

export function expectExactWooOrders(orders: Order[], stats: StoreStats) {
  expect(orders.length, "orders").toBe(stats.orders);
  expect(new Set(orders.map((o) => o.providerId)).size, "unique provider ids").toBe(stats.orders);
  expect(orders.reduce((s, o) => s + o.totalMinor, 0), "revenue (minor units)").toBe(stats.revenueMinor);
  expect(orders.reduce((s, o) => s + o.refundedMinor, 0), "refunded (minor units)").toBe(stats.refundedMinor);
  expect(orders.reduce((s, o) => s + o.discountMinor, 0), "discounts (minor units)").toBe(stats.discountMinor);
  expect(orders.filter((o) => o.refundedMinor > 0).length, "refunded orders").toBe(stats.refundedOrders);
  expect(orders.reduce((s, o) => s + o.lines.length, 0), "line items").toBe(stats.lines);
  for (const o of orders) expect(o.currency).toBe(stats.currency);
}

/** Waits for the next wall-clock second: a run's window ends at the second it starts in. */
export const nextSecond = () => new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));
