// GA4 Data API runReport as sync streams: one report per breakdown (totals, channel, landing page),
// one row per day and dimension value, paged by limit/offset until `rowCount`.
import { googleAuthHeaders } from "../google/oauth";
import { ProviderError, providerFetch, readJson } from "../http";
import { toMinor } from "../../lib/money";
import type { Account, ConnectorRuntime, Cursor, DailyMetric, SyncStream } from "../types";

export const DATA_BASE = "https://analyticsdata.googleapis.com/v1beta";
export const PAGE_LIMIT = 10_000;
/** GA4 keeps processing (and revising) the last days: every run fetches them again. */
export const SETTLE_DAYS = 3;
/** The first sync goes back a year. */
export const HISTORY_DAYS = 365;
const DAY_MS = 86_400_000;

/** GA4 metric → our metric name. keyEvents is GA4's current name for conversions. */
const METRICS = [
  ["sessions", "sessions"],
  ["totalUsers", "users"],
  ["newUsers", "new_users"],
  ["keyEvents", "conversions"],
  ["totalRevenue", "revenue"],
] as const;

type RunReportResponse = {
  rows?: { dimensionValues?: { value?: string }[]; metricValues?: { value?: string }[] }[];
  rowCount?: number;
  metadata?: { currencyCode?: string; timeZone?: string };
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * First day of this run's window: a year back on a full sync, otherwise the day of the last run's
 * watermark minus the settling days (upserts make the overlap harmless).
 */
export function windowStart(runAt: number, since: number | null): string {
  const floor = runAt - HISTORY_DAYS * DAY_MS;
  if (since === null) return isoDay(floor);
  return isoDay(Math.max(floor, Date.parse(isoDay(since)) - SETTLE_DAYS * DAY_MS));
}

function toMetrics(row: NonNullable<RunReportResponse["rows"]>[number], dimension: string, currency: string): DailyMetric[] {
  const dims = row.dimensionValues ?? [];
  const raw = dims[0]?.value ?? "";
  // "(other)" appears when GA4 caps cardinality; it has no date to file it under.
  if (!/^\d{8}$/.test(raw)) return [];
  const date = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
  const dimensionValue = dimension ? (dims[1]?.value ?? "") : "";
  const values = row.metricValues ?? [];
  return METRICS.map(([, name], i) => {
    const v = values[i]?.value ?? "0";
    if (name === "revenue") return { date, metric: name, dimension, dimensionValue, value: toMinor(v, currency), currency };
    const n = Number(v);
    return { date, metric: name, dimension, dimensionValue, value: Number.isFinite(n) ? n : 0 };
  });
}

function propertyOf(account: Account): string {
  const id = account.propertyId;
  if (!id || !/^\d+$/.test(id)) throw new ProviderError("permanent", "ga4: the integration has no property id", { provider: "ga4" });
  return id;
}

/** A daily report stream; `gaDimension` null gives the totals (dimension ""). */
export function dailyReportStream(name: string, gaDimension: string | null, dimension: string): SyncStream {
  return {
    name,
    async page(rt: ConnectorRuntime, { secrets, account, cursor, since }) {
      const property = propertyOf(account);
      const runAt = typeof cursor?.runAt === "number" ? cursor.runAt : rt.now();
      const startDate = typeof cursor?.start === "string" ? cursor.start : windowStart(runAt, since);
      const offset = typeof cursor?.offset === "number" ? cursor.offset : 0;
      const dimensions = [{ name: "date" }, ...(gaDimension ? [{ name: gaDimension }] : [])];
      const res = await providerFetch(rt, `${DATA_BASE}/properties/${property}:runReport`, {
        provider: "ga4",
        method: "POST",
        headers: { ...googleAuthHeaders("ga4", secrets), "content-type": "application/json" },
        describe: `runReport ${name}`,
        body: JSON.stringify({
          // A fixed start and "today" as the end: if the day turns mid-run, new rows sort last
          // (ordered by date), so the offsets of the pages already read stay valid.
          dateRanges: [{ startDate, endDate: "today" }],
          dimensions,
          metrics: METRICS.map(([ga]) => ({ name: ga })),
          orderBys: dimensions.map((d) => ({ dimension: { dimensionName: d.name } })),
          limit: String(PAGE_LIMIT),
          offset: String(offset),
          keepEmptyRows: false,
        }),
      });
      const body = await readJson<RunReportResponse>(res, "ga4");
      if (body === null || typeof body !== "object" || (body.rows !== undefined && !Array.isArray(body.rows))) {
        throw new ProviderError("transient", `ga4 runReport ${name}: unexpected response shape`, { provider: "ga4" });
      }
      const rows = body.rows ?? [];
      const currency = body.metadata?.currencyCode ?? account.currencyCode ?? "USD";
      const metrics = rows.flatMap((row) => toMetrics(row, dimension, currency));
      const nextOffset = offset + rows.length;
      const next: Cursor | null = rows.length > 0 && nextOffset < Number(body.rowCount ?? 0) ? { runAt, start: startDate, offset: nextOffset } : null;
      return { batch: { metrics }, next, watermark: runAt };
    },
  };
}
