// Facebook Login: authorize → code → short-lived user token → long-lived user token
// (fb_exchange_token, ~60 days). There is no refresh token: the expiry is stored and the user
// reconnects before it (the integration shows "Reconnect before <date>").
import { ProviderError, providerUrl } from "../http";
import type { Account, ConnectorRuntime, TokenGrant } from "../types";
import { GRAPH_BASE, GRAPH_VERSION, graphGet, type Paged } from "./graph";

export const META_AUTHORIZE_URL = `https://www.facebook.com/${GRAPH_VERSION}/dialog/oauth`;
export const META_SCOPES = [
  "pages_show_list",
  "pages_read_engagement",
  "read_insights",
  "instagram_basic",
  "instagram_manage_insights",
  "ads_read",
  "business_management",
  // Publishing (issue 9): Page posts and Instagram content publishing.
  "pages_manage_posts",
  "instagram_content_publish",
];

type TokenResponse = { access_token?: string; token_type?: string; expires_in?: number; error?: { message?: string; code?: number } };

export function metaAuthorizeUrl(rt: ConnectorRuntime, p: { state: string; account: Account }): string {
  const q = new URLSearchParams({
    client_id: rt.app.clientId,
    redirect_uri: rt.app.redirectUri,
    state: p.state,
    response_type: "code",
    scope: META_SCOPES.join(","),
  });
  if (p.account.loginHint) q.set("login_hint", p.account.loginHint);
  return providerUrl(rt, "meta", `${META_AUTHORIZE_URL}?${q}`);
}

async function tokenCall(rt: ConnectorRuntime, params: Record<string, string>): Promise<{ token: string; expiresIn: number | null }> {
  const body = await graphGet<TokenResponse>(rt, "oauth/access_token", params, "", "oauth/access_token").catch((err) => {
    // A used or expired code is an OAuthException (#100/#190): the user must start again.
    if (err instanceof ProviderError && err.kind === "permanent") throw new ProviderError("unauthorized", err.message, err.opts);
    throw err;
  });
  if (!body.access_token) throw new ProviderError("transient", "meta oauth: no access_token in response", { provider: "meta" });
  return { token: body.access_token, expiresIn: typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : null };
}

type Me = { id: string; name?: string };
type PageRow = { id: string; name?: string; instagram_business_account?: { id: string; username?: string } };
type AdAccountRow = { id: string; name?: string; currency?: string; account_status?: number };

/** Every page of a Graph edge (connect-time listing of the user's assets). */
async function all<T>(rt: ConnectorRuntime, path: string, params: Record<string, string>, token: string): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const page: Paged<T> = await graphGet<Paged<T>>(rt, path, { ...params, ...(after ? { after } : {}) }, token);
    out.push(...(page.data ?? []));
    after = page.paging?.next ? (page.paging.cursors?.after ?? null) : null;
    if (!after) break;
  }
  return out;
}

/**
 * What one Meta connection covers: the user's Pages, their linked Instagram business accounts
 * and the user's ad accounts (ids as comma lists; ad account currencies as "act_1:USD,…").
 */
export async function listAssets(rt: ConnectorRuntime, token: string): Promise<{ account: Account; label: string }> {
  const me = await graphGet<Me>(rt, "me", { fields: "id,name" }, token);
  const pages = await all<PageRow>(rt, "me/accounts", { fields: "id,name,instagram_business_account{id,username}", limit: "25" }, token);
  const ads = await all<AdAccountRow>(rt, "me/adaccounts", { fields: "id,name,currency,account_status", limit: "50" }, token);
  const account: Account = {
    userId: me.id,
    userName: me.name ?? me.id,
    pages: pages.map((p) => p.id).join(","),
    igAccounts: pages.flatMap((p) => (p.instagram_business_account ? [p.instagram_business_account.id] : [])).join(","),
    adAccounts: ads.map((a) => a.id).join(","),
    adCurrencies: ads.map((a) => `${a.id}:${a.currency ?? "USD"}`).join(","),
  };
  // Webhook deliveries name a Page or IG account: they find this integration through `assets`.
  account.assets = [account.pages, account.igAccounts].filter(Boolean).join(",");
  const names = pages.map((p) => p.name).filter(Boolean);
  return { account, label: names.length ? `${me.name ?? "Meta"} (${names.join(", ")})` : (me.name ?? `Meta user ${me.id}`) };
}

export async function metaExchange(rt: ConnectorRuntime, p: { code: string }): Promise<TokenGrant> {
  const short = await tokenCall(rt, {
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
    redirect_uri: rt.app.redirectUri,
    code: p.code,
  });
  const long = await tokenCall(rt, {
    grant_type: "fb_exchange_token",
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
    fb_exchange_token: short.token,
  });
  const { account, label } = await listAssets(rt, long.token);
  return {
    secrets: { accessToken: long.token },
    expiresAt: long.expiresIn === null ? null : rt.now() + long.expiresIn * 1000,
    scopes: META_SCOPES,
    account,
    label,
  };
}

/** Ends the app's permissions for the user (DELETE /me/permissions). */
export async function metaRevoke(rt: ConnectorRuntime, token: string | undefined): Promise<void> {
  if (!token) return;
  const res = await rt
    .fetch(providerUrl(rt, "meta", `${GRAPH_BASE}/me/permissions`), { method: "DELETE", headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(rt.timeoutMs) })
    .catch(() => null);
  await res?.body?.cancel();
}
