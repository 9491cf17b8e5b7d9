// Independent figures for the dashboard tests: read the sandbox's own data over its HTTP API and
// compute each KPI here, with Intl for local days, so no figure is computed by the code under test.
import { expect } from "vitest";
import { call, env, expectStatus, type Tenant } from "../support/harness";
import { runWrites, writeStatements } from "../../worker/features/integrations/persist";
import type { NormalizedBatch, Order } from "../../worker/connectors/types";

export { call, env, expectStatus };
export const KEY = "sandbox_dash";
let seq = 0;
export const uid = () => `${Date.now().toString(36)}${++seq}`;

/** The local calendar day of `ms` in `tz`, by Intl (not by the code under test). */
export const dayIn = (tz: string, ms: number) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(ms));

export type WooOrder = {
  id: number; status: string; currency: string; total: string; date_created_gmt: string;
  refunds: { total: string }[]; line_items: { product_id: number; quantity: number; total: string; name: string }[];
};

/** Every order of a sandbox store, as its REST API serves it. */
export async function wooOrders(storeUrl: string): Promise<WooOrder[]> {
  const host = new URL(storeUrl).host;
  const out: WooOrder[] = [];
  for (let page = 1; ; page++) {
    const url = `${env.SANDBOX_URL}/woocommerce/${host}/wp-json/wc/v3/orders?per_page=100&page=${page}&consumer_key=ck_${KEY}&consumer_secret=cs_${KEY}`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const rows = (await res.json()) as WooOrder[];
    out.push(...rows);
    if (page >= Number(res.headers.get("x-wp-totalpages"))) return out;
  }
}

/** Minor-unit digits of the sandbox's currencies (JPY has none). */
export const digitsOf = (currency: string) => (currency === "JPY" ? 0 : 2);
const minor = (s: string, currency: string) => Math.round(Number(s) * 10 ** digitsOf(currency));
const SALE = (o: WooOrder) => o.status !== "cancelled" && o.status !== "failed";

/** Commerce KPIs of [from, to] (local days in tz) from raw provider orders. */
export function commerceFigures(orders: WooOrder[], tz: string, from: string, to: string) {
  const inRange = orders.filter((o) => SALE(o)).filter((o) => {
    const d = dayIn(tz, Date.parse(`${o.date_created_gmt}Z`));
    return d >= from && d <= to;
  });
  const gross = inRange.reduce((s, o) => s + minor(o.total, o.currency), 0);
  const refunds = inRange.reduce((s, o) => s + o.refunds.reduce((r, x) => r - minor(x.total, o.currency), 0), 0);
  const units = new Map<string, number>();
  for (const o of inRange) for (const l of o.line_items) units.set(String(l.product_id), (units.get(String(l.product_id)) ?? 0) + l.quantity);
  return {
    orders: inRange.length, gross, refunds, net: gross - refunds, aov: inRange.length ? gross / inRange.length : null,
    productsSold: [...units.values()].reduce((a, b) => a + b, 0), units,
  };
}

export async function dashboard(t: Tenant, workspaceId: string, query: Record<string, string>) {
  const res = await call("GET", `/api/workspaces/${workspaceId}/dashboard?${new URLSearchParams(query)}`, { token: t.token });
  expectStatus(res, 200);
  return res.json as { kpis: { key: string; value: Record<string, number | null>; previous: Record<string, number | null> | null; series: { bucket: string; value: Record<string, number | null> }[] }[]; sources: { provider: string; lastSyncAt: number | null }[]; connectedAreas: string[] };
}

export const kpi = (d: Awaited<ReturnType<typeof dashboard>>, key: string) => {
  const k = d.kpis.find((x) => x.key === key);
  expect(k, `kpi ${key}`).toBeTruthy();
  return k!;
};

export async function setTimeZone(t: Tenant, workspaceId: string, timeZone: string) {
  const res = await call("PUT", `/api/workspaces/${workspaceId}/dashboard/time-zone`, { token: t.token, body: { timeZone } });
  expectStatus(res, 200);
}

/** Shift an ISO day. */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * An integration row for a provider without a connector yet (Meta, Google Ads) or with data the
 * test controls: its rows go through the real sync write path (the one a connector's pages take).
 */
export async function fakeIntegration(t: Tenant, workspaceId: string, provider: string) {
  const id = crypto.randomUUID();
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at, last_sync_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)",
  ).bind(id, t.orgId, workspaceId, provider, `${provider} test account`, `acct-${id}`, now, now, now).run();
  return { integrationId: id, orgId: t.orgId, workspaceId, source: provider };
}

export async function writeBatch(owner: { integrationId: string; orgId: string; workspaceId: string; source: string }, batch: NormalizedBatch) {
  return runWrites(env.DB, writeStatements(env.DB, owner, batch));
}

/** A synthetic order placed at `ms` (amounts in minor units). */
export const order = (id: string, ms: number, totalMinor: number, currency: string, refundedMinor = 0): Order => ({
  providerId: id, number: id, status: "paid", currency, totalMinor, subtotalMinor: totalMinor, discountMinor: 0, refundedMinor,
  customerId: null, createdAt: ms, updatedAt: ms, lines: [{ productId: `p-${id}`, title: `Product ${id}`, quantity: 1, totalMinor }],
});

/** Daily figures keyed `metric|dimension|YYYY-MM-DD|currency`, each key's `of(value)` summed per month (`YYYY-MM`, `unit` 7) or year (`YYYY`, 4). */
function perPeriod(daily: Record<string, number>, unit: 4 | 7, of: (v: number) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(daily)) {
    const [m, dim, day, cur] = k.split("|");
    const key = `${m}|${dim}|${day!.slice(0, unit)}|${cur}`;
    out[key] = (out[key] ?? 0) + of(v);
  }
  return out;
}

/** The daily figures summed per month or year, rounded (fractional conversions), sums of zero left out. */
export function byMonth(daily: Record<string, number>, unit: 4 | 7 = 7): Record<string, number> {
  return Object.fromEntries(Object.entries(perPeriod(daily, unit, (v) => v)).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]).filter(([, v]) => v !== 0));
}
export const byYear = (daily: Record<string, number>) => byMonth(daily, 4);

/** How many daily rows each key of `daily` sums per month or year (as byMonth keys them). */
export const dayCounts = (daily: Record<string, number>, unit: 4 | 7) => perPeriod(daily, unit, () => 1);

/** The monthly rollups of an integration's metrics, keyed like `byMonth` (months summing to zero left out). */
export const storedMonths = (integrationId: string, metrics: string[]) => storedPeriods("metric_rollups_monthly", "month", integrationId, metrics);
/** The yearly rollups, keyed like `byYear`. */
export const storedYears = (integrationId: string, metrics: string[]) => storedPeriods("metric_rollups_yearly", "year", integrationId, metrics);
/** The days each monthly or yearly rollup row says it sums, keyed like `dayCounts`. */
export async function storedDayCounts(integrationId: string, metrics: string[], unit: 4 | 7): Promise<Record<string, number>> {
  const [table, col] = unit === 7 ? ["metric_rollups_monthly", "month"] : ["metric_rollups_yearly", "year"];
  const { results } = await env.DB.prepare(
    `SELECT metric, dimension, dimension_value, ${col} AS period, currency, days FROM ${table} WHERE integration_id = ? AND metric IN (${metrics.map(() => "?").join(",")})`,
  ).bind(integrationId, ...metrics).all<any>();
  return Object.fromEntries(results.map((r) => [`${r.metric}|${r.dimension ? `${r.dimension}:${r.dimension_value}` : ""}|${r.period}|${r.currency}`, r.days]));
}
async function storedPeriods(table: string, col: string, integrationId: string, metrics: string[]): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    `SELECT metric, dimension, dimension_value, ${col} AS period, currency, value FROM ${table} WHERE integration_id = ? AND metric IN (${metrics.map(() => "?").join(",")})`,
  ).bind(integrationId, ...metrics).all<any>();
  return Object.fromEntries(
    results.map((r) => [`${r.metric}|${r.dimension ? `${r.dimension}:${r.dimension_value}` : ""}|${r.period}|${r.currency}`, Math.round(r.value * 1e6) / 1e6] as const).filter(([, v]) => v !== 0),
  );
}
