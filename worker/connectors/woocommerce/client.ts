import { ProviderError, providerFetch } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";

export type WooPage<T> = { data: T; total: number | null; totalPages: number | null; serverTime: number | null };

export function basicAuth(secrets: Secrets): string {
  const key = secrets.consumerKey?.trim();
  const secret = secrets.consumerSecret?.trim();
  if (!key || !secret) throw new ProviderError("unauthorized", "woocommerce: no consumer key stored", { provider: "woocommerce" });
  return `Basic ${btoa(`${key}:${secret}`)}`;
}

const intHeader = (res: Response, name: string) => {
  const v = Number(res.headers.get(name));
  return res.headers.has(name) && Number.isFinite(v) ? v : null;
};

/**
 * GET <store>/wp-json/wc/v3<path> with HTTP Basic over https. A body that is not JSON (a security
 * plugin's challenge page, a maintenance page) is transient like any malformed reply.
 */
export async function wooGet<T>(rt: ConnectorRuntime, p: { storeUrl: string; secrets: Secrets; path: string; query?: Record<string, string>; describe: string }): Promise<WooPage<T>> {
  const q = p.query ? `?${new URLSearchParams(p.query)}` : "";
  const res = await providerFetch(rt, `${p.storeUrl}/wp-json/wc/v3${p.path}${q}`, {
    provider: "woocommerce",
    describe: p.describe,
    headers: { authorization: basicAuth(p.secrets), accept: "application/json" },
  });
  const text = await res.text();
  let data: T;
  try {
    data = JSON.parse(text) as T;
  } catch {
    throw new ProviderError("transient", `woocommerce ${p.describe}: malformed JSON response`, { status: res.status, provider: "woocommerce" });
  }
  const date = Date.parse(res.headers.get("date") ?? "");
  return { data, total: intHeader(res, "x-wp-total"), totalPages: intHeader(res, "x-wp-totalpages"), serverTime: Number.isNaN(date) ? null : date };
}
