import { fromBase64, hmacSha256, timingSafeEqual } from "../../lib/hash";
import { toMinor } from "../../lib/money";
import type { Order, WebhookEvent, WebhookSpec } from "../types";

type Amount = string | number | null | undefined;
type RestOrder = {
  id: number;
  name?: string;
  created_at: string;
  updated_at: string;
  cancelled_at?: string | null;
  currency: string;
  financial_status?: string | null;
  subtotal_price?: Amount;
  total_price?: Amount;
  total_discounts?: Amount;
  customer?: { id?: number } | null;
  line_items?: { product_id?: number | null; title?: string; quantity?: number; price?: Amount; discount_allocations?: { amount?: Amount }[] }[];
  refunds?: { transactions?: { kind?: string; status?: string; amount?: Amount }[] }[];
};

const ORDER_TOPICS = new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled", "orders/fulfilled", "orders/partially_fulfilled"]);

/** REST-style webhook order → the same Order row the GraphQL sync produces. */
export function mapRestOrder(o: RestOrder): Order {
  const cur = o.currency;
  const refundedMinor = (o.refunds ?? [])
    .flatMap((r) => r.transactions ?? [])
    .filter((t) => t.kind === "refund" && t.status !== "failure" && t.status !== "error")
    .reduce((s, t) => s + toMinor(t.amount, cur), 0);
  return {
    providerId: String(o.id),
    number: o.name ?? String(o.id),
    status: o.cancelled_at ? "cancelled" : (o.financial_status ?? "unknown").toLowerCase(),
    currency: cur,
    totalMinor: toMinor(o.total_price, cur),
    subtotalMinor: toMinor(o.subtotal_price, cur),
    discountMinor: toMinor(o.total_discounts, cur),
    refundedMinor,
    customerId: o.customer?.id ? String(o.customer.id) : null,
    createdAt: Date.parse(o.created_at),
    updatedAt: Date.parse(o.updated_at),
    lines: (o.line_items ?? []).map((l) => ({
      productId: l.product_id ? String(l.product_id) : "",
      title: l.title ?? "",
      quantity: l.quantity ?? 0,
      totalMinor: toMinor(l.price, cur) * (l.quantity ?? 0) - (l.discount_allocations ?? []).reduce((s, d) => s + toMinor(d.amount, cur), 0),
    })),
  };
}

export const shopifyWebhooks: WebhookSpec = {
  /** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the raw body with the app's client secret. */
  async verify({ rawBody, headers, secret }) {
    const given = headers.get("x-shopify-hmac-sha256");
    if (!given || !secret) return false;
    let givenBytes: Uint8Array;
    try {
      givenBytes = fromBase64(given.trim());
    } catch {
      return false;
    }
    return timingSafeEqual(await hmacSha256(secret, rawBody), givenBytes);
  },
  async parse({ rawBody, headers }): Promise<WebhookEvent | null> {
    const topic = headers.get("x-shopify-topic");
    const accountKey = headers.get("x-shopify-shop-domain")?.toLowerCase();
    // Shopify's guidance: the same X-Shopify-Event-Id on two deliveries means a duplicate.
    const eventId = headers.get("x-shopify-event-id") ?? headers.get("x-shopify-webhook-id");
    if (!topic || !accountKey || !eventId) return null;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(new TextDecoder().decode(rawBody)) as Record<string, unknown>;
    } catch {
      return null; // signed but unreadable: acknowledging beats 48 hours of identical retries
    }
    const event: WebhookEvent = { eventId, topic, accountKey, batch: {} };
    if (ORDER_TOPICS.has(topic)) {
      try {
        event.batch.orders = [mapRestOrder(body as unknown as RestOrder)];
      } catch {
        return null;
      }
    } else if (topic === "orders/delete" && body.id !== undefined) {
      event.batch.deleted = [{ kind: "order", providerId: String(body.id) }];
    } else if (topic === "app/uninstalled") {
      event.revoked = true;
    }
    // refunds/create carries the refund only (no order totals); Shopify sends orders/updated for the
    // same refund, which brings the whole order row. Compliance topics (customers/redact,
    // customers/data_request, shop/redact) arrive with an empty batch for the privacy flows.
    return event;
  },
};
