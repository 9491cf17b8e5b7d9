// Shared by the woocommerce*.test.ts files: throwaway stores sized by name, sandbox keys, exact checks.
import { woocommerce } from "../../worker/connectors/woocommerce";
import type { ApiKeyFlow } from "../../worker/connectors/types";
import { sandboxRuntime } from "../support/connectors";

export const wooFlow = woocommerce.auth.kind === "api-key" ? woocommerce.auth.flow : (undefined as never as ApiKeyFlow);
let n = 0;

/** A fresh store per test (sandbox state and faults are per store), sized and priced by its name. */
export const newStore = (tag: string, orders = 120, currency?: string, path = "") =>
  `https://t${Date.now().toString(36)}${++n}-${tag}-orders-${orders}${currency ? `-${currency}` : ""}.example.com${path}`;

/** The sandbox accepts any ck_<x> / cs_<x> pair with the same <x>. */
export const sandboxKeys = (x = "sandbox_demo") => ({ consumerKey: `ck_${x}`, consumerSecret: `cs_${x}` });

export async function connectStore(storeUrl: string) {
  const secrets = sandboxKeys();
  const verified = await wooFlow.verify(sandboxRuntime(), { secrets, account: { storeUrl } });
  return { secrets, account: verified.account, label: verified.label };
}

/** Waits for the next wall-clock second: a run's window ends at the second it starts in. */
export const nextSecond = () => new Promise((r) => setTimeout(r, 1005 - (Date.now() % 1000)));

export { expectExactOrders, type CommerceStats as StoreStats } from "./commerce-support";
