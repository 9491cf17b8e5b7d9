import { fromBase64, hmacSha256, timingSafeEqual } from "../../lib/hash";
import { ProviderError, providerFetch, readJson } from "../http";
import type { WebhookEvent, WebhookSpec } from "../types";
import { basicAuth, wooGet } from "./client";
import { mapWooOrder, type WooOrder } from "./streams";
import { normalizeStoreUrl } from "./store-url";

export const WOO_TOPICS = ["order.created", "order.updated", "order.deleted"];
/** Saving a webhook in WooCommerce sends this, unsigned, form-encoded; it must get a 2xx. */
const PING = /^webhook_id=\d+$/;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** X-WC-Webhook-Source is the site URL with a trailing slash; the account key has none. */
const sourceKey = (source: string) => {
  try {
    const u = new URL(source);
    return `https://${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}`;
  } catch {
    return source;
  }
};

type WooHook = { id: number; topic: string; delivery_url: string; status: string };

export const wooWebhooks: WebhookSpec = {
  /** X-WC-Webhook-Signature: base64 HMAC-SHA256 of the raw body with this webhook's secret. */
  async verify({ rawBody, headers, secret }) {
    const given = headers.get("x-wc-webhook-signature");
    // The ping carries no data and no signature; accepting it stores nothing (parse → null).
    if (!given) return PING.test(text(rawBody).trim());
    if (!secret) return false;
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(given.trim());
    } catch {
      return false;
    }
    return timingSafeEqual(await hmacSha256(secret, rawBody), bytes);
  },
  async parse({ rawBody, headers }): Promise<WebhookEvent | null> {
    const topic = headers.get("x-wc-webhook-topic");
    const eventId = headers.get("x-wc-webhook-delivery-id");
    const source = headers.get("x-wc-webhook-source");
    if (!topic || !eventId || !source || PING.test(text(rawBody).trim())) return null;
    let body: WooOrder & { id?: number };
    try {
      body = JSON.parse(text(rawBody)) as WooOrder;
    } catch {
      return null; // signed but unreadable: WooCommerce does not retry, so acknowledge it
    }
    const event: WebhookEvent = { eventId, topic, accountKey: sourceKey(source), batch: {} };
    if (topic === "order.deleted" && body.id !== undefined) event.batch.deleted = [{ kind: "order", providerId: String(body.id) }];
    else if (topic === "order.created" || topic === "order.updated" || topic === "order.restored") {
      try {
        event.batch.orders = [mapWooOrder(body)];
      } catch {
        return null;
      }
    }
    return event;
  },
  /** Registers order.created/updated/deleted for deliveryUrl with our per-integration secret (idempotent). */
  async subscribe(rt, p) {
    const storeUrl = normalizeStoreUrl(rt, p.account.storeUrl);
    const existing = await wooGet<WooHook[]>(rt, { storeUrl, secrets: p.secrets, path: "/webhooks", query: { per_page: "100" }, describe: "list webhooks" });
    const have = new Set((Array.isArray(existing.data) ? existing.data : []).filter((h) => h.delivery_url === p.deliveryUrl && h.status === "active").map((h) => h.topic));
    for (const topic of WOO_TOPICS) {
      if (have.has(topic)) continue;
      const res = await providerFetch(rt, `${storeUrl}/wp-json/wc/v3/webhooks`, {
        provider: "woocommerce",
        describe: "create webhook",
        method: "POST",
        headers: { authorization: basicAuth(p.secrets), "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ name: `QWEB ${topic}`, topic, delivery_url: p.deliveryUrl, secret: p.secret, status: "active" }),
      });
      const hook = await readJson<Partial<WooHook>>(res, "woocommerce");
      if (!hook.id) throw new ProviderError("transient", "woocommerce: webhook was not created", { provider: "woocommerce" });
    }
  },
};
