// Klaviyo system webhooks. Signature (Klaviyo's "Working with system webhooks" guide, as
// summarised by hookdeck/webhook-skills): Klaviyo-Signature = hex HMAC-SHA256(secret, rawBody
// followed by the Klaviyo-Timestamp header value). One delivery batches up to 1,000 events; it
// becomes one WebhookEvent whose id is derived from its webhook id and event ids, so a replayed
// delivery has the same id. The rows are synced by the next run: the batch only signals it.
import { hmacSha256, timingSafeEqual, toHex } from "../../lib/hash";
import type { WebhookEvent, WebhookSpec } from "../types";

type Delivery = {
  data?: { external_id?: string; topic?: string }[];
  meta?: { klaviyo_account_id?: string; klaviyo_webhook_id?: string; timestamp?: string };
};

const enc = new TextEncoder();

export const klaviyoWebhook: WebhookSpec = {
  async verify({ rawBody, headers, secret }) {
    const signature = headers.get("klaviyo-signature")?.trim().toLowerCase();
    const timestamp = headers.get("klaviyo-timestamp");
    if (!signature || !timestamp || !secret) return false;
    const ts = enc.encode(timestamp);
    const signed = new Uint8Array(rawBody.length + ts.length);
    signed.set(rawBody);
    signed.set(ts, rawBody.length);
    const expected = toHex(await hmacSha256(secret, signed));
    return timingSafeEqual(enc.encode(expected), enc.encode(signature));
  },

  async parse({ rawBody, headers }): Promise<WebhookEvent | null> {
    let body: Delivery;
    try {
      body = JSON.parse(new TextDecoder().decode(rawBody)) as Delivery;
    } catch {
      return null;
    }
    const events = Array.isArray(body?.data) ? body.data : [];
    const webhookId = body?.meta?.klaviyo_webhook_id;
    const account = body?.meta?.klaviyo_account_id;
    // Klaviyo: a body whose webhook id differs from the header is not to be processed.
    if (!events.length || !webhookId || !account || webhookId !== headers.get("klaviyo-webhook-id")) return null;
    const ids = events.map((e) => e.external_id ?? "");
    if (ids.some((id) => !id)) return null;
    const topics = [...new Set(events.map((e) => e.topic ?? ""))];
    return {
      eventId: `${webhookId}:${ids.length}:${ids[0]}:${ids.at(-1)}`,
      topic: topics.length === 1 ? topics[0]! : "batch",
      accountKey: account,
      batch: {},
    };
  },
};
