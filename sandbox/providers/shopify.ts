// Shopify fake: OAuth (consent page, callback hmac, expiring offline tokens with rotating refresh
// tokens), Admin GraphQL with cost-based throttling, signed webhook deliveries and controls.
// Shops are generated from their name: "bench-100000.myshopify.com" (100,000 orders, unthrottled),
// "acme-orders-600-jpy.myshopify.com", "-bulky" for orders of 11+ line items (shopify-woo-commerce.ts).
// Controls under /_sandbox/shopify/: GET stats?shop= · POST mutate {shop, updated, created} ·
// POST config {shop, maximumAvailable, restoreRate, currentlyAvailable, singleQueryMax} ·
// POST expire {shop} · GET/POST bulk {shop, fail?, msPerObject?} (shopify-bulk.ts) · POST webhooks {shop, topic, orderIndex?, target?, badSignature?, eventId?, webhookId?}
// (returns the delivery; with `target` it is also POSTed there).
import { createHmac, randomUUID } from "node:crypto";
import {
  checkToken, consentPage, expireTokens, header, issueCode, issueTokens, json, readForm, redeemCode, redirect, useRefreshToken,
  type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse,
} from "../lib.ts";
import { configureBucket, graphql, queryRoot, throttledBody } from "./shopify-admin.ts";
import { BULK_HOST, bulkControl, download, wireBulk } from "./shopify-bulk.ts";
import { orderId, orderPayload, refundPayload } from "./shopify-objects.ts";
import { storeCache } from "./shopify-woo-commerce.ts";

export const SHOPIFY_CLIENT_ID = "qweb-sandbox-client";
export const SHOPIFY_CLIENT_SECRET = "qweb-sandbox-secret";
const ACCESS_TTL = 3600;
const SHOP_RE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const UNAUTHORIZED = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

const storeOf = storeCache("shopify-stores");
export const shopStore = (shop: string) => storeOf(shop, shop);
wireBulk(shopStore, (s, shop) => queryRoot(s, shop));

const sign = (secret: string, data: string | Buffer, enc: "hex" | "base64") => createHmac("sha256", secret).update(data).digest(enc);

/** The callback query Shopify sends back: code, host, shop, state, timestamp, signed with hmac (hex, sorted pairs). */
export function callbackQuery(params: Record<string, string>, secret = SHOPIFY_CLIENT_SECRET): URLSearchParams {
  const message = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&");
  return new URLSearchParams({ ...params, hmac: sign(secret, message, "hex") });
}

function approve(shop: string, p: Record<string, string>): SandboxResponse {
  const code = issueCode({ provider: "shopify", account: shop, scopes: (p.scope ?? "").split(",").filter(Boolean), redirectUri: p.redirect_uri!, clientId: p.client_id! });
  const params = { code, host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"), shop, state: p.state ?? "", timestamp: String(Math.floor(Date.now() / 1000)) };
  return redirect(`${p.redirect_uri}${p.redirect_uri!.includes("?") ? "&" : "?"}${callbackQuery(params)}`);
}

function authorize(req: SandboxRequest, shop: string): SandboxResponse {
  const p = req.method === "POST" ? readForm(req) : Object.fromEntries(req.url.searchParams);
  if (p.client_id !== SHOPIFY_CLIENT_ID) return json(400, { error: "invalid_request", error_description: "Unknown client_id" });
  if (!p.redirect_uri || !/^https?:\/\//.test(p.redirect_uri)) return json(400, { error: "invalid_request", error_description: "redirect_uri is required" });
  if (req.method === "POST") {
    if (p.decision !== "approve") return redirect(`${p.redirect_uri}?${new URLSearchParams({ error: "access_denied", state: p.state ?? "", shop })}`);
    return approve(shop, p);
  }
  // prompt=none: a sandbox convenience standing in for an already-granted install.
  if (p.prompt === "none") return approve(shop, p);
  const hidden = Object.fromEntries(["client_id", "redirect_uri", "state", "scope"].map((k) => [k, p[k] ?? ""]));
  return consentPage({ providerName: "Shopify", account: shop, scopes: (p.scope ?? "").split(","), action: req.url.pathname, hidden });
}

function tokenEndpoint(req: SandboxRequest, shop: string): SandboxResponse {
  const ct = header(req, "content-type") ?? "";
  let p: Record<string, unknown> = {};
  try {
    p = ct.includes("json") ? JSON.parse(req.body.toString("utf8")) : readForm(req);
  } catch {
    return json(400, { error: "invalid_request", error_description: "Malformed body" });
  }
  if (p.client_id !== SHOPIFY_CLIENT_ID || p.client_secret !== SHOPIFY_CLIENT_SECRET) return json(401, { error: "invalid_client", error_description: "Client authentication failed" });
  const reply = (t: { accessToken: string; refreshToken: string | null; expiresIn: number | null }, scopes: string[]) =>
    json(200, {
      access_token: t.accessToken,
      scope: scopes.join(","),
      ...(t.expiresIn === null ? {} : { expires_in: t.expiresIn, refresh_token: t.refreshToken, refresh_token_expires_in: 90 * 86400 }),
    });
  if (p.grant_type === "refresh_token") {
    const t = useRefreshToken("shopify", String(p.refresh_token ?? ""), ACCESS_TTL, true);
    if (!t) return json(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." });
    return reply(t, checkToken("shopify", t.accessToken)?.scopes ?? []);
  }
  const g = redeemCode("shopify", String(p.code ?? ""), { clientId: SHOPIFY_CLIENT_ID });
  if ("error" in g || g.account !== shop) return json(400, { error: "invalid_grant", error_description: "The authorization code was not found or was already used" });
  const expiring = p.expiring === 1 || p.expiring === "1";
  const t = issueTokens("shopify", shop, g.scopes, expiring ? ACCESS_TTL : null, "shpat_");
  return reply(t, g.scopes);
}

export const shopify: ProviderModule = {
  id: "shopify",
  handle(req) {
    if (req.host === BULK_HOST) return req.method === "GET" ? download(req) : null;
    const shop = req.host.toLowerCase();
    if (!SHOP_RE.test(shop)) return json(404, { errors: "Not Found" });
    if (req.path === "/admin/oauth/authorize") return authorize(req, shop);
    if (req.path === "/admin/oauth/access_token" && req.method === "POST") return tokenEndpoint(req, shop);
    if (/^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.test(req.path) && req.method === "POST") {
      const who = checkToken("shopify", header(req, "x-shopify-access-token"));
      if (!who || who.account !== shop) return json(401, UNAUTHORIZED);
      return graphql(shopStore(shop), shop, req.body, req.origin);
    }
    return null;
  },
  renderFault(f: Fault, req) {
    const shop = req.host.toLowerCase();
    switch (f.kind) {
      case "throttled":
        return json(200, throttledBody(shop, 1000));
      case "429":
        return json(429, throttledBody(shop, 1000), { "retry-after": String(f.retryAfter ?? 1) });
      case "500":
      case "503":
        return json(Number(f.kind), { errors: [{ message: "Internal error. Looks like something went wrong on our end.", extensions: { code: "INTERNAL_SERVER_ERROR", requestId: randomUUID() } }] });
      case "token-expired":
        return json(401, UNAUTHORIZED);
      default:
        return null;
    }
  },
  control: (req, action) => control(req, action),
};

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  const shop = String(body.shop ?? req.url.searchParams.get("shop") ?? "").toLowerCase();
  if (!SHOP_RE.test(shop)) return json(400, { error: "shop must be a *.myshopify.com domain" });
  const s = shopStore(shop);
  switch (action) {
    case "stats":
      return json(200, { shop, ...s.summary() });
    case "mutate": {
      const m = s.mutate({ updated: Number(body.updated ?? 0), created: Number(body.created ?? 0) });
      const ids = (xs: number[]) => xs.map((i) => String(orderId(i)));
      return json(200, { updated: ids(m.updated), created: ids(m.created), at: m.at });
    }
    case "config":
      return json(200, configureBucket(shop, body));
    case "expire":
      expireTokens("shopify", shop);
      return json(200, { ok: true });
    case "webhooks":
      return deliver(shop, body);
    case "bulk":
      return bulkControl(shop, body);
    default:
      return null;
  }
}

/** Builds (and, with a target, sends) one webhook delivery signed the way Shopify signs it. */
async function deliver(shop: string, p: Record<string, any>): Promise<SandboxResponse> {
  const s = shopStore(shop);
  const topic = String(p.topic ?? "orders/create");
  let index = p.orderIndex === undefined ? s.orderCount - 1 : Number(p.orderIndex);
  let payload: unknown;
  if (topic === "orders/create" || topic === "orders/updated" || topic === "orders/paid") payload = orderPayload(s, s.order(index));
  else if (topic === "orders/delete") payload = { id: orderId(index) };
  else if (topic === "refunds/create") {
    if (p.orderIndex === undefined) while (index > 0 && !s.order(index).refunds.length) index--;
    const o = s.order(index);
    if (!o.refunds.length) return json(400, { error: "that order has no refund" });
    payload = refundPayload(o, 0);
  } else if (topic === "app/uninstalled") payload = { id: s.seed, name: shop.split(".")[0], domain: shop, myshopify_domain: shop };
  else if (topic.startsWith("customers/") || topic === "shop/redact") payload = { shop_id: s.seed, shop_domain: shop, customer: { id: 6_600_000_000_001, email: "ada@example.com" }, orders_to_redact: [] };
  else return json(400, { error: `unsupported topic ${topic}` });
  const raw = JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": sign(p.badSignature ? "not-the-client-secret" : SHOPIFY_CLIENT_SECRET, raw, "base64"),
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-04",
    "x-shopify-webhook-id": String(p.webhookId ?? randomUUID()),
    "x-shopify-event-id": String(p.eventId ?? randomUUID()),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  const out: Record<string, unknown> = { delivery: { headers, body: raw } };
  if (p.target) {
    try {
      const res = await fetch(String(p.target), { method: "POST", headers, body: raw, signal: AbortSignal.timeout(5000) });
      out.response = { status: res.status, body: (await res.text()).slice(0, 2000) };
    } catch (err) {
      out.response = { status: 0, error: String(err) };
    }
  }
  return json(200, out);
}
