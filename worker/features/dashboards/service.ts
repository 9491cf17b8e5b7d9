import { and, asc, between, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, metricRollups, metricRollupsMonthly, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { TenantContext } from "../../core/context";
import { areaKpis, areas, inputsOf, metricOf, storedMetrics, suppliedBy, type Area } from "../metrics";
import { addValue, change, figure, type Figure, type Values } from "./figures";
import { bucketSql, bucketsOf, daysOf, monthLength, periodsOf, shiftDays, type Compare, type Periods, type Range } from "./periods";

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
 * daily ones, as indexed queries for one D1 batch. Each day range is a statement of its own, so
 * that each is one seek on the covering index (an OR of ranges scans every day of the metric).
 */
function totalsQueries(db: Database, workspaceId: string, metrics: string[], p: Periods): BatchQuery[] {
  if (!metrics.length) return [];
  return partsOf(p).flatMap((part) => {
    const out: BatchQuery[] = [];
    for (const d of part.days) {
      const bucket = sql<string>`${sql.raw(bucketSql(p.bucket, '"day"'))}`;
      out.push(
        db.select({ metric: metricRollups.metric, currency: metricRollups.currency, period: sql<number>`${part.period}`, bucket, value: sql<number>`sum(${metricRollups.value})` })
          .from(metricRollups)
          .where(and(eq(metricRollups.workspaceId, workspaceId), eq(metricRollups.dimension, ""), inArray(metricRollups.metric, metrics), between(metricRollups.day, d.from, d.to), activeIntegrations(workspaceId)))
          .groupBy(metricRollups.metric, metricRollups.currency, bucket),
      );
    }
    if (part.months) {
      const m = metricRollupsMonthly;
      out.push(
        db.select({ metric: m.metric, currency: m.currency, period: sql<number>`${part.period}`, bucket: sql<string>`${m.month} || '-01'`, value: sql<number>`sum(${m.value})` })
          .from(m)
          .where(and(eq(m.workspaceId, workspaceId), eq(m.dimension, ""), eq(m.dimensionValue, ""), inArray(m.metric, metrics), between(m.month, part.months.from, part.months.to), activeIntegrations(workspaceId, m.integrationId)))
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
 * each of `days`, one column per day (summed after the batch). The lists are walked with one seek
 * each (a recursive skip over the index) and each value is one more seek, instead of reading
 * every day's snapshot up to the day. The metric and dimension are catalogue constants written
 * into the SQL, so that SQLite can prove the partial index metric_rollups_snapshot_idx applies.
 */
function snapshotQuery(db: Database, workspaceId: string, metric: string, days: string[]): BatchQuery {
  const m = metricOf(metric);
  const dimension = m?.kind === "stored" ? m.dimensions[0] ?? "" : "";
  if (!/^[a-z_]+$/.test(metric) || !/^[a-z_]*$/.test(dimension)) throw new Error(`not a catalogue metric: ${metric}`);
  const where = sql`workspace_id = ${workspaceId} AND metric = ${sql.raw(`'${metric}'`)} AND dimension = ${sql.raw(`'${dimension}'`)}`;
  const latest = Object.fromEntries(days.map((day, i) => [`v${i}`, sql<number | null>`(SELECT value FROM metric_rollups WHERE ${where} AND dimension_value = d.dv AND day <= ${day} AND ${activeIntegrations(workspaceId)} ORDER BY day DESC LIMIT 1)`.as(`v${i}`)]));
  // A select builder (drizzle's D1 batch cannot bind a raw statement's parameters), over the lists
  // as a subquery. The columns are named: D1 keys a row by column name, and unnamed they read alike.
  const lists = sql`(WITH RECURSIVE d(dv) AS (SELECT (SELECT min(dimension_value) FROM metric_rollups WHERE ${where}) UNION ALL SELECT (SELECT min(dimension_value) FROM metric_rollups WHERE ${where} AND dimension_value > d.dv) FROM d WHERE d.dv IS NOT NULL) SELECT dv FROM d WHERE dv IS NOT NULL) AS d`;
  return db.select(latest).from(lists);
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
  // Each snapshot metric at each period's end (`key`) and the day before its start (`key@start`).
  const points = ([0, 1] as const).flatMap((i) => {
    const r = ranges[i];
    return r ? [{ suffix: "", period: i, day: r.to }, { suffix: "@start", period: i, day: shiftDays(r.from, -1) }] : [];
  });
  const totals = totalsQueries(db, workspaceId, needed.filter((k) => !snapshot.includes(k)), p);
  const queries = [...totals, ...snapshot.map((k) => snapshotQuery(db, workspaceId, k, points.map((x) => x.day)))];
  const finish = (results: unknown[][]) => assembleKpis(keys, p, (results.slice(0, totals.length) as TotalRow[][]).flat(),
    snapshot.flatMap((k, j) => {
      const rows = (results[totals.length + j] ?? []) as Record<string, number | null>[];
      return points.map((x, i) => ({ key: `${k}${x.suffix}`, period: x.period, value: rows.reduce((a, r) => a + (r[`v${i}`] ?? 0), 0) }));
    }));
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
  // Each period's bucket starts, once for every KPI's series.
  const starts = [p.current, p.comparison].map((r) => (r ? bucketsOf(r, p.bucket) : null));
  const empty: Values = new Map();
  const seriesOf = (i: 0 | 1, key: string) => starts[i]?.map((bucket) => ({ bucket, value: figure(buckets[i].get(bucket) ?? empty, key) })) ?? null;
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

export type BreakdownInput = { dimension: string; metrics: string[]; range: Range; value?: string; limit?: number };

/** Rows a breakdown returns unless asked for more (the rest are summed as one "other" row). */
export const BREAKDOWN_LIMIT = 100;
export const BREAKDOWN_MAX = 1000;

const list = (xs: string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);


/**
 * How a breakdown reads a range: one run of calendar months from the monthly rollups, plus daily
 * rollups to add (`sign` 1) or to take away (`sign` -1). A month the range covers only partly is
 * read by its days when they are the fewer, otherwise as the whole month less the days it leaves
 * out (a 2-year range reads its 24 months and one or two days, not the 30 days at its edges).
 */
export function breakdownPieces(r: Range): { months: { from: string; to: string } | null; days: (Range & { sign: 1 | -1 })[] } {
  const [part] = partsOf({ current: r, comparison: null, bucket: "month", days: 0 });
  let months = part!.months ? { ...part!.months } : null;
  const days: (Range & { sign: 1 | -1 })[] = [];
  // The edges split at month ends (a range of two partial months has no whole month between).
  const edges = part!.days.flatMap((d) => {
    const out: Range[] = [];
    for (let from = d.from; from <= d.to; ) {
      const end = `${from.slice(0, 7)}-${String(monthLength(from.slice(0, 7))).padStart(2, "0")}`;
      out.push({ from, to: end < d.to ? end : d.to });
      from = shiftDays(end, 1);
    }
    return out;
  });
  for (const edge of edges) {
    const m = edge.from.slice(0, 7);
    const first = `${m}-01`;
    const last = `${m}-${String(monthLength(m)).padStart(2, "0")}`;
    const inside = daysOf(edge);
    if (inside <= monthLength(m) - inside) {
      days.push({ ...edge, sign: 1 });
      continue;
    }
    months = months ? { from: m < months.from ? m : months.from, to: m > months.to ? m : months.to } : { from: m, to: m };
    if (edge.from > first) days.push({ from: first, to: shiftDays(edge.from, -1), sign: -1 });
    if (edge.to < last) days.push({ from: shiftDays(edge.to, 1), to: last, sign: -1 });
  }
  return { months, days };
}

/**
 * A dimension's rows (products, channels, landing pages, campaigns) with the metrics' sums per
 * currency: the `limit` largest by the first metric (summed over currencies; ties by value), and
 * the others summed into `other`. Ranked, cut and summed in SQL in one statement over the pieces of
 * `breakdownPieces`, each summed per value on its index first; `n` counts the daily rows behind
 * each sum (the months count theirs), so a value has a row in the range exactly when its `n` is
 * above zero, also where a month less its left-out days sums to zero.
 */
export async function getBreakdown({ ctx, input }: { ctx: Ctx; input: BreakdownInput }) {
  const metrics = input.metrics.filter((k) => storedMetrics.some((m) => m.key === k && m.dimensions.includes(input.dimension)));
  if (!metrics.length) return { dimension: input.dimension, metrics, rows: [], total: 0, other: null };
  const limit = Math.min(Math.max(1, input.limit ?? BREAKDOWN_LIMIT), BREAKDOWN_MAX);
  const ws = ctx.tenant.workspaceId;
  const plan = breakdownPieces(input.range);
  const active = sql`integration_id IN (SELECT id FROM integrations WHERE workspace_id = ${ws} AND disconnected_at IS NULL)`;
  const where = sql`workspace_id = ${ws} AND dimension = ${input.dimension} AND metric IN (${list(metrics)}) AND ${active}`;
  // The months the range touches are read once, in the index's order: summed where the plan reads
  // them, and for the labels (each value's name in those months) in any case.
  const touched = { from: input.range.from.slice(0, 7), to: input.range.to.slice(0, 7) };
  const counted = plan.months ? sql`month BETWEEN ${plan.months.from} AND ${plan.months.to}` : sql`false`;
  const pieces = [
    sql`SELECT dimension_value AS dv, metric, currency, sum(CASE WHEN ${counted} THEN value ELSE 0 END) AS value, sum(CASE WHEN ${counted} THEN days ELSE 0 END) AS n, max(label) AS label
      FROM metric_rollups_monthly WHERE ${where} AND month BETWEEN ${touched.from} AND ${touched.to} GROUP BY metric, dimension_value, currency`,
    ...plan.days.map((r) => sql`SELECT dimension_value AS dv, metric, currency, ${sql.raw(String(r.sign))} * sum(value) AS value, ${sql.raw(String(r.sign))} * count(*) AS n, NULL AS label
      FROM metric_rollups WHERE ${where} AND day BETWEEN ${r.from} AND ${r.to} GROUP BY metric, dimension_value, currency`),
  ];
  // n: the row's place (0 for the others' sums); total: how many values the range has. Labels
  // for the listed rows come from the months (for metrics the monthly rollups do not hold, from
  // the days: seeks on the primary key, integration first).
  type Row = { n: number; total: number; dv: string | null; label: string | null; metric: string; currency: string; value: number };
  const rows = await ctx.db.all<Row>(sql`WITH p AS (${sql.join(pieces, sql` UNION ALL `)}),
    s AS (SELECT dv, metric, currency, sum(value) AS value FROM p GROUP BY dv, metric, currency HAVING sum(n) > 0),
    r AS (SELECT dv, row_number() OVER (ORDER BY sum(CASE WHEN metric = ${metrics[0]} THEN value ELSE 0 END) DESC, dv) AS n, count(*) OVER () AS total FROM s GROUP BY dv),
    t AS (SELECT dv, n, total, COALESCE((SELECT max(label) FROM p WHERE p.dv = r.dv),
      (SELECT max(label) FROM metric_rollups WHERE ${active} AND metric IN (${list(metrics)}) AND dimension = ${input.dimension} AND dimension_value = r.dv AND day BETWEEN ${input.range.from} AND ${input.range.to})) AS label FROM r WHERE n <= ${limit})
    SELECT t.n, t.total, t.dv, t.label, s.metric, s.currency, s.value FROM s JOIN t ON t.dv = s.dv
    UNION ALL
    SELECT 0, max(r.total), NULL, NULL, s.metric, s.currency, sum(s.value) FROM s JOIN r ON r.dv = s.dv WHERE r.n > ${limit} GROUP BY s.metric, s.currency
    ORDER BY 1`);
  const byValue = new Map<string, { value: string; label: string; figures: Values }>();
  const other: Values = new Map();
  let total = 0;
  for (const r of rows) {
    total = Math.max(total, r.total);
    if (r.n === 0) { addValue(other, r.metric, r.currency, r.value); continue; }
    let e = byValue.get(r.dv!);
    if (!e) byValue.set(r.dv!, (e = { value: r.dv!, label: r.label ?? r.dv!, figures: new Map() }));
    addValue(e.figures, r.metric, r.currency, r.value);
  }
  const figures = (v: Values) => Object.fromEntries(metrics.map((k) => [k, figure(v, k)]));
  return {
    dimension: input.dimension, metrics, total,
    rows: [...byValue.values()].map((e) => ({ value: e.value, label: e.label, figures: figures(e.figures) })),
    other: other.size ? { count: total - byValue.size, figures: figures(other) } : null,
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
