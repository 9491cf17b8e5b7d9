// Mailchimp Marketing API 3.0 at https://{dc}.api.mailchimp.com/3.0 with the OAuth token.
import { ProviderError, providerFetch, readJson } from "../http";
import type { Account, ConnectorRuntime, Secrets } from "../types";

/** The data center comes from the provider's metadata and becomes a hostname: accept only its shape. */
export const DC_PATTERN = /^[a-z]{2}\d{1,3}$/;

export function apiBase(account: Account): string {
  const dc = account.dc ?? "";
  if (!DC_PATTERN.test(dc)) throw new ProviderError("permanent", `mailchimp: invalid data center "${dc.slice(0, 20)}"`, { provider: "mailchimp" });
  return `https://${dc}.api.mailchimp.com/3.0`;
}

export async function mailchimpGet<T>(rt: ConnectorRuntime, secrets: Secrets, account: Account, pathAndQuery: string): Promise<T> {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "mailchimp: no access token stored", { provider: "mailchimp" });
  const res = await providerFetch(rt, `${apiBase(account)}${pathAndQuery}`, {
    provider: "mailchimp",
    headers: { authorization: `Bearer ${secrets.accessToken}`, accept: "application/json" },
  });
  const body = await readJson<T>(res, "mailchimp");
  if (body === null || typeof body !== "object") throw new ProviderError("transient", `mailchimp ${pathAndQuery.split("?")[0]}: unexpected response`, { provider: "mailchimp" });
  return body;
}

/**
 * Maps with at most `limit` calls in flight: Mailchimp refuses an 11th simultaneous connection,
 * and other syncs of the same user may be running.
 */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export const ms = (s: string | null | undefined): number | null => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? null : t;
};
