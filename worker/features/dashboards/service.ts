import { and, asc, between, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, metricRollups, metricRollupsMonthly, workspaces } from "../../db/schema";
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
export function sourcesOf(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">) {
  return db
    .select({ id: integrations.id, provider: integrations.provider, label: integrations.label, status: integrations.status, lastSyncAt: integrations.lastSyncAt, lastError: integrations.lastError })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, t.workspaceId), eq(integrations.orgId, t.orgId), isNull(integrations.disconnectedAt)));
}

const timeZoneQuery = (db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">) =>
  db.select({ tz: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, t.workspaceId), eq(workspaces.orgId, t.orgId))).limit(1);

export async function workspaceTimeZone(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">): Promise<string> {
  const [w] = await timeZoneQuery(db, t);
  if (!w) throw notFound("Workspace");
  return w.tz;
}

const activeIntegrations = (workspaceId: string, col: typeof metricRollups.integrationId | typeof metricRollupsMonthly.integrationId = metricRollups.integrationId) =>
  sql`${col} IN (SELECT id FROM integrations WHERE workspace_id = ${workspaceId} AND disconnected_at IS NULL)`;

type Part = { period: 0 | 1; days: Range[]; months: { from: string; to: string } | null };

/** Splits the periods into whole calendar months (read from the monthly rollups) and the days at their edges. */
export function partsOf(p: Periods): Part[] {
  const ranges = [p.current, p.comparison] as const;
  return ([0, 1] as const).flatMap((period): Part[] => {
    const r = ranges[period];
    if (!r) return [];
    if (p.bucket !== "month") return [{ period, days: [r], months: null }];
    const firstFull = r.from.endsWith("-01") ? r.from.slice(0, 7) : monthAfter(r.from.slice(0, 7));
    const lastFull = shiftDays(r.to, 1).endsWith("-01") ? r.to.slice(0, 7) : monthBefore(r.to.slice(0, 7));
    if (firstFull > lastFull) return [{ period, days: [r], months: null }];
    const days: Range[] = [];
    if (r.from < `${firstFull}-01`) days.push({ from: r.from, to: shiftDays(`${firstFull}-01`, -1) });
    const after = `${monthAfter(lastFull)}-01`;
    if (r.to >= after) days.push({ from: after, to: r.to });
    return [{ period, days, months: { from: firstFull, to: lastFull } }];
  });
}
const monthAfter = (m: string) => (m.endsWith("-12") ? `${Number(m.slice(0, 4)) + 1}-01` : `${m.slice(0, 5)}${String(Number(m.slice(5)) + 1).padStart(2, "0")}`);
const monthBefore = (m: string) => (m.endsWith("-01") ? `${Number(m.slice(0, 4)) - 1}-12` : `${m.slice(0, 5)}${String(Number(m.slice(5)) - 1).padStart(2, "0")}`);

type TotalRow = { metric: string; currency: string; period: number; bucket: string; value: number };

/** A query a D1 batch can carry (select builders). */
type BatchQuery = Parameters<Database["batch"]>[0][number];

/**
 * Summed rollups of the given metrics per period (0 current, 1 comparison) and bucket over the
 * totals (dimension "") of the workspace: whole months from the monthly rollups, the rest from the
 * daily ones, as indexed queries for one D1 batch.
 */
function totalsQueries(db: Database, workspaceId: string, metrics: string[], p: Periods): BatchQuery[] {
  if (!metrics.length) return [];
  return partsOf(p).flatMap((part) => {
    const out: BatchQuery[] = [];
    if (part.days.length) {
      const bucket = sql<string>`${sql.raw(bucketSql(p.bucket, '"day"'))}`;
      out.push(
        db.select({ metric: metricRollups.metric, currency: metricRollups.currency, period: sql<number>`${part.period}`, bucket, value: sql<number>`sum(${metricRollups.value})` })
          .from(metricRollups)
          .where(and(eq(metricRollups.workspaceId, workspaceId), eq(metricRollups.dimension, ""), inArray(metricRollups.metric, metrics), or(...part.days.map((d) => between(metricRollups.day, d.from, d.to))), activeIntegrations(workspaceId)))
          .groupBy(metricRollups.metric, metricRollups.currency, bucket),
      );
    }
    if (part.months) {
      const m = metricRollupsMonthly;
      out.push(
        db.select({ metric: m.metric, currency: m.currency, period: sql<number>`${part.period}`, bucket: sql<string>`${m.month} || '-01'`, value: sql<number>`sum(${m.value})` })
          .from(m)
          .where(and(eq(m.workspaceId, workspaceId), eq(m.dimension, ""), inArray(m.metric, metrics), between(m.month, part.months.from, part.months.to), activeIntegrations(workspaceId, m.integrationId)))
          .groupBy(m.metric, m.currency, m.month),
      );
    }
    return out;
  });
}

export async function readTotals(db: Database, workspaceId: string, metrics: string[], p: Periods): Promise<TotalRow[]> {
  const queries = totalsQueries(db, workspaceId, metrics, p);
  if (!queries.length) return [];
  return ((await db.batch(queries as [BatchQuery, ...BatchQuery[]])) as TotalRow[][]).flat();
}

/**
 * Snapshot metrics (list sizes, followers): each list's or account's latest value on or before
 * `day` (SQLite takes the bare column from the max(day) row), summed after the batch.
 */
function snapshotQuery(db: Database, workspaceId: string, metric: string, day: string): BatchQuery {
  const m = metricOf(metric);
  const dimension = m?.kind === "stored" ? m.dimensions[0] ?? "" : "";
  return db
    .select({ dv: metricRollups.dimensionValue, v: metricRollups.value, day: sql<string>`max(${metricRollups.day})` })
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, workspaceId), eq(metricRollups.dimension, dimension), eq(metricRollups.metric, metric), lte(metricRollups.day, day), activeIntegrations(workspaceId)))
    .groupBy(metricRollups.dimensionValue);
}

export type Kpi = {
  key: string; label: string; unit: string; area: Area; definition: string;
  value: Figure; previous: Figure | null; change: Record<string, number | null> | null;
  series: { bucket: string; value: Figure }[]; previousSeries: { bucket: string; value: Figure }[] | null;
};

/** The queries behind a list of KPIs and how their answers become the KPIs, so callers can join them to one D1 batch. */
export function planKpis(db: Database, workspaceId: string, keys: string[], p: Periods): { queries: BatchQuery[]; finish: (results: unknown[][]) => Kpi[] } {
  const needed = [...new Set(keys.flatMap(inputsOf))];
  const snapshot = needed.filter((k) => metricOf(k)?.kind === "stored" && (metricOf(k) as { aggregate?: string }).aggregate === "latest");
  const ranges = [p.current, p.comparison] as const;
  const snapshotAt = snapshot.flatMap((k) => ([0, 1] as const).flatMap((i) => {
    const r = ranges[i];
    return r ? [{ key: k, metric: k, period: i, day: r.to }, { key: `${k}@start`, metric: k, period: i, day: shiftDays(r.from, -1) }] : [];
  }));
  const totals = totalsQueries(db, workspaceId, needed.filter((k) => !snapshot.includes(k)), p);
  const queries = [...totals, ...snapshotAt.map((s) => snapshotQuery(db, workspaceId, s.metric, s.day))];
  const finish = (results: unknown[][]) => assembleKpis(keys, p, (results.slice(0, totals.length) as TotalRow[][]).flat(),
    snapshotAt.map((s, j) => ({ ...s, value: (results[totals.length + j] as { v: number }[]).reduce((a, r) => a + r.v, 0) })));
  return { queries, finish };
}

function assembleKpis(keys: string[], p: Periods, rows: TotalRow[], snapshots: { key: string; period: 0 | 1; value: number }[]): Kpi[] {
  const totals: [Values, Values] = [new Map(), new Map()];
  const buckets: [Map<string, Values>, Map<string, Values>] = [new Map(), new Map()];
  for (const r of rows) {
    const i = r.period as 0 | 1;
    addValue(totals[i], r.metric, r.currency, r.value);
    let b = buckets[i].get(r.bucket);
    if (!b) buckets[i].set(r.bucket, (b = new Map()));
    addValue(b, r.metric, r.currency, r.value);
  }
  for (const s of snapshots) addValue(totals[s.period], s.key, "", s.value);
  const ranges = [p.current, p.comparison] as const;
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

/** Figures, comparison and series for a list of catalogue metrics, in one D1 round trip. */
export async function kpisFor(db: Database, workspaceId: string, keys: string[], p: Periods): Promise<Kpi[]> {
  const plan = planKpis(db, workspaceId, keys, p);
  if (!plan.queries.length) return plan.finish([]);
  return plan.finish((await db.batch(plan.queries as [BatchQuery, ...BatchQuery[]])) as unknown[][]);
}

/** The overview or one area's page: KPIs with comparison and sparklines, and each source's freshness. */
export async function getDashboard({ ctx, input }: { ctx: Ctx; input: DashboardInput }) {
  const periods = periodsOf(input.range, input.compare);
  // The overview plans every area's headline KPIs and keeps the connected areas' ones after, so the
  // time zone, the sources and every figure come back in a single D1 batch.
  const planned = input.metrics?.length
    ? input.metrics.filter((k) => metricOf(k))
    : input.area === "overview" ? areas.flatMap((a) => overviewKpis[a]) : areaKpis[input.area];
  const plan = planKpis(ctx.db, ctx.tenant.workspaceId, planned, periods);
  const [tz, sources, ...results] = (await ctx.db.batch([timeZoneQuery(ctx.db, ctx.tenant), sourcesOf(ctx.db, ctx.tenant), ...plan.queries])) as unknown as [{ tz: string }[], Awaited<ReturnType<typeof sourcesOf>>, ...unknown[][]];
  if (!tz[0]) throw notFound("Workspace");
  const timeZone = tz[0].tz;
  const supplied = new Set(suppliedBy(sources.map((s) => s.provider)));
  const connected = areas.filter((a) => areaKpis[a].some((k) => inputsOf(k).some((i) => supplied.has(i))));
  const keys = !input.metrics?.length && input.area === "overview" ? new Set(connected.flatMap((a) => overviewKpis[a])) : null;
  const kpis = plan.finish(results).filter((k) => !keys || keys.has(k.key));
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
  // Whole months from the monthly rollups, the edge days from the daily ones (one round trip).
  const [part] = partsOf({ current: input.range, comparison: null, bucket: "month", days: 0 });
  const d = metricRollups;
  const m = metricRollupsMonthly;
  const queries = [];
  if (part!.days.length) {
    queries.push(ctx.db
      .select({ dv: d.dimensionValue, label: sql<string | null>`max(${d.label})`, metric: d.metric, currency: d.currency, value: sql<number>`sum(${d.value})` })
      .from(d)
      .where(and(eq(d.workspaceId, ws), eq(d.dimension, input.dimension), inArray(d.metric, metrics), or(...part!.days.map((r) => between(d.day, r.from, r.to))), activeIntegrations(ws)))
      .groupBy(d.dimensionValue, d.metric, d.currency));
  }
  if (part!.months) {
    queries.push(ctx.db
      .select({ dv: m.dimensionValue, label: sql<string | null>`max(${m.label})`, metric: m.metric, currency: m.currency, value: sql<number>`sum(${m.value})` })
      .from(m)
      .where(and(eq(m.workspaceId, ws), eq(m.dimension, input.dimension), inArray(m.metric, metrics), between(m.month, part!.months.from, part!.months.to), activeIntegrations(ws, m.integrationId)))
      .groupBy(m.dimensionValue, m.metric, m.currency));
  }
  type Row = { dv: string; label: string | null; metric: string; currency: string; value: number };
  const rows = ((await ctx.db.batch(queries as [(typeof queries)[number], ...(typeof queries)[number][]])) as Row[][]).flat();
  // Rows in the order of the first metric's sum, largest first.
  const rank = new Map<string, number>();
  for (const r of rows) if (r.metric === metrics[0]) rank.set(r.dv, (rank.get(r.dv) ?? 0) + r.value);
  rows.sort((a, b) => (rank.get(b.dv) ?? 0) - (rank.get(a.dv) ?? 0));
  const byValue = new Map<string, { value: string; label: string; figures: Values }>();
  for (const r of rows) {
    let e = byValue.get(r.dv);
    if (!e) byValue.set(r.dv, (e = { value: r.dv, label: r.label ?? r.dv, figures: new Map() }));
    if (r.label && e.label === r.dv) e.label = r.label;
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
