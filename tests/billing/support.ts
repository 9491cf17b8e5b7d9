import Stripe from "stripe";
import { SANDBOX_STRIPE } from "../../worker/connectors/stripe";
import { call, env, expectStatus, type Tenant } from "../support/harness";

export type Delivery = { url: string; headers: Record<string, string>; body: string; at: number };

export async function sandbox<T = any>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${env.SANDBOX_URL}/_sandbox/stripe/${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** Deliveries the sandbox signed for QWEB's account since `since` (the test Worker has no port: the test posts them). */
export async function deliveriesSince(since: number): Promise<Delivery[]> {
  const { deliveries } = await sandbox<{ deliveries: Delivery[] }>(`deliveries?key=${SANDBOX_STRIPE.secretKey}&since=${since}`);
  return deliveries.filter((d) => d.url.endsWith("/api/webhooks/stripe"));
}

export const deliver = (d: { headers: Record<string, string>; body: string }) =>
  call("POST", "/api/webhooks/stripe", { rawBody: d.body, headers: { "content-type": "application/json", "stripe-signature": d.headers["stripe-signature"]! } });

/** Signs a payload as Stripe would, for events the test composes itself (older, replayed, stale). */
export async function signed(payload: string, opts: { secret?: string; timestamp?: number } = {}) {
  const stripe = new Stripe("sk_test_x", { httpClient: Stripe.createFetchHttpClient() });
  const header = await stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: opts.secret ?? SANDBOX_STRIPE.webhookSecret, timestamp: opts.timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });
  return { headers: { "stripe-signature": header }, body: payload };
}

/** Subscribes through the sandbox's hosted Checkout (its Pay button), then hands QWEB the signed events. */
export async function subscribe(t: Tenant, plan: "starter" | "agency" | "scale") {
  const since = Date.now();
  const res = await call("POST", `/api/orgs/${t.orgId}/billing/checkout`, { token: t.token, body: { plan } });
  expectStatus(res, 200);
  const pageRes = await fetch(res.json.url);
  const page = await pageRes.text();
  if (!page.includes('type="submit"')) throw new Error(`no Pay button on the checkout page: ${page.slice(0, 300)}`);
  const paid = await fetch(res.json.url, { method: "POST", body: "card=4242", headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  await paid.text();
  const deliveries = await deliveriesSince(since);
  for (const d of deliveries) expectStatus(await deliver(d), 200);
  return { url: res.json.url as string, redirect: paid.headers.get("location"), deliveries };
}

export const billing = async (t: Tenant) => {
  const res = await call("GET", `/api/orgs/${t.orgId}/billing`, { token: t.token });
  expectStatus(res, 200);
  return res.json;
};
