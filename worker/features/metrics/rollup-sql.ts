// Raw SQL on purpose (like the sync write path it joins): the rollups are recomputed by
// set-based statements that run inside the same D1 batch as the synced rows, so a page of 500
// orders costs a handful of statements, never one per row, and rollups can never disagree with
// the rows they come from (the batch is one transaction).
//
// Bound parameters, the same in every statement: ?1 integration id, ?2 org id, ?3 workspace id,
// ?4 source (provider), ?5 a JSON array (provider ids, or mapped daily rows).
import type { NormalizedBatch } from "../../connectors/types";
import { localDaySql } from "./time-zone";

const DAY = (col: string) => localDaySql(col, "?3");
/** Orders that never turned into a sale. */
export const NOT_A_SALE = ["cancelled", "failed", "voided", "trash"];
const notASale = NOT_A_SALE.map((s) => `'${s}'`).join(", ");

const COLS = "integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, day, currency, value";
const pending = (kind: string) => `(SELECT p.day FROM rollup_pending_days p WHERE p.integration_id = ?1 AND p.kind = '${kind}')`;
/** ms bounds around the pending days (±1 day covers every UTC offset), so the scan uses the time index. */
const bounds = (kind: string, col: string) =>
  `${col} >= (SELECT (CAST(strftime('%s', min(p.day)) AS INTEGER) - 86400) * 1000 FROM rollup_pending_days p WHERE p.integration_id = ?1 AND p.kind = '${kind}') ` +
  `AND ${col} < (SELECT (CAST(strftime('%s', max(p.day)) AS INTEGER) + 2 * 86400) * 1000 FROM rollup_pending_days p WHERE p.integration_id = ?1 AND p.kind = '${kind}')`;
const unpivot = (rows: string[][]) => `(${rows.map((r) => `SELECT ${r.map((v) => `'${v}'`).join(", ")}`).join(" UNION ALL ")})`;

/**
 * Rows whose rollups are recomputed by whole days: `keys` are what a batch touched (provider ids, or
 * dates for date-keyed facts), `mark` notes their days, `recompute` rebuilds the noted days.
 */
export type Family = { kind: string; metrics: string[]; keys: (b: NormalizedBatch) => string[]; mark: (ids: "json" | "all") => string; recompute: string[] };

const ORDER_METRICS = ["revenue_gross", "refunds", "orders", "products_sold", "product_revenue"];
const orders: Family = {
  kind: "orders",
  metrics: ORDER_METRICS,
  keys: (b) => [...(b.orders ?? []).map((x) => x.providerId), ...(b.deleted ?? []).filter((d) => d.kind === "order").map((d) => d.providerId)],
  mark: (ids) =>
    `INSERT OR IGNORE INTO rollup_pending_days (integration_id, kind, day) SELECT ?1, 'orders', ${DAY("o.created_at")} FROM orders o ` +
    `WHERE o.integration_id = ?1${ids === "json" ? " AND o.provider_id IN (SELECT value FROM json_each(?5))" : ""}`,
  recompute: [
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column1 AS metric, '', '', NULL, x.d AS d, ` +
      `x.currency AS cur, ` +
      `sum(CASE m.column1 WHEN 'orders' THEN 1 WHEN 'revenue_gross' THEN x.total_minor ELSE x.refunded_minor END) ` +
      `FROM (SELECT o.currency, o.total_minor, o.refunded_minor, ${DAY("o.created_at")} AS d FROM orders o ` +
      `WHERE o.workspace_id = ?3 AND o.integration_id = ?1 AND o.status NOT IN (${notASale}) AND ${bounds("orders", "o.created_at")}) x ` +
      `JOIN (VALUES ('orders'), ('revenue_gross'), ('refunds')) m WHERE x.d IN ${pending("orders")} GROUP BY metric, d, cur`,
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column1 AS metric, m.column2 AS dim, ` +
      `CASE WHEN m.column2 = '' THEN '' ELSE x.product_id END AS dv, CASE WHEN m.column2 = '' THEN NULL ELSE max(x.title) END, x.d AS d, ` +
      `CASE WHEN m.column1 = 'products_sold' THEN '' ELSE x.currency END AS cur, ` +
      `sum(CASE WHEN m.column1 = 'products_sold' THEN x.quantity ELSE x.total_minor END) ` +
      `FROM (SELECT l.product_id, l.title, l.quantity, l.total_minor, o.currency, ${DAY("o.created_at")} AS d FROM orders o ` +
      `JOIN order_lines l ON l.integration_id = o.integration_id AND l.order_id = o.provider_id ` +
      `WHERE o.workspace_id = ?3 AND o.integration_id = ?1 AND o.status NOT IN (${notASale}) AND ${bounds("orders", "o.created_at")}) x ` +
      `JOIN (VALUES ('products_sold', ''), ('products_sold', 'product'), ('product_revenue', 'product')) m ` +
      `WHERE x.d IN ${pending("orders")} GROUP BY metric, dim, dv, d, cur`,
  ],
};

const CAMPAIGN_COLUMNS: [string, string][] = [
  ["email_sends", "recipients"], ["email_delivered", "delivered"], ["email_opens", "opens"],
  ["email_clicks", "clicks"], ["email_bounces", "bounces"], ["email_revenue", "revenue_minor"],
];
const campaigns: Family = {
  kind: "campaigns",
  metrics: CAMPAIGN_COLUMNS.map(([m]) => m),
  keys: (b) => [...(b.campaigns ?? []).map((x) => x.providerId), ...(b.deleted ?? []).filter((d) => d.kind === "campaign").map((d) => d.providerId)],
  mark: (ids) =>
    `INSERT OR IGNORE INTO rollup_pending_days (integration_id, kind, day) SELECT ?1, 'campaigns', ${DAY("c.sent_at")} FROM email_campaigns c ` +
    `WHERE c.integration_id = ?1 AND c.sent_at IS NOT NULL${ids === "json" ? " AND c.provider_id IN (SELECT value FROM json_each(?5))" : ""}`,
  recompute: [
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column1 AS metric, m.column2 AS dim, ` +
      `CASE WHEN m.column2 = '' THEN '' ELSE x.provider_id END AS dv, CASE WHEN m.column2 = '' THEN NULL ELSE max(x.name) END, x.d AS d, ` +
      `CASE WHEN m.column1 = 'email_revenue' THEN COALESCE(x.currency, '') ELSE '' END AS cur, ` +
      `sum(CASE m.column1 ${CAMPAIGN_COLUMNS.map(([m, c]) => `WHEN '${m}' THEN x.${c}`).join(" ")} END) ` +
      `FROM (SELECT c.*, ${DAY("c.sent_at")} AS d FROM email_campaigns c WHERE c.integration_id = ?1 AND c.sent_at IS NOT NULL) x ` +
      `JOIN (VALUES ${CAMPAIGN_COLUMNS.flatMap(([m]) => [`('${m}', '')`, `('${m}', 'campaign')`]).join(", ")}) m ` +
      `WHERE x.d IN ${pending("campaigns")} GROUP BY metric, dim, dv, d, cur`,
  ],
};
export const entityFamilies = [orders, campaigns];

export const deleteFamilyDays = (f: Family) =>
  `DELETE FROM metric_rollups WHERE integration_id = ?1 AND metric IN (${f.metrics.map((m) => `'${m}'`).join(", ")}) AND day IN ${pending(f.kind)}`;
export const CLEAR_PENDING = "DELETE FROM rollup_pending_days WHERE integration_id = ?1";

/** List sizes: one snapshot per list and day (the day of the provider's update), the latest wins. */
export const audienceSnapshot = (ids: "json" | "all") =>
  `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, 'list_members', 'list', a.provider_id, a.name, ${DAY("a.updated_at")}, '', a.member_count ` +
  `FROM audiences a WHERE a.integration_id = ?1${ids === "json" ? " AND a.provider_id IN (SELECT value FROM json_each(?5))" : ""} AND true ` +
  `ON CONFLICT (integration_id, metric, dimension, dimension_value, day, currency) DO UPDATE SET value = excluded.value, label = excluded.label`;

/** Provider daily figures already mapped to catalogue keys: [metric, dimension, value, day, currency, number]. */
export const UPSERT_DAILY =
  `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, j.value->>0, j.value->>1, j.value->>2, NULL, j.value->>3, j.value->>4, j.value->>5 ` +
  `FROM json_each(?5) AS j WHERE true ON CONFLICT (integration_id, metric, dimension, dimension_value, day, currency) DO UPDATE SET value = excluded.value`;

/** A rebuild's copy of every stored daily figure; ?5 holds [provider, daily metric, catalogue key] rows. */
export const REBUILD_DAILY =
  `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, j.value->>2, d.dimension, d.dimension_value, NULL, d.date, COALESCE(d.currency, ''), d.value ` +
  `FROM daily_metrics d JOIN json_each(?5) AS j ON j.value->>0 = d.source AND j.value->>1 = d.metric WHERE d.integration_id = ?1 AND true ` +
  `ON CONFLICT (integration_id, metric, dimension, dimension_value, day, currency) DO UPDATE SET value = excluded.value`;
