// GA4 Admin API: which properties the Google user can read, and the chosen property's settings.
import { googleAuthHeaders } from "../google/oauth";
import { ProviderError, providerFetch, readJson } from "../http";
import type { Account, ConnectorRuntime, Secrets } from "../types";

export const ADMIN_BASE = "https://analyticsadmin.googleapis.com/v1beta";

type PropertySummary = { property: string; displayName?: string; parent?: string };
type AccountSummaries = {
  accountSummaries?: { account?: string; displayName?: string; propertySummaries?: PropertySummary[] }[];
  nextPageToken?: string;
};
type Property = { name: string; displayName?: string; currencyCode?: string; timeZone?: string };

/** "properties/123", "123" or " 123 " → "123"; null when it is not a numeric property id. */
export function normalizePropertyId(input: string | undefined): string | null {
  const id = (input ?? "").trim().replace(/^properties\//, "");
  return /^\d+$/.test(id) ? id : null;
}

async function listProperties(rt: ConnectorRuntime, secrets: Secrets) {
  const out: { id: string; displayName: string; accountName: string }[] = [];
  let pageToken: string | undefined;
  for (let guard = 0; guard < 50; guard++) {
    const q = new URLSearchParams({ pageSize: "200" });
    if (pageToken) q.set("pageToken", pageToken);
    const res = await providerFetch(rt, `${ADMIN_BASE}/accountSummaries?${q}`, { provider: "ga4", headers: googleAuthHeaders("ga4", secrets) });
    const body = await readJson<AccountSummaries>(res, "ga4");
    for (const a of body.accountSummaries ?? []) {
      for (const p of a.propertySummaries ?? []) {
        const id = normalizePropertyId(p.property);
        if (id) out.push({ id, displayName: p.displayName ?? `Property ${id}`, accountName: a.displayName ?? "" });
      }
    }
    pageToken = body.nextPageToken;
    if (!pageToken) break;
  }
  return out;
}

/**
 * The property to sync: `wanted` when given (it must be readable by this Google user), otherwise
 * the first one the Admin API lists. Returns the account coordinates the streams need.
 */
export async function chooseProperty(rt: ConnectorRuntime, secrets: Secrets, wanted?: string): Promise<{ account: Account; label: string }> {
  const properties = await listProperties(rt, secrets);
  let chosen = properties[0];
  if (wanted !== undefined && wanted.trim() !== "") {
    const id = normalizePropertyId(wanted);
    chosen = properties.find((p) => p.id === id);
    if (!chosen) throw new ProviderError("permanent", `ga4: property ${wanted.trim()} is not readable by this Google account`, { provider: "ga4" });
  }
  if (!chosen) throw new ProviderError("permanent", "ga4: this Google account has no Google Analytics 4 property", { provider: "ga4" });
  const res = await providerFetch(rt, `${ADMIN_BASE}/properties/${chosen.id}`, { provider: "ga4", headers: googleAuthHeaders("ga4", secrets) });
  const property = await readJson<Property>(res, "ga4");
  const label = property.displayName ?? chosen.displayName;
  const account: Account = { propertyId: chosen.id, propertyName: label };
  if (chosen.accountName) account.accountName = chosen.accountName;
  if (property.currencyCode) account.currencyCode = property.currencyCode;
  if (property.timeZone) account.timeZone = property.timeZone;
  return { account, label };
}
