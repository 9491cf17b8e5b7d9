import { and, asc, between, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, metricRollups, metricRollupsMonthly, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { BatchQuery, TenantContext, WorkspaceBatch } from "../../core/context";
import { areaKpis, areas, inputsOf, metricOf, storedMetrics, suppliedBy, type Area } from "../metrics";
import { addValue, change, figure, type Figure, type Values } from "./figures";
import { bucketSql, bucketsOf, daysOf, monthLength, periodsOf, shiftDays, type Compare, type Periods, type Range } from "./periods";

export type Ctx = { db: Database; tenant: TenantContext; now: number };
/** A range, or how to make it from the workspace's time zone (a preset ends today there). */
export type RangeOf = Range | ((timeZone: string) => Range);
export type DashboardInput = { area: Area | "overview"; range: RangeOf; compare: Compare; metrics?: string[] };
const rangeIn = (r: RangeOf, timeZone: string) => (typeof r === "function" ? r(timeZone) : r);

/** The overview's headline KPIs per area (only areas with a connected source are shown). */
export const overviewKpis: Record<Area, string[]> = {
  commerce: ["revenue_net", "orders", "aov"],
  analytics: ["sessions", "conversion_rate"],
  email: ["email_sends", "open_rate", "email_revenue"],
  ads: ["ad_spend", "roas", "cpa"],
  social: ["social_reach", "social_engagement"],
};

/**
 * Active integrations of the workspace: which sources supply figures, and how fresh they are.
 * Without `orgId` (a statement of the access check's own batch, before the organization is known)
 * the organization is the workspace's own.
 */
export function sourcesOf(db: Database, t: { workspaceId: string; orgId?: string }) {
  const org = t.orgId ?? sql`(SELECT ${workspaces.orgId} FROM ${workspaces} WHERE ${workspaces.id} = ${t.workspaceId})`;
  return db
    .select({ id: integrations.id, provider: integrations.provider, label: integrations.label, status: integrations.status, lastSyncAt: integrations.lastSyncAt, lastError: integrations.lastError })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, t.workspaceId), eq(integrations.orgId, org), isNull(integrations.disconnectedAt)));
}

export async function workspaceTimeZone(db: Database, t: Pick<TenantContext, "orgId" | "workspaceId">): Promise<string> {
  const [w] = await db.select({ tz: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, t.workspaceId), eq(workspaces.orgId, t.orgId))).limit(1);
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
export async function getDashboard({ ctx, batch, input }: { ctx: Pick<Ctx, "db">; batch: WorkspaceBatch; input: DashboardInput }) {
  // The overview plans every area's headline KPIs and keeps the connected areas' ones after, so the
  // session and access checks, the time zone, the sources and every figure come back in a single
  // D1 batch.
  const planned = input.metrics?.length
    ? input.metrics.filter((k) => metricOf(k))
    : input.area === "overview" ? areas.flatMap((a) => overviewKpis[a]) : areaKpis[input.area];
  let built: { periods: Periods; plan: ReturnType<typeof planKpis> } | undefined;
  const read = await batch(({ workspaceId, timeZone }) => {
    const periods = periodsOf(rangeIn(input.range, timeZone), input.compare);
    built = { periods, plan: planKpis(ctx.db, workspaceId, planned, periods) };
    return [sourcesOf(ctx.db, { workspaceId }), ...built.plan.queries];
  });
  const { periods, plan } = built!;
  const [sources, ...results] = read.results as [Awaited<ReturnType<typeof sourcesOf>>, ...unknown[][]];
  const timeZone = read.timeZone;
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

type Sign = 1 | -1;
/** Rollups a breakdown reads for a range: whole years, whole months and runs of days, each added (`sign` 1) or taken away (-1). */
export type BreakdownPlan = { years: { year: string; sign: Sign }[]; months: { month: string; sign: Sign }[]; days: (Range & { sign: Sign })[] };

const lastOfMonth = (m: string) => `${m}-${String(monthLength(m)).padStart(2, "0")}`;
/** The parts of a range in each calendar month (`unit` 7) or year (`unit` 4). */
function splitAt(r: Range, unit: 4 | 7): Range[] {
  const out: Range[] = [];
  for (let from = r.from; from <= r.to; ) {
    const end = unit === 7 ? lastOfMonth(from.slice(0, 7)) : `${from.slice(0, 4)}-12-31`;
    out.push({ from, to: end < r.to ? end : r.to });
    from = shiftDays(end, 1);
  }
  return out;
}
/** What a plan costs to read, in rows per value: a row per year, per month, per day. */
const costOf = (p: BreakdownPlan) => p.years.length + p.months.length + p.days.reduce((n, d) => n + daysOf(d), 0);
const join = (...ps: BreakdownPlan[]): BreakdownPlan => ({ years: ps.flatMap((p) => p.years), months: ps.flatMap((p) => p.months), days: ps.flatMap((p) => p.days) });
const none = (): BreakdownPlan => ({ years: [], months: [], days: [] });

/** A range inside one year, as months and days: a month it covers only partly is read by its days when they are the fewer, otherwise as the month less the days it leaves out. */
function monthPlan(r: Range, sign: Sign): BreakdownPlan {
  const plan = none();
  for (const part of splitAt(r, 7)) {
    const m = part.from.slice(0, 7);
    const first = `${m}-01`;
    const last = lastOfMonth(m);
    const inside = daysOf(part);
    if (inside < monthLength(m) && inside <= monthLength(m) - inside) {
      plan.days.push({ ...part, sign });
      continue;
    }
    plan.months.push({ month: m, sign });
    if (part.from > first) plan.days.push({ from: first, to: shiftDays(part.from, -1), sign: -sign as Sign });
    if (part.to < last) plan.days.push({ from: shiftDays(part.to, 1), to: last, sign: -sign as Sign });
  }
  return plan;
}

/**
 * How a breakdown reads a range: a year it covers wholly from the yearly rollups; a year it covers
 * partly by its months and days (`monthPlan`), or as the whole year less the months and days it
 * leaves out when that reads fewer rows (a 2-year range from December 3 reads two years, two
 * months and two runs of two days, not 25 months). Adjacent day runs of one sign are joined.
 */
export function breakdownPieces(r: Range): BreakdownPlan {
  const plan = join(...splitAt(r, 4).map((part): BreakdownPlan => {
    const y = part.from.slice(0, 4);
    const start = `${y}-01-01`;
    const end = `${y}-12-31`;
    if (part.from === start && part.to === end) return { years: [{ year: y, sign: 1 }], months: [], days: [] };
    const inside = monthPlan(part, 1);
    const outside = join(
      { years: [{ year: y, sign: 1 }], months: [], days: [] },
      part.from > start ? monthPlan({ from: start, to: shiftDays(part.from, -1) }, -1) : none(),
      part.to < end ? monthPlan({ from: shiftDays(part.to, 1), to: end }, -1) : none(),
    );
    return costOf(outside) < costOf(inside) ? outside : inside;
  }));
  const days: BreakdownPlan["days"] = [];
  for (const d of [...plan.days].sort((x, y) => (x.from < y.from ? -1 : 1))) {
    const prev = days.at(-1);
    if (prev && prev.sign === d.sign && shiftDays(prev.to, 1) === d.from) prev.to = d.to;
    else days.push({ ...d });
  }
  return { ...plan, days };
}

const isDay = /^\d{4}-\d{2}-\d{2}$/;
const isKey = /^[a-z_]+$/;
/** A plan's own strings (dates and catalogue keys, checked) as SQL text: literals keep the statement under D1's 100 bound parameters however many pieces it has. */
const literal = (x: string, ok: RegExp) => {
  if (!ok.test(x)) throw new Error(`not a ${ok === isKey ? "catalogue key" : "date"}: ${x}`);
  return sql.raw(`'${x}'`);
};
const literals = (xs: string[], ok: RegExp) => sql.join(xs.map((x) => literal(x, ok)), sql`, `);
/** `CASE col WHEN a THEN 1 … END`: each piece's sign (NULL, never, for a row outside the pieces). */
const signOf = (col: string, pieces: { key: string; sign: Sign }[], ok: RegExp) =>
  sql`CASE ${sql.raw(col)} ${sql.join(pieces.map((x) => sql`WHEN ${literal(x.key, ok)} THEN ${sql.raw(String(x.sign))}`), sql` `)} END`;

/**
 * A dimension's rows (products, channels, landing pages, campaigns) with the metrics' sums per
 * currency: the `limit` largest by the first metric (summed over currencies; ties by value), and
 * the others summed into `other`. Ranked, cut and summed in SQL in one statement over the pieces of
 * `breakdownPieces` (one seek per year, month and run of days on the covering indexes); `n` counts
 * the daily rows behind each sum (the months and years count theirs), so a value has a row in the
 * range exactly when its `n` is above zero, also where a year or month less its left-out days
 * sums to zero.
 */
export async function getBreakdown({ ctx, input }: { ctx: Ctx; input: BreakdownInput }) {
  const plan = planBreakdown(ctx.db, ctx.tenant.workspaceId, input);
  return plan.finish(plan.query ? ((await ctx.db.batch([plan.query]))[0] as BreakdownRow[]) : []);
}

type BreakdownRow = { n: number; total: number; dv: string | null; label: string | null; metric: string; currency: string; value: number };

/** The breakdown's one statement (none when no metric applies) and how its rows become the breakdown. */
export function planBreakdown(db: Database, ws: string, input: BreakdownInput): { query: BatchQuery | null; finish: (rows: BreakdownRow[]) => Breakdown } {
  const metrics = input.metrics.filter((k) => storedMetrics.some((m) => m.key === k && m.dimensions.includes(input.dimension)));
  if (!metrics.length) return { query: null, finish: () => ({ dimension: input.dimension, metrics, rows: [], total: 0, other: null }) };
  const limit = Math.min(Math.max(1, input.limit ?? BREAKDOWN_LIMIT), BREAKDOWN_MAX);
  const plan = breakdownPieces(input.range);
  const keys = literals([...new Set(metrics)], isKey);
  const dimension = literal(input.dimension, isKey);
  const active = sql`integration_id IN (SELECT id FROM integrations WHERE workspace_id = ${ws} AND disconnected_at IS NULL)`;
  const where = sql`workspace_id = ${ws} AND dimension = ${dimension} AND metric IN (${keys}) AND ${active}`;
  // Each level's rows with their piece's sign; labels from the pieces added (a year's or month's
  // latest name), the days' from the drill index below.
  const level = (table: string, col: string, pieces: { key: string; sign: Sign }[], ok: RegExp) => {
    const sign = signOf(col, pieces, ok);
    return sql`SELECT dimension_value AS dv, metric, currency, ${sign} * value AS value, ${sign} * days AS n, CASE WHEN ${sign} > 0 THEN label END AS label
      FROM ${sql.raw(table)} WHERE ${where} AND ${sql.raw(col)} IN (${literals(pieces.map((x) => x.key), ok)})`;
  };
  const pieces = [
    ...(plan.years.length ? [level("metric_rollups_yearly", "year", plan.years.map((x) => ({ key: x.year, sign: x.sign })), /^\d{4}$/)] : []),
    ...(plan.months.length ? [level("metric_rollups_monthly", "month", plan.months.map((x) => ({ key: x.month, sign: x.sign })), /^\d{4}-\d{2}$/)] : []),
    ...plan.days.map((r) => sql`SELECT dimension_value AS dv, metric, currency, ${sql.raw(String(r.sign))} * value AS value, ${sql.raw(String(r.sign))} AS n, NULL AS label
      FROM metric_rollups WHERE ${where} AND day BETWEEN ${literal(r.from, isDay)} AND ${literal(r.to, isDay)}`),
  ];
  // n: the row's place (0 for the others' sums); total: how many values the range has. Labels for
  // the listed rows read only on days come from those days (seeks on the drill index).
  // A select builder over the statement as a subquery: drizzle's D1 batch binds a raw statement's
  // parameters only through a builder. The columns are named (D1 keys a row by column name).
  const col = <T>(name: string) => sql<T>`b.${sql.raw(name)}`.as(name);
  const query = db.select({ n: col<number>("n"), total: col<number>("total"), dv: col<string | null>("dv"), label: col<string | null>("label"), metric: col<string>("metric"), currency: col<string>("currency"), value: col<number>("value") }).from(sql`(WITH p AS (${sql.join(pieces, sql` UNION ALL `)}),
    s AS (SELECT dv, metric, currency, sum(value) AS value, max(label) AS label FROM p GROUP BY dv, metric, currency HAVING sum(n) > 0),
    r AS (SELECT dv, max(label) AS label, row_number() OVER (ORDER BY sum(CASE WHEN metric = ${literal(metrics[0]!, isKey)} THEN value ELSE 0 END) DESC, dv) AS n, count(*) OVER () AS total FROM s GROUP BY dv),
    t AS (SELECT dv, n, total, COALESCE(label,
      (SELECT max(label) FROM metric_rollups WHERE ${active} AND workspace_id = ${ws} AND dimension = ${dimension} AND dimension_value = r.dv AND metric IN (${keys}) AND day BETWEEN ${literal(input.range.from, isDay)} AND ${literal(input.range.to, isDay)})) AS label FROM r WHERE n <= ${sql.raw(String(limit))})
    SELECT t.n, t.total, t.dv, t.label, s.metric, s.currency, s.value FROM s JOIN t ON t.dv = s.dv
    UNION ALL
    SELECT 0, max(r.total), NULL, NULL, s.metric, s.currency, sum(s.value) FROM s JOIN r ON r.dv = s.dv WHERE r.n > ${sql.raw(String(limit))} GROUP BY s.metric, s.currency) AS b`).orderBy(sql`b.n`);
  return { query, finish: (rows) => breakdownOf(input.dimension, metrics, rows) };
}

export type Breakdown = { dimension: string; metrics: string[]; total: number; rows: { value: string; label: string; figures: Record<string, Figure> }[]; other: { count: number; figures: Record<string, Figure> } | null };

function breakdownOf(dimension: string, metrics: string[], rows: BreakdownRow[]): Breakdown {
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
    dimension, metrics, total,
    rows: [...byValue.values()].map((e) => ({ value: e.value, label: e.label, figures: figures(e.figures) })),
    other: other.size ? { count: total - byValue.size, figures: figures(other) } : null,
  };
}

/** The drill-down's statement: one value's rollups per day, metric and currency. */
const drillQuery = (db: Database, ws: string, input: { dimension: string; value: string; metrics: string[]; range: Range }) =>
  db
    .select({ day: metricRollups.day, metric: metricRollups.metric, currency: metricRollups.currency, label: metricRollups.label, value: sql<number>`sum(${metricRollups.value})` })
    .from(metricRollups)
    .where(and(eq(metricRollups.workspaceId, ws), eq(metricRollups.dimension, input.dimension), eq(metricRollups.dimensionValue, input.value), inArray(metricRollups.metric, input.metrics), between(metricRollups.day, input.range.from, input.range.to), activeIntegrations(ws)))
    .groupBy(metricRollups.day, metricRollups.metric, metricRollups.currency)
    .orderBy(asc(metricRollups.day));

/** Drill-down: the daily figures of one product, channel, landing page or campaign. */
export async function getDrill({ ctx, batch, input }: { ctx: Pick<Ctx, "db">; batch: WorkspaceBatch; input: Omit<BreakdownInput, "range"> & { range: RangeOf; value: string } }) {
  const read = await batch(({ workspaceId, timeZone }) => [drillQuery(ctx.db, workspaceId, { ...input, range: rangeIn(input.range, timeZone) })]);
  const rows = read.results[0] as Awaited<ReturnType<typeof drillQuery>>;
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
