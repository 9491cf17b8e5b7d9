import { publicUrlProblem } from "./public-url";
import type { ConnectorRuntime, ProviderId } from "./types";

export type ProviderErrorKind = "rate-limited" | "unauthorized" | "transient" | "permanent";

/** The only error connectors throw; the sync engine decides from `kind` what to do next. */
export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    readonly opts: { status?: number; retryAfterMs?: number; provider?: ProviderId } = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

/** Real provider URL → the URL actually called (the sandbox, when configured). */
export function providerUrl(rt: ConnectorRuntime, provider: ProviderId, url: string): string {
  if (!rt.sandboxUrl) return url;
  const u = new URL(url);
  return `${rt.sandboxUrl.replace(/\/$/, "")}/${provider}/${u.host}${u.pathname}${u.search}`;
}

/** Retry-After: delta-seconds or an HTTP date → ms (null when absent or unparseable). */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const secs = Number(header);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Full-jitter exponential backoff (AWS architecture blog), capped. */
export function backoffMs(attempt: number, baseMs = 500, capMs = 60_000): number {
  return Math.floor(Math.random() * Math.min(capMs, baseMs * 2 ** attempt));
}

type ProviderFetchInit = RequestInit & { provider: ProviderId; describe?: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/**
 * Where a redirect may lead: each hop passes the same public-URL guard as a user-supplied address
 * (a store may redirect to 169.254.169.254). Hops within the sandbox stay there; others are
 * rewritten to it like any provider URL.
 */
function redirectTarget(rt: ConnectorRuntime, provider: ProviderId, next: URL, what: string): string {
  if (rt.sandboxUrl && next.origin === new URL(rt.sandboxUrl).origin) return next.href;
  const problem = publicUrlProblem(next);
  if (problem) throw new ProviderError("permanent", `${provider} ${what}: redirected to an address that ${problem}`, { provider });
  return providerUrl(rt, provider, next.href);
}

/**
 * fetch with a timeout and provider-neutral error classification:
 * network errors and timeouts, 5xx and malformed bodies → transient; 429 → rate-limited (with
 * Retry-After); 401 → unauthorized (the engine refreshes the token); other 4xx → permanent.
 * Connectors add provider-specific signals (Shopify's THROTTLED, Klaviyo's error bodies) on top.
 */
export async function providerFetch(rt: ConnectorRuntime, url: string, init: ProviderFetchInit): Promise<Response> {
  const { provider, describe, ...rest } = init;
  const what = describe ?? `${rest.method ?? "GET"} ${new URL(url).pathname}`;
  const signal = AbortSignal.timeout(rt.timeoutMs);
  let target = providerUrl(rt, provider, url);
  let req: RequestInit = rest;
  let res: Response;
  for (let hop = 0; ; hop++) {
    try {
      res = await rt.fetch(target, { ...req, redirect: "manual", signal });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new ProviderError("transient", `${provider} ${what}: ${timedOut ? "timed out" : "network error"}`, { provider });
    }
    const location = REDIRECTS.has(res.status) ? res.headers.get("location") : null;
    if (location === null) break;
    await res.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new ProviderError("permanent", `${provider} ${what}: more than ${MAX_REDIRECTS} redirects`, { status: res.status, provider });
    target = redirectTarget(rt, provider, new URL(location, target), what);
    // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && (req.method ?? "GET").toUpperCase() === "POST")) req = { ...req, method: "GET", body: undefined };
  }
  if (res.ok) return res;
  // Drain the body so the connection can be reused; keep a short excerpt for the reason.
  const excerpt = (await res.text().catch(() => "")).slice(0, 300);
  throw statusError(provider, what, res.status, retryAfterMs(res.headers.get("retry-after"), rt.now()), excerpt);
}

/** The ProviderError a status means (what providerFetch throws for it; also for one part of a batch answer). */
export function statusError(provider: ProviderId, what: string, status: number, retry: number | null, excerpt: string): ProviderError {
  if (status === 429) return new ProviderError("rate-limited", `${provider} ${what}: rate limited`, { status, provider, retryAfterMs: retry ?? undefined });
  if (status === 401) return new ProviderError("unauthorized", `${provider} ${what}: access token rejected`, { status, provider });
  if (status >= 500 || status === 408) return new ProviderError("transient", `${provider} ${what}: ${status}`, { status, provider, retryAfterMs: retry ?? undefined });
  return new ProviderError("permanent", `${provider} ${what}: ${status} ${excerpt}`, { status, provider });
}

/** Parses JSON; a malformed body is a transient fault (retry), not a crash. */
export async function readJson<T>(res: Response, provider: ProviderId): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ProviderError("transient", `${provider}: malformed JSON response`, { status: res.status, provider });
  }
}

export const formBody = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
