// Marketing API: ad accounts, campaigns and ad sets (status, budgets in minor units) and daily
// campaign insights. Purchases are the `purchase` action type (Meta's deduplicated purchase
// count across pixel, app and offline events), and their value from `action_values`.
import { toMinor } from "../../lib/money";
import { ProviderError } from "../http";
import type { AdCampaign, AdInsight, AdSet, Cursor, Secrets, SyncStream } from "../types";
import { addDays, afterOf, graphGet, isoDay, listOf, num, runAtOf, windowStart, type Paged } from "./graph";

export const PURCHASE_ACTION = "purchase";
const INSIGHTS_WINDOW_DAYS = 90;

const userToken = (secrets: Secrets) => {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "meta: no access token stored", { provider: "meta" });
  return secrets.accessToken;
};

/** "act_1:USD,act_2:EUR" → the currency of one ad account. */
export function currencyOf(adCurrencies: string | undefined, accountId: string): string {
  for (const pair of listOf(adCurrencies)) {
    const [id, cur] = pair.split(":");
    if (id === accountId && cur) return cur;
  }
  return "USD";
}

/** Budgets come as strings already in the currency's minor unit ("5000" = 50.00 USD). */
const budget = (v: unknown) => (v === undefined || v === null || v === "" || v === "0" ? null : Math.round(num(v)));

type AdAccountRow = { id: string; name?: string; currency?: string; timezone_name?: string };
type CampaignRow = { id: string; name?: string; status?: string; effective_status?: string; objective?: string; daily_budget?: string; lifetime_budget?: string; updated_time?: string };
type AdSetRow = CampaignRow & { campaign_id: string };

/** Walks each ad account's edge in turn, paged by `after` (cursor: account index + after). */
function perAccount<T>(name: string, edge: string, fields: string, map: (row: T, accountId: string, currency: string) => Partial<Record<"adCampaigns" | "adSets", unknown>>): SyncStream {
  return {
    name,
    async page(rt, { secrets, account, cursor }) {
      const ids = listOf(account.adAccounts);
      const i = typeof cursor?.i === "number" ? cursor.i : 0;
      if (i >= ids.length) return { batch: {}, next: null, watermark: rt.now() };
      const id = ids[i]!;
      const params: Record<string, string> = { fields, limit: "100" };
      if (typeof cursor?.after === "string") params.after = cursor.after;
      const body = await graphGet<Paged<T>>(rt, `${id}/${edge}`, params, userToken(secrets), `${edge}`);
      const currency = currencyOf(account.adCurrencies, id);
      const campaigns: AdCampaign[] = [];
      const sets: AdSet[] = [];
      for (const row of body.data ?? []) {
        const out = map(row, id, currency);
        if (out.adCampaigns) campaigns.push(out.adCampaigns as AdCampaign);
        if (out.adSets) sets.push(out.adSets as AdSet);
      }
      const after = afterOf(body);
      const next: Cursor | null = after ? { i, after } : i + 1 < ids.length ? { i: i + 1 } : null;
      return { batch: { ...(campaigns.length ? { adCampaigns: campaigns } : {}), ...(sets.length ? { adSets: sets } : {}) }, next, watermark: rt.now() };
    },
  };
}

export const adAccountsStream: SyncStream = {
  name: "ad_accounts",
  async page(rt, { secrets, account, cursor }) {
    const wanted = new Set(listOf(account.adAccounts));
    const params: Record<string, string> = { fields: "id,name,currency,timezone_name", limit: "50" };
    if (typeof cursor?.after === "string") params.after = cursor.after;
    const body = await graphGet<Paged<AdAccountRow>>(rt, "me/adaccounts", params, userToken(secrets));
    const now = rt.now();
    const adAccounts = (body.data ?? [])
      .filter((a) => wanted.has(a.id))
      .map((a) => ({ providerId: a.id, channel: "meta" as const, name: a.name ?? a.id, currency: a.currency ?? "USD", timeZone: a.timezone_name ?? null, updatedAt: now }));
    const after = afterOf(body);
    return { batch: { adAccounts }, next: after ? { after } : null };
  },
};

const updated = (t: string | undefined) => (t ? Date.parse(t) || 0 : 0);

export const campaignsStream = perAccount<CampaignRow>(
  "ad_campaigns",
  "campaigns",
  "id,name,status,effective_status,objective,daily_budget,lifetime_budget,updated_time",
  (c, accountId, currency) => ({
    adCampaigns: {
      providerId: c.id, channel: "meta", accountId, name: c.name ?? c.id, status: c.effective_status ?? c.status ?? "UNKNOWN", objective: c.objective ?? null,
      dailyBudgetMinor: budget(c.daily_budget), lifetimeBudgetMinor: budget(c.lifetime_budget), currency, sharedBudget: false, budgetId: null,
      updatedAt: updated(c.updated_time),
    } satisfies AdCampaign,
  }),
);

export const adSetsStream = perAccount<AdSetRow>(
  "ad_sets",
  "adsets",
  "id,name,campaign_id,status,effective_status,daily_budget,lifetime_budget,updated_time",
  (s, _accountId, currency) => ({
    adSets: {
      providerId: s.id, campaignId: s.campaign_id, name: s.name ?? s.id, status: s.effective_status ?? s.status ?? "UNKNOWN",
      dailyBudgetMinor: budget(s.daily_budget), lifetimeBudgetMinor: budget(s.lifetime_budget), currency, updatedAt: updated(s.updated_time),
    } satisfies AdSet,
  }),
);

type Action = { action_type: string; value: string };
type InsightRow = { campaign_id: string; spend?: string; impressions?: string; clicks?: string; reach?: string; actions?: Action[]; action_values?: Action[]; date_start: string };

const actionValue = (list: Action[] | undefined) => list?.find((a) => a.action_type === PURCHASE_ACTION)?.value;

/** Daily campaign insights per ad account, 90-day windows, paged by `after` within a window. */
export const adInsightsStream: SyncStream = {
  name: "ad_insights",
  async page(rt, { secrets, account, cursor, since }) {
    const ids = listOf(account.adAccounts);
    const runAt = runAtOf(rt, cursor);
    const today = isoDay(runAt);
    const i = typeof cursor?.i === "number" ? cursor.i : 0;
    if (i >= ids.length) return { batch: {}, next: null, watermark: runAt };
    const id = ids[i]!;
    const from = typeof cursor?.from === "string" ? cursor.from : windowStart(runAt, since);
    const to = addDays(from, INSIGHTS_WINDOW_DAYS - 1) < today ? addDays(from, INSIGHTS_WINDOW_DAYS - 1) : today;
    const params: Record<string, string> = {
      level: "campaign",
      fields: "campaign_id,spend,impressions,clicks,reach,actions,action_values",
      time_range: JSON.stringify({ since: from, until: to }),
      time_increment: "1",
      limit: "500",
    };
    if (typeof cursor?.after === "string") params.after = cursor.after;
    const body = await graphGet<Paged<InsightRow>>(rt, `${id}/insights`, params, userToken(secrets), "ads insights");
    if (body.data !== undefined && !Array.isArray(body.data)) throw new ProviderError("transient", "meta ads insights: unexpected shape", { provider: "meta" });
    const currency = currencyOf(account.adCurrencies, id);
    const adInsights: AdInsight[] = (body.data ?? []).map((r) => ({
      campaignId: r.campaign_id, date: r.date_start, spendMinor: toMinor(r.spend ?? "0", currency), impressions: num(r.impressions), clicks: num(r.clicks),
      reach: r.reach === undefined ? null : num(r.reach), conversions: num(actionValue(r.actions)), conversionValueMinor: toMinor(actionValue(r.action_values) ?? "0", currency),
      currency,
    }));
    const after = afterOf(body);
    let next: Cursor | null;
    if (after) next = { runAt, i, from, after };
    else if (to < today) next = { runAt, i, from: addDays(to, 1) };
    else next = i + 1 < ids.length ? { runAt, i: i + 1 } : null;
    return { batch: { adInsights }, next, watermark: runAt };
  },
};
