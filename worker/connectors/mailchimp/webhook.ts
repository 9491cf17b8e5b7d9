// Mailchimp webhooks: unsigned form posts. The URL registered with Mailchimp carries our secret
// (`?secret=`), compared in constant time. Deliveries have no id, so the id is the SHA-256 of the
// raw body (a retry or replay of the same delivery has the same body). They concern one list
// (`data[list_id]`); the rows themselves come with the next sync.
import { sha256Hex, timingSafeEqual } from "../../lib/hash";
import type { WebhookEvent, WebhookSpec } from "../types";

const enc = new TextEncoder();
const TYPES = new Set(["subscribe", "unsubscribe", "profile", "upemail", "cleaned", "campaign"]);

export const mailchimpWebhook: WebhookSpec = {
  async verify({ url, secret }) {
    const given = url.searchParams.get("secret");
    if (!given || !secret) return false;
    return timingSafeEqual(enc.encode(given), enc.encode(secret));
  },

  async parse({ rawBody }): Promise<WebhookEvent | null> {
    const form = new URLSearchParams(new TextDecoder().decode(rawBody));
    const type = form.get("type") ?? "";
    const listId = form.get("data[list_id]");
    if (!TYPES.has(type) || !listId) return null;
    return { eventId: `mc:${await sha256Hex(rawBody)}`, topic: type, accountKey: listId, batch: {} };
  },
};
