// Shared machinery for the sandbox providers: request parsing, responses, fault injection,
// deterministic data, OAuth codes/tokens and the consent page. Runs in Node 22 (type stripping).
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { changed, entries, persisted, refill } from "./state.ts";

export type SandboxRequest = {
  method: string;
  /** Full URL as received, e.g. /shopify/acme.myshopify.com/admin/api/2026-01/graphql.json?x=1 */
  url: URL;
  /** The provider host segment after /<provider>/ (e.g. "acme.myshopify.com"). */
  host: string;
  /** The path after the host segment (e.g. "/admin/api/2026-01/graphql.json"). */
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** The sandbox's own origin (http://127.0.0.1:PORT), for links it returns. */
  origin: string;
};

export type SandboxResponse = {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Delay before answering (ms), used by the timeout fault. */
  delayMs?: number;
};

export type ProviderModule = {
  id: string;
  handle(req: SandboxRequest): Promise<SandboxResponse | null> | SandboxResponse | null;
  /** Optional control endpoints under /_sandbox/<id>/… (webhook delivery, data sizing…). */
  control?(req: SandboxRequest, action: string): Promise<SandboxResponse | null> | SandboxResponse | null;
  /** The provider's own shape for an injected fault (error envelope, THROTTLED body…); null → generic. */
  renderFault?(fault: Fault, req: SandboxRequest): SandboxResponse | null;
};

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export const html = (status: number, body: string): SandboxResponse => ({
  status,
  headers: { "content-type": "text/html; charset=utf-8" },
  body,
});

export const redirect = (location: string): SandboxResponse => ({ status: 302, headers: { location } });

export function readJson<T = any>(req: SandboxRequest): T | null {
  try {
    return JSON.parse(req.body.toString("utf8")) as T;
  } catch {
    return null;
  }
}

export function readForm(req: SandboxRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(req.body.toString("utf8")));
}

export function header(req: SandboxRequest, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

// ---------------------------------------------------------------- faults

export type FaultKind = "429" | "500" | "503" | "timeout" | "malformed" | "token-expired" | "throttled" | "redirect";
export type Fault = {
  provider: string;
  kind: FaultKind;
  /** Substring that must appear in "<host><path>?<query> <authorization header>"; empty matches all. */
  match?: string;
  /** How many matching requests it affects (default 1). */
  count?: number;
  /** Retry-After seconds for 429 (default 1). */
  retryAfter?: number;
  /** Where the redirect fault points (any URL, e.g. a private address). */
  location?: string;
  /** Skip this many matching requests first (e.g. fail the 3rd page). */
  after?: number;
};

const faults: Required<Pick<Fault, "count" | "after">>[] & Fault[] = [] as any;

export function addFault(f: Fault) {
  faults.push({ count: 1, after: 0, match: "", ...f } as any);
}
export function clearFaults(provider?: string) {
  for (let i = faults.length - 1; i >= 0; i--) if (!provider || faults[i]!.provider === provider) faults.splice(i, 1);
}

/** Consumes and returns the first fault matching this request, if any. */
export function takeFault(provider: string, req: SandboxRequest): Fault | null {
  const subject = `${req.host}${req.path}${req.url.search} ${header(req, "authorization") ?? ""} ${header(req, "x-shopify-access-token") ?? ""}`;
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i]! as Fault & { count: number; after: number };
    if (f.provider !== provider || !subject.includes(f.match ?? "")) continue;
    if (f.after > 0) {
      f.after--;
      continue;
    }
    f.count--;
    if (f.count <= 0) faults.splice(i, 1);
    return f;
  }
  return null;
}

/** The generic rendering of a fault; providers override the body shape where theirs differs. */
export function renderFault(f: Fault, bodies: { rateLimited?: unknown; serverError?: unknown; unauthorized?: unknown } = {}): SandboxResponse {
  switch (f.kind) {
    case "429":
    case "throttled":
      return json(429, bodies.rateLimited ?? { error: "rate_limited" }, { "retry-after": String(f.retryAfter ?? 1) });
    case "500":
      return json(500, bodies.serverError ?? { error: "internal_error" });
    case "503":
      return json(503, bodies.serverError ?? { error: "unavailable" }, { "retry-after": String(f.retryAfter ?? 1) });
    case "timeout":
      return { ...json(504, { error: "gateway_timeout" }), delayMs: 35_000 };
    case "malformed":
      return { status: 200, headers: { "content-type": "application/json" }, body: '{"data": [ {"id": 1, "trunc' };
    case "token-expired":
      return json(401, bodies.unauthorized ?? { error: "invalid_token" });
    case "redirect":
      return { status: 302, headers: { location: f.location ?? "/" }, body: "" };
  }
}

// ---------------------------------------------------------------- request log (for tests)

const log: { provider: string; method: string; path: string; at: number }[] = [];
export function logRequest(provider: string, req: SandboxRequest) {
  log.push({ provider, method: req.method, path: `${req.host}${req.path}${req.url.search}`, at: Date.now() });
  if (log.length > 5000) log.splice(0, log.length - 5000);
}
export const requestLog = (provider?: string) => log.filter((r) => !provider || r.provider === provider);
export const clearRequestLog = () => void log.splice(0, log.length);

// ---------------------------------------------------------------- deterministic data

/** 32-bit FNV-1a of a string: the seed for an account's generated data. */
export function seedOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, deterministic PRNG in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const between = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** The sandbox's "today": real time, so generated history ends yesterday like a live account. */
export const DAY_MS = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---------------------------------------------------------------- OAuth

type Grant = { provider: string; account: string; scopes: string[]; codeChallenge?: string; redirectUri: string; clientId: string };
type Token = { provider: string; account: string; scopes: string[]; expiresAt: number | null; revoked: boolean };

const codes = new Map<string, Grant & { expiresAt: number }>();
const accessTokens = new Map<string, Token>();
const refreshTokens = new Map<string, Token & { rotatedTo?: string }>();
persisted("oauth", {
  save: () => ({ codes: entries(codes), accessTokens: entries(accessTokens), refreshTokens: entries(refreshTokens) }),
  load: (d) => {
    refill(codes, d.codes);
    refill(accessTokens, d.accessTokens);
    refill(refreshTokens, d.refreshTokens);
  },
});

export const randomToken = (prefix: string) => `${prefix}${randomBytes(24).toString("base64url")}`;

export function issueCode(g: Grant): string {
  const code = randomToken("code_");
  codes.set(code, { ...g, expiresAt: Date.now() + 10 * 60_000 });
  changed();
  return code;
}

/** Redeems a code once. Checks client, redirect URI and PKCE (S256) when a challenge was given. */
export function redeemCode(
  provider: string,
  code: string,
  p: { clientId?: string; redirectUri?: string; codeVerifier?: string },
): (Grant & { expiresAt: number }) | { error: string } {
  const g = codes.get(code);
  if (codes.delete(code)) changed();
  if (!g || g.provider !== provider || g.expiresAt < Date.now()) return { error: "invalid_grant" };
  if (p.clientId && p.clientId !== g.clientId) return { error: "invalid_client" };
  if (p.redirectUri && p.redirectUri !== g.redirectUri) return { error: "redirect_uri_mismatch" };
  if (g.codeChallenge) {
    const expected = createHash("sha256").update(p.codeVerifier ?? "").digest("base64url");
    if (expected !== g.codeChallenge) return { error: "invalid_grant" };
  }
  return g;
}

export function issueTokens(provider: string, account: string, scopes: string[], ttlSeconds: number | null, prefix = "at_") {
  const accessToken = randomToken(prefix);
  const refreshToken = ttlSeconds === null ? null : randomToken("rt_");
  const expiresAt = ttlSeconds === null ? null : Date.now() + ttlSeconds * 1000;
  accessTokens.set(accessToken, { provider, account, scopes, expiresAt, revoked: false });
  if (refreshToken) refreshTokens.set(refreshToken, { provider, account, scopes, expiresAt: null, revoked: false });
  changed();
  return { accessToken, refreshToken, expiresIn: ttlSeconds };
}

/** Resolves a bearer/access token to its account, or null when unknown, expired or revoked. */
export function checkToken(provider: string, token: string | undefined): { account: string; scopes: string[] } | null {
  if (!token) return null;
  const t = accessTokens.get(token);
  if (!t || t.provider !== provider || t.revoked) return null;
  if (t.expiresAt !== null && t.expiresAt < Date.now()) return null;
  return { account: t.account, scopes: t.scopes };
}

/** Rotates a refresh token (the old one stops working once the new one is used, like Shopify). */
export function useRefreshToken(provider: string, token: string, ttlSeconds: number | null, rotate: boolean) {
  const t = refreshTokens.get(token);
  if (!t || t.provider !== provider || t.revoked) return null;
  const issued = issueTokens(provider, t.account, t.scopes, ttlSeconds);
  if (rotate) {
    t.revoked = true;
  } else if (issued.refreshToken) {
    refreshTokens.delete(issued.refreshToken);
    issued.refreshToken = token;
  }
  changed();
  return issued;
}

export function revokeToken(token: string) {
  const a = accessTokens.get(token);
  if (a) a.revoked = true;
  const r = refreshTokens.get(token);
  if (r) r.revoked = true;
  changed();
  return Boolean(a || r);
}

/** Expires every access token of a provider account now (the "token expiry" fault). */
export function expireTokens(provider: string, account?: string) {
  for (const t of accessTokens.values()) if (t.provider === provider && (!account || t.account === account)) t.expiresAt = Date.now() - 1;
  changed();
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The provider's consent screen: Approve / Deny, posting back to `action`. */
export function consentPage(p: { providerName: string; account: string; scopes: string[]; action: string; hidden: Record<string, string> }) {
  const fields = Object.entries(p.hidden).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join("");
  return html(
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(p.providerName)} — authorize QWEB</title>
<style>body{font-family:system-ui,sans-serif;background:#eef1f6;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;padding:32px;border-radius:12px;box-shadow:0 4px 24px #0002;max-width:420px}
button{font-size:16px;padding:10px 18px;border-radius:8px;border:0;margin-right:8px;cursor:pointer}
.approve{background:#1f6feb;color:#fff}.deny{background:#e5e7eb}</style></head>
<body><main><p><small>Sandbox provider</small></p><h1>${esc(p.providerName)}</h1>
<p><strong>QWEB</strong> wants to access <strong>${esc(p.account)}</strong>:</p>
<ul>${p.scopes.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>
<form method="post" action="${esc(p.action)}">${fields}
<button class="approve" name="decision" value="approve" type="submit">Approve</button>
<button class="deny" name="decision" value="deny" type="submit">Deny</button></form></main></body></html>`,
  );
}

/**
 * A sandbox account whose identifier is a business's slug ("bistro-uno", "peak_outfitters") is
 * that business's account and carries its name ("Bistro Uno"); anything else gets a generated one.
 */
export function businessName(slug: string): string | null {
  if (!/^[a-z]{3,}(?:[-_][a-z]+)*$/i.test(slug)) return null;
  return slug.split(/[-_]/).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join(" ");
}
