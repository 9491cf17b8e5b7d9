// Google OAuth 2.0 for every Google connector (GA4 now, Google Ads later): authorize URL with PKCE
// and offline access, code exchange, refresh (Google keeps the refresh token: none comes back) and
// revocation. `provider` is the calling connector: it picks the sandbox prefix and tags errors.
import { formBody, ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, ProviderId, Secrets, TokenGrant } from "../types";

export const GOOGLE_AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth";
export const GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token";
export const GOOGLE_REVOKE_URL = "https://oauth2.googleapis.com/revoke";

type TokenResponse = { access_token?: string; expires_in?: number; refresh_token?: string; scope?: string; token_type?: string };
type TokenError = { error?: string; error_description?: string };

export function googleAuthorizeUrl(
  rt: ConnectorRuntime,
  provider: ProviderId,
  p: { scopes: string[]; state: string; codeChallenge?: string; loginHint?: string },
): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: rt.app.clientId,
    redirect_uri: rt.app.redirectUri,
    scope: p.scopes.join(" "),
    state: p.state,
    // Offline access + consent: Google only hands out a refresh token on a consent screen.
    access_type: "offline",
    prompt: "consent",
    include_granted_scopes: "true",
  });
  if (p.codeChallenge) {
    q.set("code_challenge", p.codeChallenge);
    q.set("code_challenge_method", "S256");
  }
  if (p.loginHint) q.set("login_hint", p.loginHint);
  return providerUrl(rt, provider, `${GOOGLE_AUTHORIZE_URL}?${q}`);
}

/**
 * POSTs a form to Google's token/revoke endpoint. Unlike providerFetch it reads the error body:
 * `invalid_grant` (revoked or expired refresh token, used code) means the user must reconnect.
 */
async function googleTokenCall(rt: ConnectorRuntime, provider: ProviderId, url: string, form: Record<string, string | undefined>) {
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, provider, url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: formBody(form),
      signal: AbortSignal.timeout(rt.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `${provider} Google OAuth: ${timedOut ? "timed out" : "network error"}`, { provider });
  }
  const text = await res.text();
  let body: (TokenResponse & TokenError) | null = null;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    if (res.ok) throw new ProviderError("transient", `${provider} Google OAuth: malformed JSON response`, { status: res.status, provider });
  }
  if (res.ok && body) return body;
  const status = res.status;
  const reason = body?.error ? `${body.error}${body.error_description ? ` (${body.error_description})` : ""}` : String(status);
  if (status === 429) throw new ProviderError("rate-limited", `${provider} Google OAuth: rate limited`, { status, provider });
  if (status >= 500) throw new ProviderError("transient", `${provider} Google OAuth: ${status}`, { status, provider });
  if (body?.error === "invalid_grant" || body?.error === "invalid_token") {
    throw new ProviderError("unauthorized", `${provider} Google OAuth: ${reason}`, { status, provider });
  }
  throw new ProviderError("permanent", `${provider} Google OAuth: ${reason}`, { status, provider });
}

function grantOf(rt: ConnectorRuntime, provider: ProviderId, body: TokenResponse, keepRefresh?: string): TokenGrant {
  if (!body.access_token) throw new ProviderError("transient", `${provider} Google OAuth: no access_token in response`, { provider });
  const secrets: Secrets = { accessToken: body.access_token };
  const refreshToken = body.refresh_token ?? keepRefresh;
  if (refreshToken) secrets.refreshToken = refreshToken;
  return {
    secrets,
    expiresAt: typeof body.expires_in === "number" && body.expires_in > 0 ? rt.now() + body.expires_in * 1000 : null,
    scopes: (body.scope ?? "").split(" ").filter(Boolean),
  };
}

export async function googleExchange(
  rt: ConnectorRuntime,
  provider: ProviderId,
  p: { code: string; codeVerifier?: string },
): Promise<TokenGrant> {
  const body = await googleTokenCall(rt, provider, GOOGLE_TOKEN_URL, {
    grant_type: "authorization_code",
    code: p.code,
    code_verifier: p.codeVerifier,
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
    redirect_uri: rt.app.redirectUri,
  });
  return grantOf(rt, provider, body);
}

/** New access token; the refresh token stays the same (Google returns none on refresh). */
export async function googleRefresh(rt: ConnectorRuntime, provider: ProviderId, secrets: Secrets): Promise<TokenGrant> {
  if (!secrets.refreshToken) throw new ProviderError("unauthorized", `${provider}: no refresh token stored`, { provider });
  const body = await googleTokenCall(rt, provider, GOOGLE_TOKEN_URL, {
    grant_type: "refresh_token",
    refresh_token: secrets.refreshToken,
    client_id: rt.app.clientId,
    client_secret: rt.app.clientSecret,
  });
  return grantOf(rt, provider, body, secrets.refreshToken);
}

/** Revokes the grant (the refresh token ends every token of it); an already dead token is fine. */
export async function googleRevoke(rt: ConnectorRuntime, provider: ProviderId, secrets: Secrets): Promise<void> {
  const token = secrets.refreshToken ?? secrets.accessToken;
  if (!token) return;
  try {
    await googleTokenCall(rt, provider, GOOGLE_REVOKE_URL, { token });
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "unauthorized") return;
    throw err;
  }
}

/** Headers for a Google API call with the stored access token. */
export function googleAuthHeaders(provider: ProviderId, secrets: Secrets): Record<string, string> {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", `${provider}: no access token stored`, { provider });
  return { authorization: `Bearer ${secrets.accessToken}`, accept: "application/json" };
}
