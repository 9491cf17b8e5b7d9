// Google Ads streams: the customer, campaigns with their budgets (shared budgets flagged) and daily
// campaign metrics in 90-day windows. Money: cost_micros and budget amount_micros are millionths
// of the account currency → minor units rounded half up per row (1 234 567 micros USD = 123 cents);
// conversions_value is a double in the account currency → minor units the same way.
import { toMinor, minorDigits } from "../../lib/money";
import { ProviderError } from "../http";
import type { Account, AdCampaign, AdInsight, Cursor, SyncStream } from "../types";
import { searchStream } from "./api";

const DAY_MS = 86_400_000;
export const HISTORY_DAYS = 730;
export const SETTLE_DAYS = 3;
const WINDOW_DAYS = 90;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number) => isoDay(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** Micros (int64 as a string) → integer minor units, half up. */
export function microsToMinor(micros: string | number | undefined, currency: string): number {
  const n = Number(micros ?? 0);
  if (!Number.isFinite(n)) return 0;
  const per = 10 ** (6 - minorDigits(currency));
  return Math.sign(n) * Math.floor(Math.abs(n) / per + 0.5);
}

function customerOf(account: Account) {
  if (!account.customerId) throw new ProviderError("permanent", "google-ads: the integration has no customer id", { provider: "google-ads" });
  return { id: account.customerId, login: account.loginCustomerId || undefined, currency: account.currency ?? "USD" };
}

export function windowStart(runAt: number, since: number | null): string {
  const floor = runAt - HISTORY_DAYS * DAY_MS;
  if (since === null) return isoDay(floor);
  return isoDay(Math.max(floor, Date.parse(isoDay(since)) - SETTLE_DAYS * DAY_MS));
}

export const customerStream: SyncStream = {
  name: "customer",
  async page(rt, { secrets, account }) {
    const c = customerOf(account);
    const [row] = await searchStream<{ customer?: { id?: string; descriptiveName?: string; currencyCode?: string; timeZone?: string } }>(
      rt, secrets, c.id, "SELECT customer.id, customer.descriptive_name, customer.currency_code, customer.time_zone FROM customer", c.login, "customer",
    );
    const cu = row?.customer;
    const adAccounts = cu ? [{ providerId: c.id, channel: "google" as const, name: cu.descriptiveName ?? c.id, currency: cu.currencyCode ?? c.currency, timeZone: cu.timeZone ?? null, updatedAt: rt.now() }] : [];
    return { batch: { adAccounts }, next: null, watermark: rt.now() };
  },
};

type CampaignRow = {
  campaign?: { id?: string; name?: string; status?: string; advertisingChannelType?: string };
  campaignBudget?: { id?: string; amountMicros?: string; totalAmountMicros?: string; explicitlyShared?: boolean; referenceCount?: string; period?: string };
};

export const campaignsStream: SyncStream = {
  name: "campaigns",
  async page(rt, { secrets, account }) {
    const c = customerOf(account);
    const rows = await searchStream<CampaignRow>(
      rt, secrets, c.id,
      "SELECT campaign.id, campaign.name, campaign.status, campaign.advertising_channel_type, campaign_budget.id, campaign_budget.amount_micros, " +
        "campaign_budget.total_amount_micros, campaign_budget.explicitly_shared, campaign_budget.reference_count, campaign_budget.period " +
        "FROM campaign WHERE campaign.status != 'REMOVED'",
      c.login, "campaigns",
    );
    const now = rt.now();
    const adCampaigns: AdCampaign[] = rows.flatMap((r) => {
      if (!r.campaign?.id) return [];
      const b = r.campaignBudget;
      const lifetime = b?.totalAmountMicros !== undefined && b.amountMicros === undefined;
      return [{
        providerId: r.campaign.id, channel: "google" as const, accountId: c.id, name: r.campaign.name ?? r.campaign.id, status: r.campaign.status ?? "UNKNOWN",
        objective: r.campaign.advertisingChannelType ?? null,
        dailyBudgetMinor: b?.amountMicros !== undefined ? microsToMinor(b.amountMicros, c.currency) : null,
        lifetimeBudgetMinor: lifetime ? microsToMinor(b!.totalAmountMicros, c.currency) : null,
        currency: c.currency,
        // A budget used by several campaigns: changing it changes all of them.
        sharedBudget: Boolean(b?.explicitlyShared) || Number(b?.referenceCount ?? 1) > 1,
        budgetId: b?.id ?? null,
        updatedAt: now,
      }];
    });
    return { batch: { adCampaigns }, next: null, watermark: now };
  },
};

type MetricsRow = {
  campaign?: { id?: string };
  segments?: { date?: string };
  metrics?: { costMicros?: string; impressions?: string; clicks?: string; conversions?: number; conversionsValue?: number };
};

export const dailyMetricsStream: SyncStream = {
  name: "campaign_daily",
  async page(rt, { secrets, account, cursor, since }) {
    const c = customerOf(account);
    const runAt = typeof cursor?.runAt === "number" ? cursor.runAt : rt.now();
    const today = isoDay(runAt);
    const from = typeof cursor?.from === "string" ? cursor.from : windowStart(runAt, since);
    const to = addDays(from, WINDOW_DAYS - 1) < today ? addDays(from, WINDOW_DAYS - 1) : today;
    const rows = await searchStream<MetricsRow>(
      rt, secrets, c.id,
      "SELECT campaign.id, segments.date, metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, metrics.conversions_value " +
        `FROM campaign WHERE segments.date BETWEEN '${from}' AND '${to}'`,
      c.login, "campaign_daily",
    );
    // proto3 JSON omits zero fields: a missing metric is 0.
    const adInsights: AdInsight[] = rows.flatMap((r) =>
      r.campaign?.id && r.segments?.date
        ? [{
            campaignId: r.campaign.id, date: r.segments.date, spendMinor: microsToMinor(r.metrics?.costMicros, c.currency),
            impressions: Number(r.metrics?.impressions ?? 0), clicks: Number(r.metrics?.clicks ?? 0), reach: null,
            conversions: r.metrics?.conversions ?? 0, conversionValueMinor: toMinor(r.metrics?.conversionsValue ?? 0, c.currency), currency: c.currency,
          }]
        : [],
    );
    const next: Cursor | null = to < today ? { runAt, from: addDays(to, 1) } : null;
    return { batch: { adInsights }, next, watermark: runAt };
  },
};
