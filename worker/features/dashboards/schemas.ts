import { z } from "zod";
import { areas, dimensions } from "../metrics";
import { presets } from "./periods";

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Not a calendar day");
const metricList = z.string().max(600).transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean)).pipe(z.array(z.string().min(1).max(60)).max(30));

/** A custom range (from + to) or a preset ending today in the workspace's time zone (default 28 days). */
export const rangeQuery = z.object({
  from: isoDay.optional(),
  to: isoDay.optional(),
  preset: z.enum(presets).optional(),
  compare: z.enum(["previous", "year", "none"]).default("previous"),
});

export const dashboardQuery = rangeQuery.extend({
  area: z.enum(["overview", ...areas]).default("overview"),
  metrics: metricList.optional(),
});

/** Every dimension a catalogue metric is stored by (products, channels, campaigns, accounts, posts…). */
const dimension = z.enum(dimensions as [string, ...string[]]);
/** How many rows a breakdown lists (the rest are summed as "other"): 100 by default, every row up to 1,000 for CSV. */
const rowLimit = z.coerce.number().int().min(1).max(1000).optional();
export const breakdownQuery = rangeQuery.extend({ dimension, metrics: metricList, limit: rowLimit, format: z.enum(["json", "csv"]).default("json") });
export const drillQuery = rangeQuery.extend({ dimension, metrics: metricList, value: z.string().min(1).max(500) });

export const layoutBody = z.strictObject({
  widgets: z.array(z.strictObject({ key: z.string().min(1).max(80), size: z.enum(["s", "m", "l"]) })).max(40),
});
export const timeZoneBody = z.strictObject({ timeZone: z.string().min(1).max(64) });
export const rebuildBody = z.strictObject({ after: z.string().max(64).optional(), limit: z.number().int().min(1).max(1000).default(100) });

// Response bodies (the OpenAPI document and the web's generated types come from these).
/** A figure per currency ("" for counts and ratios); null where a ratio has no denominator. */
const figure = z.record(z.string(), z.number().nullable());
const point = z.object({ bucket: z.string(), value: figure });
const range = z.object({ from: z.string(), to: z.string() });
export const kpiView = z.object({
  key: z.string(), label: z.string(), unit: z.enum(["money", "count", "ratio", "duration"]), area: z.enum(areas as [string, ...string[]]), definition: z.string(),
  value: figure, previous: figure.nullable(), change: z.record(z.string(), z.number().nullable()).nullable(),
  series: z.array(point), previousSeries: z.array(point).nullable(),
});
const sourceView = z.object({
  id: z.string(), provider: z.string(), label: z.string(), status: z.string(), lastSyncAt: z.number().nullable(), lastError: z.string().nullable(), areas: z.array(z.string()),
});
export const dashboardView = z.object({
  area: z.string(), timeZone: z.string(), range, comparison: range.nullable(), bucket: z.enum(["day", "week", "month"]),
  connectedAreas: z.array(z.string()),
  areas: z.array(z.object({ area: z.string(), connected: z.boolean(), providers: z.array(z.string()) })),
  sources: z.array(sourceView),
  kpis: z.array(kpiView),
});
export const breakdownView = z.object({
  dimension: z.string(), metrics: z.array(z.string()),
  /** The largest rows by the first metric, largest first. */
  rows: z.array(z.object({ value: z.string(), label: z.string(), figures: z.record(z.string(), figure) })),
  /** How many values (products, channels…) the range has in all. */
  total: z.number(),
  /** The values beyond the listed rows, summed; null when every value is listed. */
  other: z.object({ count: z.number(), figures: z.record(z.string(), figure) }).nullable(),
});
export const drillView = z.object({
  dimension: z.string(), value: z.string(), label: z.string(), metrics: z.array(z.string()),
  days: z.array(z.object({ day: z.string(), figures: z.record(z.string(), figure) })),
});
export const layoutView = z.object({
  widgets: z.array(z.object({ key: z.string(), size: z.enum(["s", "m", "l"]) })), custom: z.boolean(), updatedAt: z.number().nullable(),
});
export const timeZoneView = z.object({ timeZone: z.string(), rollups: z.number() });
export const agencyView = z.object({
  range, comparison: range.nullable(), bucket: z.enum(["day", "week", "month"]), currencies: z.array(z.string()),
  totals: z.record(z.string(), z.record(z.string(), z.number())),
  clients: z.array(z.object({
    workspaceId: z.string(), name: z.string(), timeZone: z.string(), kpis: z.array(kpiView), dropped: z.boolean(),
    drops: z.array(z.object({ metric: z.string(), currency: z.string(), change: z.number() })),
  })),
});
export const catalogueView = z.object({
  metrics: z.array(z.object({
    key: z.string(), label: z.string(), area: z.string(), unit: z.string(), kind: z.enum(["stored", "derived"]), definition: z.string(),
    aggregate: z.enum(["sum", "latest"]).optional(), dimensions: z.array(z.string()).optional(),
    sources: z.array(z.object({ provider: z.string() }).passthrough()).optional(),
    formula: z.record(z.string(), z.unknown()).optional(),
  })),
});
export const rebuildView = z.object({ integrations: z.number(), rows: z.number(), next: z.string().nullable() });
