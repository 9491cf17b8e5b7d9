// Meta webhooks (app-level, /api/webhooks/meta): the GET hub.challenge handshake with the verify
// token, and POSTs signed with X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(app secret, raw body).
// Deliveries carry no id: a replay is byte-identical, so the id is a hash of the raw body.
import { hmacSha256, timingSafeEqual } from "../../lib/hash";
import type { WebhookEvent, WebhookSpec } from "../types";

type Payload = { object?: string; entry?: { id?: string; time?: number; changes?: { field?: string; value?: unknown }[] }[] };

const fromHex = (s: string) => {
  if (!/^(?:[0-9a-f]{2})+$/i.test(s)) return null;
  return new Uint8Array(s.match(/../g)!.map((h) => parseInt(h, 16)));
};

/** 64-bit FNV-1a of the raw bytes as hex (two 32-bit lanes): stable id of a byte-identical replay. */
export function bodyId(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193);
    b = Math.imul(b ^ bytes[i]! ^ (a >>> 7), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** The GET subscription check: the challenge to echo when the verify token matches, else null. */
export function metaHandshake(url: URL, verifyToken: string): string | null {
  const q = url.searchParams;
  if (q.get("hub.mode") !== "subscribe" || !verifyToken) return null;
  const given = new TextEncoder().encode(q.get("hub.verify_token") ?? "");
  const want = new TextEncoder().encode(verifyToken);
  return timingSafeEqual(given, want) ? (q.get("hub.challenge") ?? "") : null;
}

export const metaWebhook: WebhookSpec = {
  handshake: ({ url, verifyToken }) => metaHandshake(url, verifyToken),
  async verify({ rawBody, headers, secret }) {
    const m = /^sha256=([0-9a-f]{64})$/i.exec(headers.get("x-hub-signature-256") ?? "");
    const given = m ? fromHex(m[1]!) : null;
    if (!given || !secret) return false;
    return timingSafeEqual(await hmacSha256(secret, rawBody), given);
  },
  async parse({ rawBody }): Promise<WebhookEvent | null> {
    let p: Payload;
    try {
      p = JSON.parse(new TextDecoder().decode(rawBody)) as Payload;
    } catch {
      return null;
    }
    const entry = p.entry?.[0];
    if (!entry?.id || (p.object !== "page" && p.object !== "instagram")) return null;
    const fields = [...new Set((p.entry ?? []).flatMap((e) => (e.changes ?? []).map((c) => c.field ?? "")))].filter(Boolean);
    // No rows travel in a Page/IG notice: the engine syncs the changed account soon after.
    return { eventId: `meta:${bodyId(rawBody)}`, topic: `${p.object}/${fields.join("+") || "change"}`, accountKey: entry.id, assetId: entry.id, batch: {} };
  },
};
