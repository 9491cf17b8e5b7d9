// Google Ads writes: campaigns:mutate (status) and campaignBudgets:mutate (amount_micros), each an
// update operation with its field mask. A budget may be shared by several campaigns
// (explicitly_shared, reference_count): changing it changes all of them, which callers must say.
import { googleAuthHeaders } from "../google/oauth";
import { ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";
import { adsError, base } from "./api";

type MutateResponse = { results?: { resourceName?: string }[] };

async function mutate(rt: ConnectorRuntime, secrets: Secrets, customerId: string, service: "campaigns" | "campaignBudgets", operation: unknown, loginCustomerId?: string): Promise<string> {
  const headers: Record<string, string> = { ...googleAuthHeaders("google-ads", secrets), "developer-token": rt.settings?.developerToken ?? "", "content-type": "application/json" };
  if (loginCustomerId) headers["login-customer-id"] = loginCustomerId;
  const what = `${service}:mutate`;
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "google-ads", `${base(rt)}/customers/${customerId}/${service}:mutate`), {
      method: "POST", headers, body: JSON.stringify({ operations: [operation] }), signal: AbortSignal.timeout(rt.timeoutMs),
    });
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
  if (!res.ok) throw adsError(res.status, body as Parameters<typeof adsError>[1], what);
  const name = (body as MutateResponse | null)?.results?.[0]?.resourceName;
  if (!name) throw new ProviderError("transient", `google-ads ${what}: no result in the response`, { provider: "google-ads" });
  return name;
}

export const setCampaignStatus = (rt: ConnectorRuntime, secrets: Secrets, c: { customerId: string; campaignId: string; loginCustomerId?: string }, status: "ENABLED" | "PAUSED") =>
  mutate(rt, secrets, c.customerId, "campaigns", { update: { resourceName: `customers/${c.customerId}/campaigns/${c.campaignId}`, status }, updateMask: "status" }, c.loginCustomerId);

export const setBudgetAmount = (rt: ConnectorRuntime, secrets: Secrets, b: { customerId: string; budgetId: string; loginCustomerId?: string }, amountMicros: number) =>
  mutate(rt, secrets, b.customerId, "campaignBudgets", { update: { resourceName: `customers/${b.customerId}/campaignBudgets/${b.budgetId}`, amountMicros: String(Math.round(amountMicros)) }, updateMask: "amount_micros" }, b.loginCustomerId);

/** Minor units → micros of the currency (USD: 1 cent = 10 000 micros; JPY: 1 yen = 1 000 000). */
export const minorToMicros = (minor: number, digits: number) => Math.round(minor * 10 ** (6 - digits));
