import { hmacSha256, timingSafeEqual, toHex } from "../../lib/hash";
import { ProviderError, providerFetch, providerUrl, readJson } from "../http";
import type { Account, ConnectorRuntime, OAuthFlow, Secrets, TokenGrant } from "../types";
import { shopifyGraphql } from "./graphql";

export const SHOPIFY_SCOPES = ["read_orders", "read_all_orders", "read_products", "read_customers"];
const SHOP_RE = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
/** How old a callback's signed timestamp may be (clock skew plus a slow consent screen). */
const CALLBACK_MAX_AGE_MS = 60 * 60_000;

/** "acme", "https://acme.myshopify.com/", "admin.shopify.com/store/acme" → "acme.myshopify.com"; anything else is refused. */
export function normalizeShop(input: string | undefined): string {
  let s = (input ?? "").trim().toLowerCase().replace(/^https?:\/\//, "");
  const admin = /^admin\.shopify\.com\/store\/([a-z0-9][a-z0-9-]*)/.exec(s);
  s = admin ? `${admin[1]}.myshopify.com` : s.replace(/[/?#].*$/, "");
  if (s && !s.includes(".")) s += ".myshopify.com";
  if (!SHOP_RE.test(s)) throw new ProviderError("permanent", "Enter the shop's myshopify.com domain, e.g. acme.myshopify.com", { provider: "shopify" });
  return s;
}

/** Shopify signs the OAuth callback: hex HMAC-SHA256 over the sorted `key=value` pairs except hmac/signature. */
export async function verifyCallbackHmac(query: Record<string, string>, clientSecret: string): Promise<boolean> {
  const given = query.hmac ?? "";
  if (!/^[0-9a-f]{64}$/i.test(given)) return false;
  const message = Object.keys(query)
    .filter((k) => k !== "hmac" && k !== "signature")
    .sort()
    .map((k) => `${k}=${query[k]}`)
    .join("&");
  const expected = toHex(await hmacSha256(clientSecret, message));
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(expected), enc.encode(given.toLowerCase()));
}

type TokenReply = { access_token?: string; scope?: string; expires_in?: number; refresh_token?: string };

async function tokenRequest(rt: ConnectorRuntime, shop: string, body: Record<string, unknown>, describe: string): Promise<TokenReply> {
  const res = await providerFetch(rt, `https://${shop}/admin/oauth/access_token`, {
    provider: "shopify",
    describe,
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ client_id: rt.app.clientId, client_secret: rt.app.clientSecret, ...body }),
  });
  const reply = await readJson<TokenReply>(res, "shopify");
  if (!reply.access_token) throw new ProviderError("transient", `shopify ${describe}: reply without access_token`, { provider: "shopify" });
  return reply;
}

function grant(rt: ConnectorRuntime, reply: TokenReply, previous: Secrets, account: Account, label?: string): TokenGrant {
  return {
    // Shopify rotates the refresh token on every use; keep the old one only if none came back.
    secrets: { accessToken: reply.access_token, refreshToken: reply.refresh_token ?? previous.refreshToken },
    expiresAt: typeof reply.expires_in === "number" ? rt.now() + reply.expires_in * 1000 : null,
    scopes: (reply.scope ?? "").split(",").filter(Boolean),
    account,
    label: label ?? account.shop,
  };
}

const SHOP_QUERY = "query QwebShop { shop { name currencyCode } }";

export const shopifyOAuth: OAuthFlow = {
  inputs: [{ name: "shop", label: "Shop domain", secret: false, placeholder: "acme.myshopify.com", help: "Your store's myshopify.com address" }],
  pkce: false,
  scopes: SHOPIFY_SCOPES,
  authorizeUrl(rt, p) {
    const shop = normalizeShop(p.account.shop);
    const q = new URLSearchParams({ client_id: rt.app.clientId, scope: SHOPIFY_SCOPES.join(","), redirect_uri: rt.app.redirectUri, state: p.state });
    return providerUrl(rt, "shopify", `https://${shop}/admin/oauth/authorize?${q}`);
  },
  async exchange(rt, p) {
    const shop = normalizeShop(p.account.shop ?? p.query.shop);
    if (p.query.shop && p.query.shop.toLowerCase() !== shop) throw new ProviderError("permanent", "shopify: callback is for a different shop", { provider: "shopify" });
    if (!(await verifyCallbackHmac(p.query, rt.app.clientSecret))) throw new ProviderError("permanent", "shopify: callback signature is invalid", { provider: "shopify" });
    const ts = Number(p.query.timestamp) * 1000;
    if (!Number.isFinite(ts) || Math.abs(rt.now() - ts) > CALLBACK_MAX_AGE_MS) throw new ProviderError("permanent", "shopify: callback has expired", { provider: "shopify" });
    // expiring=1: an offline token that lasts an hour plus a rotating refresh token (required for public apps from 2027).
    const reply = await tokenRequest(rt, shop, { code: p.code, expiring: 1 }, "code exchange");
    const account: Account = { shop };
    let label = shop;
    try {
      const { shop: info } = await shopifyGraphql<{ shop: { name: string; currencyCode: string } }>(rt, { shop, accessToken: reply.access_token!, query: SHOP_QUERY, variables: {}, describe: "shop" });
      account.currency = info.currencyCode;
      label = `${info.name} (${shop})`;
    } catch (err) {
      // The code is spent already: a failed lookup only costs the label and currency (the streams fetch the currency themselves).
      if (!(err instanceof ProviderError)) throw err;
    }
    return grant(rt, reply, {}, account, label);
  },
  async refresh(rt, p) {
    const shop = normalizeShop(p.account.shop);
    if (!p.secrets.refreshToken) throw new ProviderError("unauthorized", "shopify: no refresh token stored; reconnect the shop", { provider: "shopify" });
    try {
      const reply = await tokenRequest(rt, shop, { grant_type: "refresh_token", refresh_token: p.secrets.refreshToken }, "token refresh");
      return grant(rt, reply, p.secrets, { ...p.account, shop });
    } catch (err) {
      // invalid_grant (400): the refresh token was revoked, already rotated or expired; only a reconnect helps.
      if (err instanceof ProviderError && err.opts.status === 400) {
        throw new ProviderError("unauthorized", "shopify: refresh token rejected; reconnect the shop", { status: 400, provider: "shopify" });
      }
      throw err;
    }
  },
  // No revoke: Shopify has no revocation endpoint for offline tokens; access ends when the merchant
  // uninstalls the app (we then receive app/uninstalled).
};
