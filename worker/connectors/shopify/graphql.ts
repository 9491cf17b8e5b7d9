import { ProviderError, providerUrl, readJson, retryAfterMs } from "../http";
import type { ConnectorRuntime } from "../types";

/** Pinned Admin API version (quarterly releases, each supported for at least 12 months). */
export const SHOPIFY_API_VERSION = "2026-04";
/** Shopify refuses any single query whose requested cost exceeds this, before running it. */
export const SINGLE_QUERY_MAX_COST = 1000;

type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
type Cost = { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
type GqlError = { message?: string; extensions?: { code?: string; cost?: number; maxCost?: number } };
type GqlReply<T> = { data?: T | null; errors?: GqlError[] | string | Record<string, unknown>; extensions?: { cost?: Cost } };

/** The wait until the bucket holds the query's requested cost again: (requested − available) / restoreRate. */
export function throttleWaitMs(cost: Cost | undefined, fallbackMs: number | null): number {
  const s = cost?.throttleStatus;
  if (!s || !s.restoreRate || cost?.requestedQueryCost === undefined) return fallbackMs ?? 1000;
  const missing = Math.max(0, cost.requestedQueryCost - s.currentlyAvailable);
  return Math.max(100, Math.ceil((missing / s.restoreRate) * 1000));
}

/** Raised (as a permanent error) when a query's requested cost is over the single-query maximum. */
export class MaxCostExceeded extends ProviderError {
  constructor(
    readonly cost: number,
    readonly maxCost: number,
  ) {
    super("permanent", `shopify: query cost ${cost} exceeds the single query maximum ${maxCost}`, { provider: "shopify" });
  }
}

/**
 * POST one Admin GraphQL query. Errors are classified like providerFetch, plus Shopify's own
 * signals: THROTTLED (HTTP 200 or 429) → rate-limited with the wait computed from the cost
 * extension; INTERNAL_SERVER_ERROR → transient; other GraphQL errors → permanent.
 */
export async function shopifyGraphql<T>(
  rt: ConnectorRuntime,
  p: { shop: string; accessToken: string; query: string; variables: Record<string, unknown>; describe: string },
): Promise<T> {
  const url = `https://${p.shop}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
  const what = `shopify ${p.describe}`;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "shopify", url), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-shopify-access-token": p.accessToken },
      body: JSON.stringify({ query: p.query, variables: p.variables }),
      signal: AbortSignal.timeout(rt.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `${what}: ${timedOut ? "timed out" : "network error"}`, { provider: "shopify" });
  }
  const status = res.status;
  const headerWait = retryAfterMs(res.headers.get("retry-after"), rt.now());
  if (status === 429) {
    const body = (await readJson<GqlReply<T>>(res, "shopify").catch(() => ({}))) as GqlReply<T>;
    // Honour both signals: Retry-After when present, and the bucket refill time when the body has it.
    const wait = Math.max(headerWait ?? 0, body.extensions?.cost ? throttleWaitMs(body.extensions.cost, null) : 0) || 1000;
    throw new ProviderError("rate-limited", `${what}: throttled`, { status, provider: "shopify", retryAfterMs: wait });
  }
  if (status === 401) throw new ProviderError("unauthorized", `${what}: access token rejected`, { status, provider: "shopify" });
  if (status >= 500 || status === 408) throw new ProviderError("transient", `${what}: ${status}`, { status, provider: "shopify", retryAfterMs: headerWait ?? undefined });
  if (!res.ok) {
    const excerpt = (await res.text().catch(() => "")).slice(0, 200);
    throw new ProviderError("permanent", `${what}: ${status} ${excerpt}`, { status, provider: "shopify" });
  }
  const body = await readJson<GqlReply<T>>(res, "shopify");
  if (body.errors) {
    const errors = Array.isArray(body.errors) ? body.errors : [{ message: JSON.stringify(body.errors) }];
    const codes = errors.map((e) => e.extensions?.code);
    if (codes.includes("THROTTLED")) {
      throw new ProviderError("rate-limited", `${what}: throttled`, { status, provider: "shopify", retryAfterMs: throttleWaitMs(body.extensions?.cost, headerWait) });
    }
    const tooBig = errors.find((e) => e.extensions?.code === "MAX_COST_EXCEEDED");
    if (tooBig) throw new MaxCostExceeded(tooBig.extensions?.cost ?? Infinity, tooBig.extensions?.maxCost ?? SINGLE_QUERY_MAX_COST);
    const message = errors.map((e) => e.message ?? "error").join("; ").slice(0, 300);
    if (codes.some((c) => c === "INTERNAL_SERVER_ERROR" || c === "SERVICE_UNAVAILABLE" || c === "TIMEOUT")) {
      throw new ProviderError("transient", `${what}: ${message}`, { status, provider: "shopify" });
    }
    throw new ProviderError("permanent", `${what}: ${message}`, { status, provider: "shopify" });
  }
  if (!body.data) throw new ProviderError("transient", `${what}: reply without data`, { status, provider: "shopify" });
  return body.data;
}

/** gid://shopify/Order/5550000000001 → "5550000000001" (the id REST webhooks carry). */
export const legacyId = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);
