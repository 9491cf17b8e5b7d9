// Microsoft identity platform (v2.0, the `common` tenant: work, school and personal accounts):
// authorize with PKCE, code exchange, refresh. Refresh tokens ROTATE: every refresh answers a new
// one, which replaces the stored one. There is no revocation endpoint for a delegated grant: a
// disconnect deletes the tokens (the user removes the app under account.live.com / myapps).
import { formBody, ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, Secrets, TokenGrant } from "../types";

export const MS_AUTHORITY = "https://login.microsoftonline.com/common/oauth2/v2.0";
export const OUTLOOK_SCOPES = ["offline_access", "User.Read", "Mail.ReadWrite", "Mail.Send"];

type TokenResponse = { access_token?: string; refresh_token?: string; expires_in?: number; scope?: string; token_type?: string; error?: string; error_description?: string; error_codes?: number[] };

export function microsoftAuthorizeUrl(rt: ConnectorRuntime, p: { state: string; codeChallenge?: string; loginHint?: string }): string {
  const q = new URLSearchParams({
    client_id: rt.app.clientId,
    response_type: "code",
    redirect_uri: rt.app.redirectUri,
    response_mode: "query",
    scope: OUTLOOK_SCOPES.join(" "),
    state: p.state,
  });
  if (p.codeChallenge) {
    q.set("code_challenge", p.codeChallenge);
    q.set("code_challenge_method", "S256");
  }
  if (p.loginHint) q.set("login_hint", p.loginHint);
  return providerUrl(rt, "outlook", `${MS_AUTHORITY}/authorize?${q}`);
}

/** The token endpoint; its error body decides: invalid_grant (AADSTS70008 expired, 50173 revoked…) → reconnect. */
async function tokenCall(rt: ConnectorRuntime, form: Record<string, string | undefined>): Promise<TokenGrant> {
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "outlook", `${MS_AUTHORITY}/token`), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: formBody(form),
      signal: AbortSignal.timeout(rt.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `outlook Microsoft OAuth: ${timedOut ? "timed out" : "network error"}`, { provider: "outlook" });
  }
  const text = await res.text();
  let body: TokenResponse = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ProviderError("transient", "outlook Microsoft OAuth: malformed JSON response", { status: res.status, provider: "outlook" });
  }
  const status = res.status;
  if (!res.ok) {
    const reason = `${body.error ?? status}${body.error_description ? ` (${body.error_description.split(/\r?\n/)[0]})` : ""}`;
    if (status === 429) throw new ProviderError("rate-limited", "outlook Microsoft OAuth: rate limited", { status, provider: "outlook" });
    if (status >= 500) throw new ProviderError("transient", `outlook Microsoft OAuth: ${status}`, { status, provider: "outlook" });
    if (body.error === "invalid_grant" || body.error === "interaction_required") throw new ProviderError("unauthorized", `outlook Microsoft OAuth: ${reason}`, { status, provider: "outlook" });
    throw new ProviderError("permanent", `outlook Microsoft OAuth: ${reason}`, { status, provider: "outlook" });
  }
  if (!body.access_token) throw new ProviderError("transient", "outlook Microsoft OAuth: no access_token in response", { provider: "outlook" });
  const secrets: Secrets = { accessToken: body.access_token };
  if (body.refresh_token) secrets.refreshToken = body.refresh_token;
  return {
    secrets,
    expiresAt: typeof body.expires_in === "number" && body.expires_in > 0 ? rt.now() + body.expires_in * 1000 : null,
    scopes: (body.scope ?? "").split(" ").filter(Boolean),
  };
}

export const microsoftExchange = (rt: ConnectorRuntime, p: { code: string; codeVerifier?: string }) =>
  tokenCall(rt, {
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
    grant_type: "authorization_code",
    code: p.code,
    redirect_uri: rt.app.redirectUri,
    code_verifier: p.codeVerifier,
    scope: OUTLOOK_SCOPES.join(" "),
  });

/** A new access token AND a new refresh token (the old one is spent). */
export async function microsoftRefresh(rt: ConnectorRuntime, secrets: Secrets): Promise<TokenGrant> {
  if (!secrets.refreshToken) throw new ProviderError("unauthorized", "outlook: no refresh token stored", { provider: "outlook" });
  const grant = await tokenCall(rt, {
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
    grant_type: "refresh_token",
    refresh_token: secrets.refreshToken,
    scope: OUTLOOK_SCOPES.join(" "),
  });
  // Rarely a refresh answers without a new refresh token: keep the one that still works.
  if (!grant.secrets.refreshToken) grant.secrets.refreshToken = secrets.refreshToken;
  return grant;
}
