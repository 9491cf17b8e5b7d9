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
export const breakdownQuery = rangeQuery.extend({ dimension, metrics: metricList, format: z.enum(["json", "csv"]).default("json") });
export const drillQuery = rangeQuery.extend({ dimension, metrics: metricList, value: z.string().min(1).max(500) });

export const layoutBody = z.strictObject({
  widgets: z.array(z.strictObject({ key: z.string().min(1).max(80), size: z.enum(["s", "m", "l"]) })).max(40),
});
export const timeZoneBody = z.strictObject({ timeZone: z.string().min(1).max(64) });
export const rebuildBody = z.strictObject({ after: z.string().max(64).optional(), limit: z.number().int().min(1).max(1000).default(100) });
