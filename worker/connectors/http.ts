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

/**
 * fetch with a timeout and provider-neutral error classification:
 * network errors and timeouts, 5xx and malformed bodies → transient; 429 → rate-limited (with
 * Retry-After); 401 → unauthorized (the engine refreshes the token); other 4xx → permanent.
 * Connectors add provider-specific signals (Shopify's THROTTLED, Klaviyo's error bodies) on top.
 */
export async function providerFetch(rt: ConnectorRuntime, url: string, init: ProviderFetchInit): Promise<Response> {
  const { provider, describe, ...rest } = init;
  const what = describe ?? `${rest.method ?? "GET"} ${new URL(url).pathname}`;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, provider, url), { ...rest, signal: AbortSignal.timeout(rt.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `${provider} ${what}: ${timedOut ? "timed out" : "network error"}`, { provider });
  }
  if (res.ok) return res;
  const status = res.status;
  const retry = retryAfterMs(res.headers.get("retry-after"), rt.now());
  // Drain the body so the connection can be reused; keep a short excerpt for the reason.
  const excerpt = (await res.text().catch(() => "")).slice(0, 300);
  if (status === 429) throw new ProviderError("rate-limited", `${provider} ${what}: rate limited`, { status, provider, retryAfterMs: retry ?? undefined });
  if (status === 401) throw new ProviderError("unauthorized", `${provider} ${what}: access token rejected`, { status, provider });
  if (status >= 500 || status === 408) throw new ProviderError("transient", `${provider} ${what}: ${status}`, { status, provider, retryAfterMs: retry ?? undefined });
  throw new ProviderError("permanent", `${provider} ${what}: ${status} ${excerpt}`, { status, provider });
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
