// The Microsoft identity platform v2.0 (login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize
// and /token) for the sandbox Graph: consent page, prompt=none, PKCE (S256), codes once, refresh
// tokens that ROTATE (the spent one answers invalid_grant AADSTS70000/70008, like Entra ID), the
// AADSTS error bodies, and a Graph token store shared by every Graph module.
import { randomUUID } from "node:crypto";
import { checkToken, consentPage, expireTokens, header, html, issueCode, issueTokens, json, readForm, redeemCode, redirect, useRefreshToken, type SandboxRequest, type SandboxResponse } from "../lib.ts";

export const MS_CLIENT = { id: "qweb-sandbox-client", secret: "qweb-sandbox-secret" };
export const MS_ACCESS_TTL_SECONDS = 3599;
export const DEFAULT_MS_USER = "sandbox.user@outlook.example";
const CALLBACK_PATH = "/api/integrations/oauth/callback";
const TENANTS = new Set(["common", "organizations", "consumers"]);
const KNOWN_SCOPES = new Set(["openid", "profile", "email", "offline_access", "User.Read", "Mail.Read", "Mail.ReadWrite", "Mail.Send"]);

/** Entra ID's token error body: error, error_description with the AADSTS code, error_codes, ids. */
export function aadError(status: number, error: string, code: number, description: string): SandboxResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return json(status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString().replace("T", " ").slice(0, 19)}Z`,
    error_codes: [code],
    timestamp: new Date().toISOString().replace("T", " ").slice(0, 19) + "Z",
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

const errorPage = (title: string, detail: string) => html(400, `<!doctype html><title>Sign in to your account</title><h1>${title}</h1><p>${detail}</p>`);

function backTo(redirectUri: string, params: Record<string, string | undefined>): SandboxResponse {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return redirect(u.toString());
}

function authorize(req: SandboxRequest): SandboxResponse {
  const p: Record<string, string> = req.method === "POST" ? readForm(req) : Object.fromEntries(req.url.searchParams);
  if (p.client_id !== MS_CLIENT.id) return errorPage("AADSTS700016", `Application with identifier '${p.client_id ?? ""}' was not found in the directory.`);
  let redirectOk = false;
  try {
    const u = new URL(p.redirect_uri ?? "");
    redirectOk = (u.protocol === "http:" || u.protocol === "https:") && u.pathname === CALLBACK_PATH;
  } catch {}
  if (!redirectOk) return errorPage("AADSTS50011", "The redirect URI specified in the request does not match the redirect URIs configured for the application.");
  const state = p.state;
  if (p.response_type !== "code") return backTo(p.redirect_uri!, { error: "unsupported_response_type", error_description: "AADSTS70005: response_type 'token' is not enabled for the application.", state });
  const scopes = (p.scope ?? "").split(/\s+/).filter(Boolean);
  const unknown = scopes.find((s) => !KNOWN_SCOPES.has(s));
  if (!scopes.length || unknown) return backTo(p.redirect_uri!, { error: "invalid_scope", error_description: `AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope ${unknown ?? ""} is not valid.`, state });
  if (p.code_challenge && p.code_challenge_method !== "S256") return backTo(p.redirect_uri!, { error: "invalid_request", error_description: "AADSTS501491: Invalid code_challenge_method.", state });
  const user = (p.login_hint || DEFAULT_MS_USER).toLowerCase();
  if (req.method === "POST" && p.decision !== "approve") return backTo(p.redirect_uri!, { error: "access_denied", error_description: "AADSTS65004: User declined to consent to access the app.", state });
  const approved = p.prompt === "none" || (req.method === "POST" && p.decision === "approve");
  if (!approved) {
    const hidden = { ...p };
    delete hidden.decision;
    return consentPage({ providerName: "Microsoft", account: user, scopes, action: req.url.pathname, hidden });
  }
  const code = issueCode({ provider: "microsoft", account: user, scopes, codeChallenge: p.code_challenge || undefined, redirectUri: p.redirect_uri!, clientId: p.client_id });
  return backTo(p.redirect_uri!, { code, state, session_state: randomUUID() });
}

function token(req: SandboxRequest): SandboxResponse {
  const form = readForm(req);
  const basic = /^Basic (.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
  const [id, secret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":") : [form.client_id, form.client_secret];
  if (id !== MS_CLIENT.id) return aadError(400, "unauthorized_client", 700016, `Application with identifier '${id ?? ""}' was not found in the directory.`);
  if (secret !== MS_CLIENT.secret) return aadError(401, "invalid_client", 7000215, "Invalid client secret provided.");
  const withOffline = (scopes: string[]) => scopes.includes("offline_access");
  if (form.grant_type === "authorization_code") {
    if (!form.code) return aadError(400, "invalid_request", 900144, "The request body must contain the following parameter: 'code'.");
    const g = redeemCode("microsoft", form.code, { clientId: id, redirectUri: form.redirect_uri, codeVerifier: form.code_verifier });
    if ("error" in g) {
      if (g.error === "redirect_uri_mismatch") return aadError(400, "invalid_grant", 50148, "The redirect_uri does not match the one used in the authorization request.");
      return aadError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.");
    }
    const t = issueTokens("microsoft", g.account, g.scopes, MS_ACCESS_TTL_SECONDS, "EwB");
    return json(200, {
      token_type: "Bearer", scope: g.scopes.filter((s) => s !== "offline_access").join(" "), expires_in: t.expiresIn, ext_expires_in: t.expiresIn,
      access_token: t.accessToken, ...(withOffline(g.scopes) && t.refreshToken ? { refresh_token: t.refreshToken } : {}),
    });
  }
  if (form.grant_type === "refresh_token") {
    const t = form.refresh_token ? useRefreshToken("microsoft", form.refresh_token, MS_ACCESS_TTL_SECONDS, true) : null;
    if (!t) return aadError(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. The token was issued on 2026-01-01T00:00:00.0000000Z and was inactive for 90.00:00:00.");
    const scopes = checkToken("microsoft", t.accessToken)?.scopes ?? [];
    // Refresh tokens rotate: a new one every time; the spent one no longer works.
    return json(200, { token_type: "Bearer", scope: scopes.filter((s) => s !== "offline_access").join(" "), expires_in: t.expiresIn, ext_expires_in: t.expiresIn, access_token: t.accessToken, refresh_token: t.refreshToken });
  }
  return aadError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${form.grant_type ?? ""}'.`);
}

/** Answers the identity platform's hosts; null for anything else. */
export function handleMicrosoftOAuth(req: SandboxRequest): SandboxResponse | null {
  if (req.host !== "login.microsoftonline.com") return null;
  const m = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(req.path);
  if (!m) return null;
  if (!TENANTS.has(m[1]!) && !/^[0-9a-f-]{36}$/.test(m[1]!)) return errorPage("AADSTS90002", `Tenant '${m[1]}' not found.`);
  if (m[2] === "authorize") return authorize(req);
  return req.method === "POST" ? token(req) : aadError(400, "invalid_request", 900561, "The endpoint only accepts POST requests.");
}

/** The Graph user behind a bearer token holding one of `scopes`, or null (401). */
export function microsoftUser(req: SandboxRequest): { user: string; scopes: string[] } | null {
  const bearer = /^Bearer (.+)$/i.exec(header(req, "authorization") ?? "")?.[1];
  const t = checkToken("microsoft", bearer);
  return t ? { user: t.account, scopes: t.scopes } : null;
}

export const mintMicrosoftTokens = (user: string, scopes: string[]) => issueTokens("microsoft", user.toLowerCase(), scopes, MS_ACCESS_TTL_SECONDS, "EwB");
export const expireMicrosoftTokens = (user?: string) => expireTokens("microsoft", user?.toLowerCase());
