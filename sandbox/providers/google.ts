// Google OAuth 2.0 (accounts.google.com authorize, oauth2.googleapis.com token + revoke) and the
// Google API error envelope. Every Google-API sandbox module (ga4, later google-ads) delegates
// these hosts here, so one Google user and one token store serve all of them.
import {
  checkToken,
  consentPage,
  expireTokens,
  header,
  html,
  issueCode,
  issueTokens,
  json,
  readForm,
  redeemCode,
  redirect,
  revokeToken,
  useRefreshToken,
  type Fault,
  type ProviderModule,
  type SandboxRequest,
  type SandboxResponse,
} from "../lib.ts";
import { changed, persisted, refill } from "../state.ts";

export const GOOGLE_CLIENT = { id: "qweb-sandbox-client", secret: "qweb-sandbox-secret" };
export const ACCESS_TTL_SECONDS = 3599;
/** The Google user when the authorize request carries no login_hint. */
export const DEFAULT_GOOGLE_USER = "sandbox.user@gmail.com";
const CALLBACK_PATH = "/api/integrations/oauth/callback";
const KNOWN_SCOPES = new Set([
  "openid",
  "email",
  "profile",
  "https://www.googleapis.com/auth/analytics.readonly",
  "https://www.googleapis.com/auth/analytics",
  "https://www.googleapis.com/auth/adwords",
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/gmail.modify",
]);

const STATUS_OF: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** Google's API error envelope: {"error":{"code","message","status"}}. */
export const googleError = (code: number, message: string, headers: Record<string, string> = {}) =>
  json(code, { error: { code, message, status: STATUS_OF[code] ?? "UNKNOWN" } }, headers);

export function googleFault(f: Fault): SandboxResponse | null {
  switch (f.kind) {
    case "429":
    case "throttled":
      return googleError(429, "Resource has been exhausted (e.g. check quota).", { "retry-after": String(f.retryAfter ?? 1) });
    case "500":
      return googleError(500, "Internal error encountered.");
    case "503":
      return googleError(503, "The service is currently unavailable.", { "retry-after": String(f.retryAfter ?? 1) });
    case "token-expired":
      return googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token.");
    default:
      return null;
  }
}

/** The Google user behind a bearer token holding one of `scopes`, or the error to answer. */
export function googleUser(req: SandboxRequest, scopes: string[]): { user: string } | { error: SandboxResponse } {
  const auth = header(req, "authorization") ?? "";
  const token = /^Bearer (.+)$/i.exec(auth)?.[1];
  const t = checkToken("google", token);
  if (!t) return { error: googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token.") };
  if (!t.scopes.some((s) => scopes.includes(s))) return { error: googleError(403, "Request had insufficient authentication scopes.") };
  return { user: t.account };
}

// Google returns a refresh token only for access_type=offline; remember which codes asked for it.
const offlineCodes = new Set<string>();
const refreshOwners = new Map<string, string>();
persisted("google", {
  save: () => ({ offlineCodes: [...offlineCodes], refreshOwners: [...refreshOwners] }),
  load: (d) => {
    offlineCodes.clear();
    for (const c of d.offlineCodes ?? []) offlineCodes.add(c);
    refill(refreshOwners, d.refreshOwners);
  },
});

const errorPage = (status: number, title: string, detail: string) =>
  html(status, `<!doctype html><title>Error ${status}: ${title}</title><h1>Error ${status}: ${title}</h1><p>${detail}</p>`);

function backTo(redirectUri: string, params: Record<string, string | undefined>): SandboxResponse {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return redirect(u.toString());
}

function authorize(req: SandboxRequest): SandboxResponse {
  const p: Record<string, string> =
    req.method === "POST" ? readForm(req) : Object.fromEntries(req.url.searchParams);
  if (p.client_id !== GOOGLE_CLIENT.id) return errorPage(401, "invalid_client", "The OAuth client was not found.");
  let redirectOk = false;
  try {
    const u = new URL(p.redirect_uri ?? "");
    redirectOk = (u.protocol === "http:" || u.protocol === "https:") && u.pathname === CALLBACK_PATH;
  } catch {}
  if (!redirectOk) return errorPage(400, "redirect_uri_mismatch", "The redirect URI in the request does not match the ones authorized for the OAuth client.");
  const state = p.state;
  if (p.response_type !== "code") return backTo(p.redirect_uri!, { error: "unsupported_response_type", state });
  const scopes = (p.scope ?? "").split(/\s+/).filter(Boolean);
  if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s))) return backTo(p.redirect_uri!, { error: "invalid_scope", state });
  if (p.code_challenge && p.code_challenge_method !== "S256") return backTo(p.redirect_uri!, { error: "invalid_request", state });
  const user = (p.login_hint || DEFAULT_GOOGLE_USER).toLowerCase();

  const approved = p.prompt === "none" || (req.method === "POST" && p.decision === "approve");
  if (req.method === "POST" && p.decision !== "approve") return backTo(p.redirect_uri!, { error: "access_denied", state });
  if (!approved) {
    const hidden = { ...p };
    delete hidden.decision;
    return consentPage({ providerName: "Google", account: user, scopes, action: req.url.pathname, hidden });
  }
  const code = issueCode({
    provider: "google",
    account: user,
    scopes,
    codeChallenge: p.code_challenge || undefined,
    redirectUri: p.redirect_uri!,
    clientId: p.client_id,
  });
  if (p.access_type === "offline") offlineCodes.add(code);
  changed();
  return backTo(p.redirect_uri!, { state, code, scope: scopes.join(" "), authuser: "0", prompt: "consent" });
}

function clientOf(req: SandboxRequest, form: Record<string, string>) {
  const basic = /^Basic (.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
  if (basic) {
    const [id, secret] = Buffer.from(basic, "base64").toString("utf8").split(":");
    return { id, secret };
  }
  return { id: form.client_id, secret: form.client_secret };
}

const tokenError = (status: number, error: string, description: string) => json(status, { error, error_description: description });

function token(req: SandboxRequest): SandboxResponse {
  const form = readForm(req);
  const client = clientOf(req, form);
  if (client.id !== GOOGLE_CLIENT.id || client.secret !== GOOGLE_CLIENT.secret) return tokenError(401, "invalid_client", "The OAuth client was not found.");
  if (form.grant_type === "authorization_code") {
    if (!form.code) return tokenError(400, "invalid_request", "Missing required parameter: code");
    if (!form.redirect_uri) return tokenError(400, "invalid_request", "Missing parameter: redirect_uri");
    const offline = offlineCodes.delete(form.code);
    const g = redeemCode("google", form.code, { clientId: client.id, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    if ("error" in g) return tokenError(400, g.error, g.error === "invalid_grant" ? "Malformed auth code." : "Bad Request");
    const t = issueTokens("google", g.account, g.scopes, ACCESS_TTL_SECONDS, "ya29.");
    if (t.refreshToken) refreshOwners.set(t.refreshToken, g.account);
    changed();
    return json(200, {
      access_token: t.accessToken,
      expires_in: t.expiresIn,
      ...(offline && t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      scope: g.scopes.join(" "),
      token_type: "Bearer",
    });
  }
  if (form.grant_type === "refresh_token") {
    const t = form.refresh_token ? useRefreshToken("google", form.refresh_token, ACCESS_TTL_SECONDS, false) : null;
    if (!t) return tokenError(400, "invalid_grant", "Token has been expired or revoked.");
    const scopes = checkToken("google", t.accessToken)?.scopes ?? [];
    // Google never returns a new refresh token on refresh: the client keeps the one it has.
    return json(200, { access_token: t.accessToken, expires_in: t.expiresIn, scope: scopes.join(" "), token_type: "Bearer" });
  }
  return tokenError(400, "unsupported_grant_type", "Invalid grant_type: " + (form.grant_type ?? ""));
}

function revoke(req: SandboxRequest): SandboxResponse {
  const tokenValue = readForm(req).token ?? req.url.searchParams.get("token") ?? "";
  const owner = refreshOwners.get(tokenValue);
  if (!revokeToken(tokenValue)) return tokenError(400, "invalid_token", "Token expired or revoked");
  // Revoking a grant ends every token of it, like Google.
  if (owner) expireTokens("google", owner);
  return json(200, {});
}

/** Answers Google OAuth hosts; null for anything else (the caller's own API). */
export function handleGoogleOAuth(req: SandboxRequest): SandboxResponse | null {
  if (req.host === "accounts.google.com" && req.path === "/o/oauth2/v2/auth") return authorize(req);
  if (req.host === "oauth2.googleapis.com" && req.method === "POST" && req.path === "/token") return token(req);
  if (req.host === "oauth2.googleapis.com" && req.method === "POST" && req.path === "/revoke") return revoke(req);
  return null;
}

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  const body = JSON.parse(req.body.toString("utf8") || "{}") as { user?: string; scopes?: string[] };
  const user = (body.user ?? DEFAULT_GOOGLE_USER).toLowerCase();
  // Mints tokens without the browser dance (benchmarks, tests that are not about OAuth).
  if (action === "token" && req.method === "POST") {
    const scopes = body.scopes ?? ["https://www.googleapis.com/auth/analytics.readonly"];
    const t = issueTokens("google", user, scopes, ACCESS_TTL_SECONDS, "ya29.");
    if (t.refreshToken) refreshOwners.set(t.refreshToken, user);
    return json(200, { access_token: t.accessToken, refresh_token: t.refreshToken, expires_in: t.expiresIn });
  }
  // Expires every access token of a user now (refresh tokens stay valid).
  if (action === "expire" && req.method === "POST") {
    expireTokens("google", user);
    return json(200, { ok: true });
  }
  return null;
}

export const google: ProviderModule = {
  id: "google",
  handle: handleGoogleOAuth,
  control,
  renderFault: (f) => googleFault(f),
};
