import { createMemo, createResource, createSignal, lazy, Show, Suspense } from "solid-js";
import { Card } from "../../ui/Layout";
import { Loading } from "../../ui/Feedback";
import { getBreakdown, getDrill, type Drill, type Kpi, type RangeQuery } from "./api";
import { DataTable, type Col } from "./DataTable";
import { entries, formatValue, major } from "./format";

const TimeSeries = lazy(() => import("../../components/charts/TimeSeries"));

/** Which metrics each dimension's table shows (all stored by the rollups). */
export const DIMENSION_METRICS: Record<string, { label: string; item: string; metrics: string[]; units: Record<string, string> }> = {
  product: { label: "Top products", item: "Product", metrics: ["products_sold", "product_revenue"], units: { products_sold: "count", product_revenue: "money" } },
  channel: { label: "Channels", item: "Channel", metrics: ["sessions", "users", "conversions", "analytics_revenue"], units: { sessions: "count", users: "count", conversions: "count", analytics_revenue: "money" } },
  landing_page: { label: "Landing pages", item: "Landing page", metrics: ["sessions", "users", "conversions", "analytics_revenue"], units: { sessions: "count", users: "count", conversions: "count", analytics_revenue: "money" } },
  campaign: { label: "Campaigns", item: "Campaign", metrics: ["email_sends", "email_opens", "email_clicks", "email_revenue"], units: { email_sends: "count", email_opens: "count", email_clicks: "count", email_revenue: "money" } },
  ad_campaign: { label: "Ad campaigns", item: "Ad campaign", metrics: ["ad_spend", "ad_impressions", "ad_clicks", "ad_conversions", "ad_conversion_value"], units: { ad_spend: "money", ad_impressions: "count", ad_clicks: "count", ad_conversions: "count", ad_conversion_value: "money" } },
  social_account: { label: "Pages and accounts", item: "Page or account", metrics: ["social_reach", "social_engagement", "social_follows"], units: { social_reach: "count", social_engagement: "count", social_follows: "count" } },
  post: { label: "Top posts", item: "Post", metrics: ["post_reach", "post_engagement"], units: { post_reach: "count", post_engagement: "count" } },
};
const METRIC_LABELS: Record<string, string> = {
  products_sold: "Units", product_revenue: "Revenue", sessions: "Sessions", users: "Users", conversions: "Conversions", analytics_revenue: "Revenue",
  email_sends: "Sent", email_opens: "Opens", email_clicks: "Clicks", email_revenue: "Revenue",
  ad_spend: "Spend", ad_impressions: "Impressions", ad_clicks: "Clicks", ad_conversions: "Conversions", ad_conversion_value: "Purchase value",
  social_reach: "Reach", social_engagement: "Engagement", social_follows: "New followers", post_reach: "Reach", post_engagement: "Engagement",
};

type Figures = { figures: Record<string, Record<string, number | null>> };

/**
 * A column per metric, and per currency for money (never summed across currencies), shown
 * formatted in its currency and sorted and exported by its number in major units.
 */
function figureColumns<T extends Figures>(spec: { metrics: string[]; units: Record<string, string> }, rows: T[]): Col<T>[] {
  const currencies = [...new Set(rows.flatMap((r) => Object.values(r.figures).flatMap((f) => Object.keys(f ?? {}).filter(Boolean))))].sort();
  return spec.metrics.flatMap((m) =>
    (spec.units[m] === "money" && currencies.length ? currencies : [""]).map((cur) => ({
      key: `${m}:${cur}`, numeric: true, header: `${METRIC_LABELS[m] ?? m}${cur ? ` (${cur})` : ""}`,
      value: (r: T) => major(spec.units[m]!, r.figures[m]?.[cur] ?? null, cur),
      cell: (r: T) => formatValue(spec.units[m]!, r.figures[m]?.[cur] ?? null, cur),
    })),
  );
}

/** A KPI's series as a chart (current and comparison period), one line per currency. */
export function KpiChart(props: { kpi: Kpi; height?: number }) {
  const curs = () => entries(props.kpi.value).map(([c]) => c);
  const cur = () => curs()[0] ?? "";
  const series = () => [
    { label: `${props.kpi.label}${cur() ? ` (${cur()})` : ""}`, values: props.kpi.series.map((p) => major(props.kpi.unit, p.value[cur()] ?? null, cur())) },
    ...(props.kpi.previousSeries ? [{ label: "Comparison period", dashed: true, values: props.kpi.previousSeries.map((p) => major(props.kpi.unit, p.value[cur()] ?? null, cur())) }] : []),
  ];
  return (
    <Card title={props.kpi.label} description={props.kpi.definition} class="widget-chart">
      <Suspense fallback={<Loading label="Loading chart" />}>
        <TimeSeries title={props.kpi.label} buckets={props.kpi.series.map((p) => p.bucket)} series={series()} height={props.height} />
      </Suspense>
    </Card>
  );
}

type Row = { value: string; label: string; figures: Record<string, Record<string, number | null>> };

/** A dimension's sortable table with CSV export; a row's name opens its drill-down. */
export function BreakdownCard(props: { ws: string; dimension: string; range: RangeQuery; onDrill: (dimension: string, value: string, label: string) => void }) {
  const spec = () => DIMENSION_METRICS[props.dimension]!;
  const [all, setAll] = createSignal(false);
  const [data] = createResource(() => ({ ws: props.ws, d: props.dimension, r: props.range }), (k) => getBreakdown(k.ws, k.d, spec().metrics, k.r));
  // Two values can share a name (the same product in two shops): those show their id beside it.
  // (Counted once per answer, not once per cell.)
  const repeated = createMemo(() => { const seen = new Map<string, number>(); for (const r of data()?.rows ?? []) seen.set(r.label, (seen.get(r.label) ?? 0) + 1); return seen; });
  const columns = (): Col<Row>[] => [
    { key: "label", header: spec().item, value: (r) => r.label, cell: (r) => (
      <button type="button" class="link-btn" onClick={() => props.onDrill(props.dimension, r.value, r.label)}>
        {r.label}<Show when={(repeated().get(r.label) ?? 0) > 1 && r.value !== r.label}><span class="muted">{` · ${r.value}`}</span></Show>
      </button>
    ) },
    ...figureColumns<Row>(spec(), data()?.rows ?? []),
  ];
  return (
    <Card title={spec().label} class="widget-table">
      <Show when={!data.loading} fallback={<Loading label="Loading table" />}>
        <Show when={(data()?.rows.length ?? 0) > 0} fallback={<p class="muted">No figures for this range.</p>}>
          <DataTable caption={spec().label} name={props.dimension} columns={columns()} rows={data()!.rows} limit={all() ? undefined : 10} initialSort={`${spec().metrics[0]}:`} />
          <Show when={data()!.rows.length > 10}>
            <button type="button" class="link-btn" onClick={() => setAll(!all())}>{all() ? "Show the top 10" : `Show ${data()!.other ? "the top" : "all"} ${data()!.rows.length}`}</button>
          </Show>
          <Show when={data()!.other}>
            {(o) => (
              <p class="muted">
                {`${o().count} more not listed, together: `}
                {spec().metrics.map((m) => entries(o().figures[m]).map(([cur, v]) => `${METRIC_LABELS[m] ?? m} ${formatValue(spec().units[m]!, v, cur)}`).join(", ")).join("; ")}
              </p>
            )}
          </Show>
        </Show>
      </Show>
    </Card>
  );
}

/** One product, channel, landing page or campaign over time. */
export function DrillPanel(props: { ws: string; dimension: string; value: string; label: string; range: RangeQuery; onClose: () => void }) {
  const spec = () => DIMENSION_METRICS[props.dimension]!;
  const [data] = createResource(() => ({ ...props }), (k) => getDrill(k.ws, k.dimension, k.value, spec().metrics, k.range));
  const first = () => spec().metrics[0]!;
  return (
    <Card title={`${props.label}`} description={`${spec().item}: daily figures`} class="drill" actions={<button type="button" class="btn btn-secondary btn-sm" onClick={() => props.onClose()}>Close</button>}>
      <Show when={data()} fallback={<Loading label="Loading" />}>
        {(d) => (
          <>
            <Suspense fallback={<Loading label="Loading chart" />}>
              <TimeSeries title={`${props.label} by day`} bars buckets={d().days.map((x) => x.day)} series={[{ label: METRIC_LABELS[first()] ?? first(), values: d().days.map((x) => x.figures[first()]?.[""] ?? Object.values(x.figures[first()] ?? {})[0] ?? null) }]} />
            </Suspense>
            <DataTable caption={`${props.label} by day`} name={`${props.dimension}-${props.value}`} rows={d().days}
              columns={[{ key: "day", header: "Day", value: (x) => x.day }, ...figureColumns<Drill["days"][number]>(spec(), d().days)]} />
          </>
        )}
      </Show>
    </Card>
  );
}
