// Klaviyo's JSON:API over HTTP: private-key auth, the pinned revision, and the rate-limit headers.
import { ProviderError, providerFetch, readJson } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";

/** The one pinned API revision (Klaviyo revisions are stable for a year after release). */
export const KLAVIYO_REVISION = "2026-04-15";
export const API_BASE = "https://a.klaviyo.com/api";

export type Resource<A> = { type: string; id: string; attributes: A };
export type Collection<A> = { data: Resource<A>[]; links?: { next?: string | null } };

export function klaviyoHeaders(secrets: Secrets): Record<string, string> {
  const key = secrets.apiKey;
  if (!key) throw new ProviderError("unauthorized", "klaviyo: no API key stored", { provider: "klaviyo" });
  return { authorization: `Klaviyo-API-Key ${key}`, revision: KLAVIYO_REVISION, accept: "application/vnd.api+json" };
}

/**
 * When the response says its rate-limit window is used up (RateLimit-Remaining: 0), the time
 * (ms, absolute) at which the next call of that kind can go; null otherwise.
 */
function nextAllowedAt(res: Response, now: number): number | null {
  if (res.headers.get("ratelimit-remaining") !== "0") return null;
  const reset = Number(res.headers.get("ratelimit-reset"));
  return Number.isFinite(reset) ? now + reset * 1000 : null;
}

export async function klaviyoGet<T>(rt: ConnectorRuntime, secrets: Secrets, url: string): Promise<{ body: T; nextAllowedAt: number | null }> {
  const res = await providerFetch(rt, url, { provider: "klaviyo", headers: klaviyoHeaders(secrets) });
  return { body: await readJson<T>(res, "klaviyo"), nextAllowedAt: nextAllowedAt(res, rt.now()) };
}

export async function klaviyoPost<T>(rt: ConnectorRuntime, secrets: Secrets, url: string, payload: unknown): Promise<T> {
  const res = await providerFetch(rt, url, {
    provider: "klaviyo",
    method: "POST",
    headers: { ...klaviyoHeaders(secrets), "content-type": "application/vnd.api+json" },
    body: JSON.stringify(payload),
  });
  return readJson<T>(res, "klaviyo");
}

/** A JSON:API collection must carry a `data` array; anything else is a broken response. */
export function expectCollection<A>(body: Collection<A>, what: string): Collection<A> {
  if (!body || !Array.isArray(body.data)) throw new ProviderError("transient", `klaviyo ${what}: unexpected response shape`, { provider: "klaviyo" });
  return body;
}

/** Waits (briefly) until a paced call may go; longer waits are left to the server's 429. */
export async function waitUntil(rt: ConnectorRuntime, at: unknown, maxMs = 1500) {
  if (typeof at !== "number") return;
  const ms = Math.min(maxMs, at - rt.now());
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

export const ms = (iso: string | null | undefined): number | null => {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? null : t;
};
