// Stripe sandbox state: one store per API key (an account), objects shaped like Stripe's REST API,
// and every event an account emits, signed the way Stripe signs deliveries.
import { createHmac, randomBytes } from "node:crypto";

export type Obj = Record<string, any>;
export type Delivery = { endpoint: string; url: string; headers: Record<string, string>; body: string; status?: number; at: number };

/** Every endpoint gets this signing secret: sandbox secrets are known constants, like the OAuth apps'. */
export const SANDBOX_WEBHOOK_SECRET = "whsec_qweb_sandbox";

export const stripeId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x")}`;
export const nowSec = () => Math.floor(Date.now() / 1000);

export type Account = {
  key: string;
  customers: Map<string, Obj>;
  products: Map<string, Obj>;
  prices: Map<string, Obj>;
  sessions: Map<string, Obj>;
  portals: Map<string, Obj>;
  subscriptions: Map<string, Obj>;
  invoices: Map<string, Obj>;
  paymentLinks: Map<string, Obj>;
  endpoints: Map<string, Obj>;
  events: Obj[];
  deliveries: Delivery[];
};

const accounts = new Map<string, Account>();
export function account(key: string): Account {
  let a = accounts.get(key);
  if (!a) {
    a = { key, customers: new Map(), products: new Map(), prices: new Map(), sessions: new Map(), portals: new Map(), subscriptions: new Map(), invoices: new Map(), paymentLinks: new Map(), endpoints: new Map(), events: [], deliveries: [] };
    accounts.set(key, a);
  }
  return a;
}
/** The account a hosted page (checkout, portal) belongs to, found by the object's id. */
export function accountOf(map: keyof Pick<Account, "sessions" | "portals" | "paymentLinks">, id: string): Account | null {
  for (const a of accounts.values()) if (a[map].has(id)) return a;
  return null;
}

export function sign(body: string, secret: string, timestamp = nowSec()) {
  const sig = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${sig}`;
}

/** Records an event and delivers it to every enabled endpoint of the account (when reachable). */
export async function emit(a: Account, type: string, object: Obj, previous?: Obj) {
  const event = {
    id: stripeId("evt"),
    object: "event",
    api_version: "2026-10-28.endive",
    created: nowSec(),
    type,
    livemode: false,
    pending_webhooks: a.endpoints.size,
    request: { id: stripeId("req"), idempotency_key: null },
    data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
  };
  a.events.push(event);
  const body = JSON.stringify(event, null, 2);
  for (const ep of a.endpoints.values()) {
    const events: string[] = ep.enabled_events ?? ["*"];
    if (!events.includes("*") && !events.includes(type)) continue;
    const d: Delivery = { endpoint: ep.id, url: ep.url, headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": sign(body, ep.secret), "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)" }, body, at: Date.now() };
    a.deliveries.push(d);
    try {
      const res = await fetch(String(ep.url).replace("//localhost:", "//127.0.0.1:"), { method: "POST", headers: d.headers, body, signal: AbortSignal.timeout(5000) });
      d.status = res.status;
      await res.text();
    } catch {
      d.status = 0; // unreachable (tests read the delivery from /_sandbox/stripe/deliveries instead)
    }
  }
  return event;
}

export const list = (url: string, data: Obj[], limit = 10) => ({ object: "list", data: data.slice(0, limit), has_more: data.length > limit, url });
