// Meta Graph API client: version, URL building, error bodies and usage headers → ProviderError.
import { ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, Cursor } from "../types";

export const GRAPH_VERSION = "v24.0";
export const GRAPH_BASE = `https://graph.facebook.com/${GRAPH_VERSION}`;
export const DAY_MS = 86_400_000;
/** Page/IG insights and ads insights are kept two years: a full sync reads them all. */
export const HISTORY_DAYS = 730;
/** Recent days are re-read on every incremental run (insights settle for up to 48 h). */
export const SETTLE_DAYS = 3;

/** Throttling error codes: app (4), user (17), page (32), ad account (613), business use case (80000–80004). */
const THROTTLE_CODES = new Set([4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004]);
/** When Meta gives no estimate, wait this long before asking again. */
export const DEFAULT_THROTTLE_WAIT_MS = 60_000;

export type GraphError = { message?: string; type?: string; code?: number; error_subcode?: number; is_transient?: boolean; fbtrace_id?: string };
export type Paged<T> = { data?: T[]; paging?: { cursors?: { before?: string; after?: string }; next?: string } };

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number) => isoDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/**
 * The longest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage /
 * X-Ad-Account-Usage-style headers, in ms; null when no header names one.
 */
export function regainAccessMs(headers: Headers): number | null {
  let minutes: number | null = null;
  const buc = headers.get("x-business-use-case-usage");
  if (buc) {
    try {
      const parsed = JSON.parse(buc) as Record<string, { estimated_time_to_regain_access?: number }[]>;
      for (const list of Object.values(parsed)) {
        for (const u of Array.isArray(list) ? list : []) {
          const m = Number(u.estimated_time_to_regain_access);
          if (Number.isFinite(m) && m > 0) minutes = Math.max(minutes ?? 0, m);
        }
      }
    } catch {}
  }
  return minutes === null ? null : minutes * 60_000;
}

/** The app's call usage in percent (X-App-Usage), 0 when absent. */
export function appUsagePct(headers: Headers): number {
  try {
    const u = JSON.parse(headers.get("x-app-usage") ?? "{}") as Record<string, number>;
    return Math.max(0, Number(u.call_count) || 0, Number(u.total_cputime) || 0, Number(u.total_time) || 0);
  } catch {
    return 0;
  }
}

/** Classifies a Graph error body (and its HTTP status and headers) as the engine's error kinds. */
export function graphError(status: number, err: GraphError | undefined, headers: Headers, what: string): ProviderError {
  const code = Number(err?.code);
  const msg = `meta ${what}: ${err?.message ?? status}${code ? ` (#${code}${err?.error_subcode ? `/${err.error_subcode}` : ""})` : ""}`;
  if (code === 190 || code === 102 || (status === 401 && !code)) return new ProviderError("unauthorized", msg, { status, provider: "meta" });
  if (THROTTLE_CODES.has(code) || status === 429) {
    return new ProviderError("rate-limited", msg, { status, provider: "meta", retryAfterMs: regainAccessMs(headers) ?? DEFAULT_THROTTLE_WAIT_MS });
  }
  if (status >= 500 || err?.is_transient || code === 1 || code === 2) return new ProviderError("transient", msg, { status, provider: "meta" });
  return new ProviderError("permanent", msg, { status, provider: "meta" });
}

/** GET a Graph path with a token; every failure becomes a ProviderError. */
export async function graphGet<T>(rt: ConnectorRuntime, path: string, params: Record<string, string>, token: string, describe?: string): Promise<T> {
  const what = describe ?? path.split("?")[0]!;
  const url = `${GRAPH_BASE}/${path.replace(/^\//, "")}?${new URLSearchParams(params)}`;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "meta", url), { headers: token ? { authorization: `Bearer ${token}`, accept: "application/json" } : { accept: "application/json" }, signal: AbortSignal.timeout(rt.timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new ProviderError("transient", `meta ${what}: ${timedOut ? "timed out" : "network error"}`, { provider: "meta" });
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    // The timeout (or the connection) ended while the body was still arriving.
    throw new ProviderError("transient", `meta ${what}: the answer was cut off`, { status: res.status, provider: "meta" });
  }
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    if (res.ok) throw new ProviderError("transient", `meta ${what}: malformed JSON response`, { status: res.status, provider: "meta" });
    throw graphError(res.status, undefined, res.headers, what);
  }
  if (!res.ok || (body && typeof body === "object" && body.error)) throw graphError(res.status, body?.error, res.headers, what);
  if (body === null || typeof body !== "object") throw new ProviderError("transient", `meta ${what}: unexpected response shape`, { provider: "meta" });
  return body as T;
}

/** The `after` cursor of the next page, or null on the last one (Graph omits `next` there). */
export const afterOf = (p: Paged<unknown>) => (p.paging?.next && p.paging.cursors?.after ? p.paging.cursors.after : null);

/** The run's fixed clock (so a run that crosses midnight keeps its windows). */
export const runAtOf = (rt: ConnectorRuntime, cursor: Cursor | null) => (typeof cursor?.runAt === "number" ? cursor.runAt : rt.now());

/** First day of the window: two years back on a full sync, else the last run's day minus the settling days. */
export function windowStart(runAt: number, since: number | null, historyDays = HISTORY_DAYS): string {
  const floor = runAt - historyDays * DAY_MS;
  if (since === null) return isoDay(floor);
  return isoDay(Math.max(floor, Date.parse(isoDay(since)) - SETTLE_DAYS * DAY_MS));
}

/** Comma list in an account field → ids. */
export const listOf = (s: string | undefined) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean);

export const num = (v: unknown) => {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
};
