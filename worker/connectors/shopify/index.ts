import type { Connector } from "../types";
import { shopifyOAuth } from "./oauth";
import { ordersStream, productsStream } from "./streams";
import { shopifyWebhooks } from "./webhooks";

/** Shopify Admin GraphQL: OAuth with expiring offline tokens, orders and products, signed webhooks. */
export const shopify: Connector = {
  id: "shopify",
  name: "Shopify",
  category: "commerce",
  auth: { kind: "oauth2", flow: shopifyOAuth },
  streams: [ordersStream, productsStream],
  webhook: shopifyWebhooks,
  // Webhooks name the shop in X-Shopify-Shop-Domain; the label carries the shop's display name.
  accountKey: (account) => account.shop ?? "",
};
