// The one way the web app talks to the API. The access token lives in memory only; the refresh
// token is an HttpOnly cookie the browser sends to /api/auth, so a page reload restores the
// session through POST /api/auth/refresh and nothing secret is ever readable from storage.

export type FieldIssue = { path: string; message: string; code?: string };

/** An error answered by the API (or the network), carrying the server's code and details. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, opts: { details?: unknown; requestId?: string; retryAfter?: number } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = opts.details;
    this.requestId = opts.requestId;
    this.retryAfter = opts.retryAfter;
  }

  /** Field-level messages keyed by the top-level field name ("email", "password", …). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    if (!Array.isArray(this.details)) return out;
    for (const d of this.details as Partial<FieldIssue>[]) {
      const key = String(d?.path ?? "").split(".")[0];
      // A detail may name the field without its own message: the error's message is about it.
      if (key && !out[key]) out[key] = typeof d.message === "string" && d.message ? d.message : this.message;
    }
    return out;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A human sentence for any thrown value. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429) {
      const wait = e.retryAfter ? ` Try again in ${e.retryAfter < 90 ? `${e.retryAfter} seconds` : `${Math.ceil(e.retryAfter / 60)} minutes`}.` : " Try again later.";
      return `Too many attempts.${wait}`;
    }
    return e.message;
  }
  return e instanceof Error ? e.message : "Something went wrong";
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
const unauthorizedListeners = new Set<() => void>();

export const setAccessToken = (token: string | null) => {
  accessToken = token;
};
export const hasAccessToken = () => accessToken !== null;

/** Called when a request stays unauthorized after a refresh attempt (the session is gone). */
export function onUnauthorized(fn: () => void) {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const res = await fetch("/api/auth/refresh", { method: "POST", credentials: "same-origin", headers: { accept: "application/json" } });
      if (!res.ok) {
        accessToken = null;
        return false;
      }
      const body = (await res.json()) as { accessToken?: string };
      accessToken = body.accessToken ?? null;
      return accessToken !== null;
    } catch {
      return false;
    } finally {
      queueMicrotask(() => (refreshing = null));
    }
  })();
  return refreshing;
}

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** false for public endpoints: no bearer token, and a 401 is an answer, not an expired session. */
  auth?: boolean;
  signal?: AbortSignal;
};

function withQuery(path: string, query: RequestOptions["query"]) {
  if (!query) return path;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}${path.includes("?") ? "&" : "?"}${s}` : path;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.auth !== false && accessToken) headers.authorization = `Bearer ${accessToken}`;
  try {
    return await fetch(withQuery(path, opts.query), {
      method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error)?.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK", "Could not reach QWEB. Check your connection and try again.");
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown; requestId?: string } } | null = null;
  try {
    body = await res.json();
  } catch {}
  const retry = Number(res.headers.get("retry-after"));
  const err = body?.error;
  return new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `Request failed (${res.status})`, {
    details: err?.details,
    requestId: err?.requestId,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
  });
}

/** Calls the API; on 401 refreshes the session once and retries. Throws ApiError on failure. */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await send(path, opts);
  if (res.status === 401 && opts.auth !== false) {
    if (await refreshSession()) res = await send(path, opts);
    if (res.status === 401) for (const fn of unauthorizedListeners) fn();
  }
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a binary response (a report PDF) with the session's token; refreshes once on 401. */
export async function apiBlob(path: string): Promise<Blob> {
  let res = await send(path, {});
  if (res.status === 401 && (await refreshSession())) res = await send(path, {});
  if (!res.ok) throw await toError(res);
  return res.blob();
}

/** A raw authenticated request (file uploads, PDFs): same token and refresh rules as `api`. */
export async function apiRaw(path: string, init: { method?: string; body?: BodyInit } = {}): Promise<Response> {
  const go = () =>
    fetch(path, { method: init.method ?? "GET", body: init.body, credentials: "same-origin", headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });
  let res = await go();
  if (res.status === 401 && (await refreshSession())) res = await go();
  if (!res.ok) throw await toError(res);
  return res;
}
