// Google Ads REST: base URL with the configured version, the developer-token / login-customer-id
// headers, searchStream (a JSON array of result chunks) and the GoogleAdsFailure error body.
import { googleAuthHeaders } from "../google/oauth";
import { ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";

export const DEFAULT_VERSION = "v23";
export const ADS_HOST = "https://googleads.googleapis.com";
export const base = (rt: ConnectorRuntime) => `${ADS_HOST}/${rt.settings?.apiVersion ?? DEFAULT_VERSION}`;

type Failure = {
  error?: {
    code?: number;
    message?: string;
    status?: string;
    details?: { "@type"?: string; errors?: { errorCode?: Record<string, string>; message?: string; details?: { quotaErrorDetails?: { retryDelay?: string } } }[] }[];
  };
};

/** "30s" / "1.5s" (protobuf Duration JSON) → ms. */
export const durationMs = (d: string | undefined) => {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(d ?? "");
  return m ? Math.round(Number(m[1]) * 1000) : null;
};

export function adsError(status: number, body: Failure | null, what: string): ProviderError {
  const errors = (body?.error?.details ?? []).flatMap((d) => d.errors ?? []);
  const codes = errors.map((e) => Object.entries(e.errorCode ?? {}).map(([k, v]) => `${k}.${v}`).join(",")).filter(Boolean);
  const msg = `google-ads ${what}: ${status} ${body?.error?.status ?? ""} ${codes.join(" ") || (body?.error?.message ?? "")}`.trim();
  const retry = errors.map((e) => durationMs(e.details?.quotaErrorDetails?.retryDelay)).find((x) => x !== null) ?? undefined;
  const quota = errors.some((e) => e.errorCode?.quotaError);
  if (status === 429 || body?.error?.status === "RESOURCE_EXHAUSTED" || quota) {
    return new ProviderError("rate-limited", msg, { status, provider: "google-ads", retryAfterMs: retry });
  }
  if (status === 401) return new ProviderError("unauthorized", msg, { status, provider: "google-ads" });
  if (status >= 500 || status === 408) return new ProviderError("transient", msg, { status, provider: "google-ads" });
  return new ProviderError("permanent", msg, { status, provider: "google-ads" });
}

export type Headers = { loginCustomerId?: string };

async function call<T>(rt: ConnectorRuntime, secrets: Secrets, url: string, init: { method: string; body?: string; loginCustomerId?: string }, what: string): Promise<T> {
  const headers: Record<string, string> = { ...googleAuthHeaders("google-ads", secrets), "developer-token": rt.settings?.developerToken ?? "" };
  if (init.body) headers["content-type"] = "application/json";
  if (init.loginCustomerId) headers["login-customer-id"] = init.loginCustomerId;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "google-ads", url), { method: init.method, headers, body: init.body, signal: AbortSignal.timeout(rt.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `google-ads ${what}: ${timedOut ? "timed out" : "network error"}`, { provider: "google-ads" });
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ProviderError("transient", `google-ads ${what}: malformed JSON response`, { status: res.status, provider: "google-ads" });
  }
  if (!res.ok) throw adsError(res.status, body as Failure | null, what);
  return body as T;
}

export const listAccessibleCustomers = (rt: ConnectorRuntime, secrets: Secrets) =>
  call<{ resourceNames?: string[] }>(rt, secrets, `${base(rt)}/customers:listAccessibleCustomers`, { method: "GET" }, "listAccessibleCustomers");

/** Runs a GAQL query with searchStream and flattens its chunks' results. */
export async function searchStream<T>(rt: ConnectorRuntime, secrets: Secrets, customerId: string, query: string, loginCustomerId?: string, what = "searchStream"): Promise<T[]> {
  const body = await call<{ results?: T[] }[]>(rt, secrets, `${base(rt)}/customers/${customerId}/googleAds:searchStream`, { method: "POST", body: JSON.stringify({ query }), loginCustomerId }, what);
  if (!Array.isArray(body)) throw new ProviderError("transient", `google-ads ${what}: expected an array of chunks`, { provider: "google-ads" });
  return body.flatMap((chunk) => chunk.results ?? []);
}
