// Shared by the shopify*.test.ts files: throwaway shops sized by name, the OAuth dance, exact checks.
import { shopify } from "../../worker/connectors/shopify";
import type { OAuthFlow } from "../../worker/connectors/types";
import { authorizeSilently, sandboxControl, sandboxRuntime } from "../support/connectors";

const flow = shopify.auth.kind === "oauth2" ? shopify.auth.flow : (undefined as never as OAuthFlow);
let n = 0;

/** A fresh shop per test (sandbox state and faults are per shop): "t…-tag-orders-<size>[-cur].myshopify.com". */
export const newShop = (tag: string, orders = 120, currency?: string) =>
  `t${Date.now().toString(36)}${++n}-${tag}-orders-${orders}${currency ? `-${currency}` : ""}.myshopify.com`;

/** Authorize (prompt=none) + code exchange, as the connect route does; optionally lifts the cost throttle. */
export async function connectShop(shop: string, opts: { unthrottled?: boolean; bucket?: { maximumAvailable: number; restoreRate: number } } = {}) {
  const rt = sandboxRuntime();
  const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "st-1", account: { shop } }));
  const grant = await flow.exchange(rt, { code: back.code!, account: { shop }, query: back });
  if (opts.unthrottled) await sandboxControl("shopify/config", { shop, restoreRate: 50_000_000 });
  if (opts.bucket) await sandboxControl("shopify/config", { shop, ...opts.bucket });
  return { grant, back };
}


export { expectExactOrders, type CommerceStats as ShopStats } from "./commerce-support";
