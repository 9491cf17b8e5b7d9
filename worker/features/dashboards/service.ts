import { and, asc, between, eq, inArray, isNull, lte, or, sql, desc } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, metricRollups, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { TenantContext } from "../../core/context";
import { areaKpis, areas, inputsOf, metricOf, storedMetrics, suppliedBy, type Area } from "../metrics";
import { addValue, change, figure, type Figure, type Values } from "./figures";
import { bucketSql, bucketsOf, periodsOf, shiftDays, type Compare, type Periods, type Range } from "./periods";

export type Ctx = { db: Database; tenant: TenantContext; now: number };
export type DashboardInput = { area: Area | "overview"; range: Range; compare: Compare; metrics?: string[] };

/** The overview's headline KPIs per area (only areas with a connected source are shown). */
export const overviewKpis: Record<Area, string[]> = {
  commerce: ["revenue_net", "orders", "aov"],
  analytics: ["sessions", "conversion_rate"],
  email: ["email_sends", "open_rate", "email_revenue"],
  ads: ["ad_spend", "roas", "cpa"],
  social: ["social_reach", "social_engagement"],
};

/** Active integrations of the workspace: which sources supply figures, and how fresh they are. */
export async function sourcesOf(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">) {
  return db
    .select({ id: integrations.id, provider: integrations.provider, label: integrations.label, status: integrations.status, lastSyncAt: integrations.lastSyncAt, lastError: integrations.lastError })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, t.workspaceId), eq(integrations.orgId, t.orgId), isNull(integrations.disconnectedAt)));
}

export async function workspaceTimeZone(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">): Promise<string> {
  const [w] = await db.select({ tz: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, t.workspaceId), eq(workspaces.orgId, t.orgId))).limit(1);
  if (!w) throw notFound("Workspace");
  return w.tz;
}

const activeIntegrations = (workspaceId: string) =>
  sql`${metricRollups.integrationId} IN (SELECT id FROM integrations WHERE workspace_id = ${workspaceId} AND disconnected_at IS NULL)`;

/**
 * Summed daily rollups of the given metrics per period (0 current, 1 comparison) and bucket, in
 * one indexed query over the totals (dimension "") of the workspace.
 */
export async function readTotals(db: Database, workspaceId: string, metrics: string[], p: Periods) {
  if (!metrics.length) return [];
  const inCurrent = between(metricRollups.day, p.current.from, p.current.to);
  const period = sql<number>`CASE WHEN ${metricRollups.day} BETWEEN ${p.current.from} AND ${p.current.to} THEN 0 ELSE 1 END`;
  const bucket = sql<string>`${sql.raw(bucketSql(p.bucket, '"day"'))}`;
  return db
    .select({ metric: metricRollups.metric, currency: metricRollups.currency, period, bucket, value: sql<number>`sum(${metricRollups.value})` })
    .from(metricRollups)
    .where(
      and(
        eq(metricRollups.workspaceId, workspaceId),
        eq(metricRollups.dimension, ""),
        inArray(metricRollups.metric, metrics),
        p.comparison ? or(inCurrent, between(metricRollups.day, p.comparison.from, p.comparison.to)) : inCurrent,
        activeIntegrations(workspaceId),
      ),
    )
    .groupBy(metricRollups.metric, metricRollups.currency, period, bucket);
}

/** Snapshot metrics (list sizes, followers): the sum over lists or accounts of each one's latest value on or before `day`. */
async function snapshotAt(db: Database, workspaceId: string, metric: string, day: string): Promise<number> {
  const rows = await db
    .select({ v: metricRollups.value, dv: metricRollups.dimensionValue, day: metricRollups.day })
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, workspaceId), eq(metricRollups.dimension, metricOf(metric)?.kind === "stored" ? (metricOf(metric) as { dimensions: string[] }).dimensions[0] ?? "" : ""), eq(metricRollups.metric, metric), lte(metricRollups.day, day), activeIntegrations(workspaceId)))
    .orderBy(asc(metricRollups.day));
  const latest = new Map<string, number>();
  for (const r of rows) latest.set(r.dv, r.v);
  return [...latest.values()].reduce((a, b) => a + b, 0);
}

export type Kpi = {
  key: string; label: string; unit: string; area: Area; definition: string;
  value: Figure; previous: Figure | null; change: Record<string, number | null> | null;
  series: { bucket: string; value: Figure }[]; previousSeries: { bucket: string; value: Figure }[] | null;
};

/** Figures, comparison and series for a list of catalogue metrics. */
export async function kpisFor(db: Database, workspaceId: string, keys: string[], p: Periods): Promise<Kpi[]> {
  const needed = [...new Set(keys.flatMap(inputsOf))];
  const snapshot = needed.filter((k) => metricOf(k)?.kind === "stored" && (metricOf(k) as { aggregate?: string }).aggregate === "latest");
  const rows = await readTotals(db, workspaceId, needed.filter((k) => !snapshot.includes(k)), p);
  const totals: [Values, Values] = [new Map(), new Map()];
  const buckets: [Map<string, Values>, Map<string, Values>] = [new Map(), new Map()];
  for (const r of rows) {
    const i = r.period as 0 | 1;
    addValue(totals[i], r.metric, r.currency, r.value);
    let b = buckets[i].get(r.bucket);
    if (!b) buckets[i].set(r.bucket, (b = new Map()));
    addValue(b, r.metric, r.currency, r.value);
  }
  const ranges = [p.current, p.comparison] as const;
  for (const k of snapshot) {
    for (const i of [0, 1] as const) {
      const r = ranges[i];
      if (!r) continue;
      addValue(totals[i], k, "", await snapshotAt(db, workspaceId, k, r.to));
      addValue(totals[i], `${k}@start`, "", await snapshotAt(db, workspaceId, k, shiftDays(r.from, -1)));
    }
  }
  const seriesOf = (i: 0 | 1, key: string) => {
    const r = ranges[i];
    return r ? bucketsOf(r, p.bucket).map((bucket) => ({ bucket, value: figure(buckets[i].get(bucket) ?? new Map(), key) })) : null;
  };
  return keys.flatMap((key) => {
    const m = metricOf(key);
    if (!m) return [];
    const value = figure(totals[0], key);
    const previous = p.comparison ? figure(totals[1], key) : null;
    const changes = previous ? Object.fromEntries(Object.entries(value).map(([c, v]) => [c, change(v, previous[c])])) : null;
    return [{ key, label: m.label, unit: m.unit, area: m.area, definition: m.definition, value, previous, change: changes, series: seriesOf(0, key) ?? [], previousSeries: seriesOf(1, key) }];
  });
}

/** The overview or one area's page: KPIs with comparison and sparklines, and each source's freshness. */
export async function getDashboard({ ctx, input }: { ctx: Ctx; input: DashboardInput }) {
  const [timeZone, sources] = await Promise.all([workspaceTimeZone(ctx.db, ctx.tenant), sourcesOf(ctx.db, ctx.tenant)]);
  const supplied = new Set(suppliedBy(sources.map((s) => s.provider)));
  const connected = areas.filter((a) => areaKpis[a].some((k) => inputsOf(k).some((i) => supplied.has(i))));
  const periods = periodsOf(input.range, input.compare);
  const keys = input.metrics?.length
    ? input.metrics.filter((k) => metricOf(k))
    : input.area === "overview" ? connected.flatMap((a) => overviewKpis[a]) : areaKpis[input.area];
  const kpis = await kpisFor(ctx.db, ctx.tenant.workspaceId, keys, periods);
  const providersOf = (area: Area) => [...new Set(storedMetrics.filter((m) => m.area === area).flatMap((m) => m.sources.map((s) => s.provider)))];
  return {
    area: input.area, timeZone, range: periods.current, comparison: periods.comparison, bucket: periods.bucket,
    connectedAreas: connected,
    areas: areas.map((a) => ({ area: a, connected: connected.includes(a), providers: providersOf(a) })),
    sources: sources.map((s) => ({ ...s, areas: areas.filter((a) => providersOf(a).includes(s.provider)) })),
    kpis,
  };
}

export type BreakdownInput = { dimension: string; metrics: string[]; range: Range; value?: string };

/** A dimension's rows (products, channels, landing pages, campaigns) with the metrics' sums per currency. */
export async function getBreakdown({ ctx, input }: { ctx: Ctx; input: BreakdownInput }) {
  const metrics = input.metrics.filter((k) => storedMetrics.some((m) => m.key === k && m.dimensions.includes(input.dimension)));
  if (!metrics.length) return { dimension: input.dimension, metrics, rows: [] };
  const ws = ctx.tenant.workspaceId;
  const rows = await ctx.db
    .select({ dv: metricRollups.dimensionValue, label: sql<string | null>`max(${metricRollups.label})`, metric: metricRollups.metric, currency: metricRollups.currency, value: sql<number>`sum(${metricRollups.value})` })
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, ws), eq(metricRollups.dimension, input.dimension), inArray(metricRollups.metric, metrics), between(metricRollups.day, input.range.from, input.range.to), activeIntegrations(ws)))
    .groupBy(metricRollups.dimensionValue, metricRollups.metric, metricRollups.currency)
    .orderBy(desc(sql`sum(${metricRollups.value})`));
  const byValue = new Map<string, { value: string; label: string; figures: Values }>();
  for (const r of rows) {
    let e = byValue.get(r.dv);
    if (!e) byValue.set(r.dv, (e = { value: r.dv, label: r.label ?? r.dv, figures: new Map() }));
    addValue(e.figures, r.metric, r.currency, r.value);
  }
  return {
    dimension: input.dimension, metrics,
    rows: [...byValue.values()].map((e) => ({ value: e.value, label: e.label, figures: Object.fromEntries(metrics.map((k) => [k, figure(e.figures, k)])) })),
  };
}

/** Drill-down: the daily figures of one product, channel, landing page or campaign. */
export async function getDrill({ ctx, input }: { ctx: Ctx; input: BreakdownInput & { value: string } }) {
  const ws = ctx.tenant.workspaceId;
  const rows = await ctx.db
    .select({ day: metricRollups.day, metric: metricRollups.metric, currency: metricRollups.currency, label: metricRollups.label, value: sql<number>`sum(${metricRollups.value})` })
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, ws), eq(metricRollups.dimension, input.dimension), eq(metricRollups.dimensionValue, input.value), inArray(metricRollups.metric, input.metrics), between(metricRollups.day, input.range.from, input.range.to), activeIntegrations(ws)))
    .groupBy(metricRollups.day, metricRollups.metric, metricRollups.currency)
    .orderBy(asc(metricRollups.day));
  const days = new Map<string, Values>();
  for (const r of rows) {
    let v = days.get(r.day);
    if (!v) days.set(r.day, (v = new Map()));
    addValue(v, r.metric, r.currency, r.value);
  }
  return {
    dimension: input.dimension, value: input.value, label: rows.find((r) => r.label)?.label ?? input.value, metrics: input.metrics,
    days: [...days.entries()].map(([day, v]) => ({ day, figures: Object.fromEntries(input.metrics.map((k) => [k, figure(v, k)])) })),
  };
}
