// Stripe sandbox: the REST shapes QWEB uses (customers, prices, checkout sessions, billing portal
// sessions, subscriptions, invoices, payment links, webhook endpoints, events) for the official
// `stripe` SDK pointed here with host/port/protocol, hosted Checkout and Portal pages, and
// deliveries signed like Stripe's (Stripe-Signature: t=…,v1=HMAC-SHA256).
// API: /v1/… (host api.stripe.com). Pages: /stripe/checkout.stripe.com/c/pay/:id, /stripe/billing.stripe.com/p/session/:id
// Control: GET /_sandbox/stripe/deliveries?key=…  POST /_sandbox/stripe/advance {key, subscription, action: payment_failed|recover|renew}
import { header, json, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { account, accountOf, list, nowSec, SANDBOX_WEBHOOK_SECRET, stripeId, type Account, type Obj } from "./stripe-state.ts";
import { int, parseStripeForm } from "./stripe-form.ts";
import { checkoutPage, completeCheckout, portalAction, portalPage } from "./stripe-pages.ts";
import { failPayment, recoverPayment } from "./stripe-billing.ts";

const err = (status: number, type: string, message: string, param?: string, code?: string) =>
  json(status, { error: { type, message, ...(param ? { param } : {}), ...(code ? { code } : {}), doc_url: "https://stripe.com/docs/error-codes", request_log_url: "https://dashboard.stripe.com/test/logs" } }, { "request-id": stripeId("req") });
const missing = (what: string, id: string, param = "id") => err(404, "invalid_request_error", `No such ${what}: '${id}'`, param, "resource_missing");

function keyOf(req: SandboxRequest): string | null {
  const auth = header(req, "authorization") ?? "";
  const m = /^Bearer (sk_test_[A-Za-z0-9_]{4,})$/.exec(auth);
  return m ? m[1]! : null;
}

function priceFor(a: Account, id: string) {
  return a.prices.get(id) ?? null;
}

async function api(req: SandboxRequest, a: Account): Promise<SandboxResponse | null> {
  const p = req.path.replace(/^\/v1/, "");
  const form = req.method === "GET" || req.method === "DELETE" ? parseStripeForm(req.url.search.slice(1)) : parseStripeForm(req.body.toString("utf8"));
  const seg = p.split("/").filter(Boolean);
  const base = `${req.origin}/stripe`;
  switch (`${req.method} ${seg[0]}${seg[1] && seg[0] !== "checkout" && seg[0] !== "billing_portal" ? "/:id" : ""}`) {
    case "POST customers": {
      const c = { id: stripeId("cus"), object: "customer", email: form.email ?? null, name: form.name ?? null, metadata: form.metadata ?? {}, created: nowSec(), livemode: false };
      a.customers.set(c.id, c);
      return json(200, c);
    }
    case "DELETE customers/:id": {
      // Stripe deletes the customer (and its subscriptions); later calls naming it answer resource_missing.
      if (!a.customers.has(seg[1]!)) return missing("customer", seg[1]!);
      a.customers.delete(seg[1]!);
      return json(200, { id: seg[1], object: "customer", deleted: true });
    }
    case "GET customers/:id":
      return a.customers.has(seg[1]!) ? json(200, a.customers.get(seg[1]!)) : missing("customer", seg[1]!);
    case "POST prices": {
      if (!form.currency || int(form.unit_amount) === undefined) return err(400, "invalid_request_error", "Missing required param: currency.", "currency", "parameter_missing");
      const product = { id: stripeId("prod"), object: "product", name: form.product_data?.name ?? "Product", active: true };
      a.products.set(product.id, product);
      const price = { id: stripeId("price"), object: "price", active: true, currency: String(form.currency).toLowerCase(), unit_amount: int(form.unit_amount), lookup_key: form.lookup_key ?? null, product: product.id, recurring: form.recurring ? { interval: form.recurring.interval ?? "month", interval_count: 1 } : null, type: form.recurring ? "recurring" : "one_time", metadata: form.metadata ?? {}, created: nowSec() };
      a.prices.set(price.id, price);
      return json(200, price);
    }
    case "GET prices": {
      const keys: string[] = form.lookup_keys ?? [];
      const data = [...a.prices.values()].filter((x) => !keys.length || keys.includes(x.lookup_key));
      return json(200, list("/v1/prices", data, int(form.limit) ?? 10));
    }
    case "POST webhook_endpoints": {
      if (!form.url) return err(400, "invalid_request_error", "Missing required param: url.", "url", "parameter_missing");
      const ep = { id: stripeId("we"), object: "webhook_endpoint", url: form.url, enabled_events: form.enabled_events ?? ["*"], status: "enabled", secret: SANDBOX_WEBHOOK_SECRET, created: nowSec(), metadata: form.metadata ?? {} };
      a.endpoints.set(ep.id, ep);
      return json(200, ep);
    }
    case "GET webhook_endpoints":
      return json(200, list("/v1/webhook_endpoints", [...a.endpoints.values()].map(({ secret: _s, ...e }) => e), 100));
    case "GET events":
      return json(200, list("/v1/events", [...a.events].reverse(), int(form.limit) ?? 10));
    case "POST payment_links": {
      const items = (form.line_items ?? []) as Obj[];
      if (!items.length || !items.every((i) => priceFor(a, i.price))) return err(400, "invalid_request_error", "line_items must name existing prices", "line_items");
      const link = { id: stripeId("plink"), object: "payment_link", active: true, url: `${base}/buy.stripe.com/${stripeId("bl")}`, line_items: items, metadata: form.metadata ?? {} };
      a.paymentLinks.set(link.id, link);
      return json(200, link);
    }
    case "GET subscriptions/:id":
      return a.subscriptions.has(seg[1]!) ? json(200, a.subscriptions.get(seg[1]!)) : missing("subscription", seg[1]!);
    case "GET invoices":
      return json(200, list("/v1/invoices", [...a.invoices.values()].filter((i) => !form.subscription || i.parent?.subscription_details?.subscription === form.subscription), int(form.limit) ?? 10));
  }
  if (seg[0] === "checkout" && seg[1] === "sessions") {
    if (req.method === "POST" && !seg[2]) {
      const items = (form.line_items ?? []) as Obj[];
      const mode = form.mode ?? "payment";
      if (!form.success_url) return err(400, "invalid_request_error", "Missing required param: success_url.", "success_url", "parameter_missing");
      if (!items.length) return err(400, "invalid_request_error", "Missing required param: line_items.", "line_items", "parameter_missing");
      for (const [i, it] of items.entries()) {
        if (it.price && !priceFor(a, it.price)) return err(400, "invalid_request_error", `No such price: '${it.price}'`, `line_items[${i}][price]`, "resource_missing");
        if (!it.price && !it.price_data) return err(400, "invalid_request_error", "Each line item needs a price or price_data", `line_items[${i}]`);
      }
      if (form.customer && !a.customers.has(form.customer)) return missing("customer", form.customer, "customer");
      const id = stripeId("cs");
      const amount = items.reduce((s, it) => s + (it.price ? priceFor(a, it.price)!.unit_amount : int(it.price_data.unit_amount) ?? 0) * (int(it.quantity) ?? 1), 0);
      const currency = items[0]!.price ? priceFor(a, items[0]!.price)!.currency : String(items[0]!.price_data.currency).toLowerCase();
      const session = {
        id, object: "checkout.session", mode, status: "open", payment_status: "unpaid", url: `${base}/checkout.stripe.com/c/pay/${id}`,
        customer: form.customer ?? null, customer_email: form.customer_email ?? null, client_reference_id: form.client_reference_id ?? null,
        success_url: form.success_url, cancel_url: form.cancel_url ?? null, metadata: form.metadata ?? {}, subscription: null, payment_intent: null,
        amount_total: amount, currency, line_items_input: items, subscription_data: form.subscription_data ?? null, payment_intent_data: form.payment_intent_data ?? null,
        expires_at: nowSec() + 24 * 3600, created: nowSec(), livemode: false,
      };
      a.sessions.set(id, session);
      const { line_items_input: _l, subscription_data: _s, payment_intent_data: _p, ...shape } = session;
      return json(200, shape);
    }
    if (req.method === "GET" && seg[2]) {
      const s = a.sessions.get(seg[2]);
      if (!s) return missing("checkout.session", seg[2]);
      const { line_items_input: _l, subscription_data: _s, payment_intent_data: _p, ...shape } = s;
      return json(200, shape);
    }
  }
  if (seg[0] === "billing_portal" && seg[1] === "sessions" && req.method === "POST") {
    if (!form.customer || !a.customers.has(form.customer)) return form.customer ? missing("customer", String(form.customer), "customer") : err(400, "invalid_request_error", "Missing required param: customer.", "customer", "parameter_missing");
    const id = stripeId("bps");
    const s = { id, object: "billing_portal.session", customer: form.customer, return_url: form.return_url ?? null, url: `${base}/billing.stripe.com/p/session/${id}`, created: nowSec(), livemode: false };
    a.portals.set(id, s);
    return json(200, s);
  }
  return null;
}

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Obj) : Object.fromEntries(req.url.searchParams);
  const a = account(String(body.key ?? ""));
  if (action === "deliveries") return json(200, { deliveries: a.deliveries.filter((d) => d.at >= Number(body.since ?? 0)) });
  if (action === "advance") {
    const sub = a.subscriptions.get(String(body.subscription));
    if (!sub) return json(404, { error: "no such subscription" });
    if (body.action === "payment_failed") await failPayment(a, sub);
    else if (body.action === "recover") await recoverPayment(a, sub);
    else return json(400, { error: "action is payment_failed or recover" });
    return json(200, { subscription: sub });
  }
  return null;
}

export const stripe: ProviderModule = {
  id: "stripe",
  async handle(req) {
    if (req.host === "checkout.stripe.com") {
      const id = req.path.split("/").pop() ?? "";
      const a = accountOf("sessions", id);
      if (!a) return json(404, { error: "checkout session not found" });
      return req.method === "POST" ? completeCheckout(a, a.sessions.get(id)!) : checkoutPage(a, a.sessions.get(id)!);
    }
    if (req.host === "billing.stripe.com") {
      const id = req.path.split("/").pop() ?? "";
      const a = accountOf("portals", id);
      if (!a) return json(404, { error: "portal session not found" });
      return req.method === "POST" ? portalAction(a, a.portals.get(id)!, parseStripeForm(req.body.toString("utf8"))) : portalPage(a, a.portals.get(id)!);
    }
    if (!req.path.startsWith("/v1/")) return null;
    const key = keyOf(req);
    if (!key) return err(401, "invalid_request_error", "Invalid API Key provided: sk_****", undefined, "api_key_invalid");
    return api(req, account(key));
  },
  control,
  renderFault(f) {
    // Stripe's own envelope for its failures (api_error) and rate limits (rate_limit_error).
    const body = (status: number, type: string, message: string, code?: string) => err(status, type, message, undefined, code);
    if (f.kind === "429" || f.kind === "throttled") return { ...body(429, "invalid_request_error", "Request rate limit exceeded.", "rate_limit"), headers: { "content-type": "application/json", "retry-after": String(f.retryAfter ?? 1) } };
    if (f.kind === "500" || f.kind === "503") return body(f.kind === "500" ? 500 : 503, "api_error", "An unknown error occurred");
    return null;
  },
};

