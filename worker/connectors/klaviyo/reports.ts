// Klaviyo Reporting API: campaign- and flow-values reports. They allow 1 request/s and 2/min per
// account, so a sync asks ONE report per run for all campaigns (or all flows) and carries the
// figures in its cursor while it pages through the campaigns themselves.
import { ProviderError } from "../http";
import { toMinor } from "../../lib/money";
import type { Account, ConnectorRuntime, Secrets } from "../types";
import { API_BASE, klaviyoGet, klaviyoPost, type Collection } from "./api";

const DAY_MS = 86_400_000;
/** Reports cover at most a year; campaigns sent earlier keep the figures synced back then. */
export const REPORT_DAYS = 365;
const STATISTICS = ["recipients", "delivered", "opens_unique", "clicks_unique", "bounced", "unsubscribe_uniques", "conversion_value"] as const;

/** Per campaign/flow id: [recipients, delivered, opens, clicks, bounces, unsubscribes, revenueMinor]. */
export type Figures = Record<string, number[]>;

type ReportResponse = {
  data?: { attributes?: { results?: { groupings?: Record<string, string>; statistics?: Record<string, number> }[] } };
  links?: { next?: string | null };
};

/** The "Placed Order" metric that conversion figures are measured with (looked up once at verify). */
export async function placedOrderMetric(rt: ConnectorRuntime, secrets: Secrets): Promise<string | null> {
  let url: string | null = `${API_BASE}/metrics?fields[metric]=name`;
  let first: string | null = null;
  for (let guard = 0; url && guard < 50; guard++) {
    const { body }: { body: Collection<{ name?: string }> } = await klaviyoGet(rt, secrets, url);
    for (const m of body.data ?? []) {
      if (m.attributes?.name === "Placed Order") return m.id;
      first ??= m.id;
    }
    url = body.links?.next ?? null;
  }
  return first;
}

export const packFigures = (f: Figures) => JSON.stringify(f);
export function unpackFigures(s: unknown): Figures {
  try {
    return typeof s === "string" && s ? (JSON.parse(s) as Figures) : {};
  } catch {
    return {};
  }
}

/** Runs one page of a values report for every email campaign (or flow) and sums it per id. */
export async function valuesReport(
  rt: ConnectorRuntime,
  p: { secrets: Secrets; account: Account; kind: "campaign" | "flow"; runAt: number; url?: string | null; into: Figures },
): Promise<{ figures: Figures; next: string | null }> {
  let metric = p.account.conversionMetricId || null;
  if (!metric) metric = await placedOrderMetric(rt, p.secrets);
  if (!metric) throw new ProviderError("permanent", "klaviyo: the account has no metric to measure conversions with", { provider: "klaviyo" });
  const type = `${p.kind}-values-report`;
  const body = await klaviyoPost<ReportResponse>(rt, p.secrets, p.url ?? `${API_BASE}/${type}s`, {
    data: {
      type,
      attributes: {
        statistics: STATISTICS,
        timeframe: { start: new Date(p.runAt - REPORT_DAYS * DAY_MS).toISOString(), end: new Date(p.runAt).toISOString() },
        conversion_metric_id: metric,
        filter: 'equals(send_channel,"email")',
      },
    },
  });
  const results = body?.data?.attributes?.results;
  if (!Array.isArray(results)) throw new ProviderError("transient", `klaviyo ${type}: unexpected response shape`, { provider: "klaviyo" });
  const currency = p.account.currency || "USD";
  const figures: Figures = { ...p.into };
  for (const r of results) {
    const id = r.groupings?.[`${p.kind}_id`];
    if (!id) continue;
    const s = r.statistics ?? {};
    const add = [
      s.recipients ?? 0,
      s.delivered ?? 0,
      s.opens_unique ?? 0,
      s.clicks_unique ?? 0,
      s.bounced ?? 0,
      s.unsubscribe_uniques ?? 0,
      toMinor(s.conversion_value ?? 0, currency),
    ];
    const acc = figures[id] ?? [0, 0, 0, 0, 0, 0, 0];
    figures[id] = acc.map((v, i) => v + (add[i] ?? 0));
  }
  return { figures, next: body.links?.next ?? null };
}
