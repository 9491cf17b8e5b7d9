import { ProviderError } from "../http";
import type { ApiKeyFlow, Connector } from "../types";
import { wooGet } from "./client";
import { normalizeStoreUrl } from "./store-url";
import { ordersStream, productsStream } from "./streams";
import { wooWebhooks } from "./webhooks";

type SystemStatus = { environment?: { home_url?: string; site_url?: string; version?: string }; settings?: { currency?: string } };

const KEY_RE = /^ck_[A-Za-z0-9_]{4,}$/;
const SECRET_RE = /^cs_[A-Za-z0-9_]{4,}$/;

export const wooApiKey: ApiKeyFlow = {
  inputs: [
    { name: "storeUrl", label: "Store address", secret: false, placeholder: "https://shop.example.com", help: "Your WordPress site's address (https)" },
    { name: "consumerKey", label: "Consumer key", secret: true, placeholder: "ck_…", help: "WooCommerce → Settings → Advanced → REST API → Add key (Read/Write lets QWEB register webhooks)" },
    { name: "consumerSecret", label: "Consumer secret", secret: true, placeholder: "cs_…" },
  ],
  async verify(rt, p) {
    const storeUrl = normalizeStoreUrl(rt, p.account.storeUrl);
    const consumerKey = p.secrets.consumerKey?.trim() ?? "";
    const consumerSecret = p.secrets.consumerSecret?.trim() ?? "";
    if (!KEY_RE.test(consumerKey) || !SECRET_RE.test(consumerSecret)) {
      throw new ProviderError("permanent", "That does not look like a WooCommerce key pair (ck_… and cs_…)", { provider: "woocommerce" });
    }
    // A real, authenticated call: bad keys answer 401 (unauthorized), a site without WooCommerce 404.
    const res = await wooGet<SystemStatus>(rt, { storeUrl, secrets: { consumerKey, consumerSecret }, path: "/system_status", describe: "verify key" });
    const currency = res.data.settings?.currency;
    if (!currency) throw new ProviderError("permanent", "woocommerce: this address did not answer like a WooCommerce store", { provider: "woocommerce" });
    return { account: { storeUrl, currency }, label: storeUrl.replace(/^https:\/\//, "") };
  },
};

/** WooCommerce REST v3: consumer key/secret over https, orders and products, signed webhooks. */
export const woocommerce: Connector = {
  id: "woocommerce",
  name: "WooCommerce",
  category: "commerce",
  auth: { kind: "api-key", flow: wooApiKey },
  streams: [ordersStream, productsStream],
  webhook: wooWebhooks,
  // X-WC-Webhook-Source names the store by its URL; the label drops the scheme.
  accountKey: (account) => account.storeUrl ?? "",
};
