import { sql } from "drizzle-orm";
import { sqliteTable, text, integer, real, index, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { integrations, synced } from "./integrations";
import { workspaces } from "./tenancy";
import { users } from "./accounts";

const periodColumn = () => text().notNull();

/**
 * The columns of a rollup table, daily (`day`: YYYY-MM-DD), monthly (`month`: YYYY-MM) or yearly
 * (`year`: YYYY), in one order for all (fresh builders per table).
 */
function rollupColumns<P extends "day" | "month" | "year">(period: P) {
  return {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    source: text().notNull(),
    /** A key of the metric catalogue (features/metrics/catalogue.ts). */
    metric: text().notNull(),
    /** "" for the total, otherwise e.g. "product", "channel", "landing_page", "campaign". */
    dimension: text().notNull(),
    dimensionValue: text().notNull(),
    /** Display name of the dimension value (a product's title, a campaign's name). */
    label: text(),
    /** The day in the workspace's time zone (provider-reported daily figures keep the provider's day), or its month or year. */
    ...({ [period]: periodColumn() } as Record<P, ReturnType<typeof periodColumn>>),
    /** ISO currency for money metrics, "" otherwise. */
    currency: text().notNull(),
    /** Minor units for money, plain numbers otherwise. */
    value: real().notNull(),
  };
}

/**
 * Pre-aggregated figures the dashboards, alerts and reports read (never raw rows): one value per
 * integration, catalogue metric, dimension value, day in the workspace's time zone and currency.
 * Maintained in the same D1 batch as the synced rows they derive from (features/metrics).
 */
export const metricRollups = sqliteTable(
  "metric_rollups",
  rollupColumns("day"),
  (t) => [
    primaryKey({ columns: [t.integrationId, t.metric, t.dimension, t.dimensionValue, t.day, t.currency] }),
    // The dashboards' reads (a workspace's metrics over a range of days, totals or one dimension)
    // answered from the index alone: it carries every column they read but the label.
    index("metric_rollups_ws_idx").on(t.workspaceId, t.dimension, t.metric, t.day, t.dimensionValue, t.currency, t.integrationId, t.value),
    // A drill-down (one product's, campaign's, page's or post's days) answered from the index alone:
    // through the primary key every day was a lookup of the row (value, label, workspace).
    index("metric_rollups_drill_idx").on(t.workspaceId, t.dimension, t.dimensionValue, t.metric, t.day, t.currency, t.integrationId, t.value, t.label),
    // Snapshot metrics (catalogue aggregate "latest"): each list's or account's latest value on
    // or before a day is one seek. The metric names are the catalogue's snapshot metrics.
    index("metric_rollups_snapshot_idx")
      .on(t.workspaceId, t.metric, t.dimension, t.dimensionValue, t.day, t.integrationId, t.value)
      .where(sql`metric = 'list_members' OR metric = 'social_followers'`),
  ],
);
declareData(metricRollups, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Daily figures per metric derived from synced data (revenue, sessions, opens…), for dashboards",
});

/**
 * The daily rollups summed per calendar month (YYYY-MM) of the workspace's days, so that long ranges
 * read a row per month instead of one per day. Kept equal to metric_rollups by SQL triggers
 * (migrations 0015_rollup_month_triggers, 0024_rollup_month_days_recount), so every writer of the daily rows
 * (sync batches, rebuilds, purges, the benchmark's seeding) keeps them current. Snapshot metrics
 * (list sizes, followers) are not summed.
 */
export const metricRollupsMonthly = sqliteTable(
  "metric_rollups_monthly",
  {
    ...rollupColumns("month"),
    /**
     * How many daily rows the month sums (a month left with none is deleted), so that a range
     * covering most of a month reads the month less its few excluded days and still knows which
     * values have a row in the range.
     */
    days: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.metric, t.dimension, t.dimensionValue, t.month, t.currency] }),
    // Covering, the month before the value: a breakdown reads a month or two at the edges of its
    // years (one seek each, not a pass over every month of each value's history); totals are
    // dimension value "".
    index("metric_rollups_monthly_ws_idx").on(t.workspaceId, t.dimension, t.metric, t.month, t.dimensionValue, t.currency, t.integrationId, t.value, t.label, t.days),
  ],
);
declareData(metricRollupsMonthly, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Monthly sums of the daily figures per metric, for dashboards over long ranges",
});

/**
 * The daily rollups summed per calendar year (YYYY) of the workspace's days, so that a long
 * breakdown reads a row per value and year, plus the months and days at its edges. Kept equal to
 * metric_rollups by SQL triggers like the months (migration 0028_rollup_year_triggers), with the
 * same `days` count and the same exclusion of snapshot metrics.
 */
export const metricRollupsYearly = sqliteTable(
  "metric_rollups_yearly",
  {
    ...rollupColumns("year"),
    /** How many daily rows the year sums (a year left with none is deleted), as for the months. */
    days: integer().notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.metric, t.dimension, t.dimensionValue, t.year, t.currency] }),
    // Covering, one seek per year of a breakdown.
    index("metric_rollups_yearly_ws_idx").on(t.workspaceId, t.dimension, t.metric, t.year, t.dimensionValue, t.currency, t.integrationId, t.value, t.label, t.days),
  ],
);
declareData(metricRollupsYearly, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Yearly sums of the daily figures per metric, for dashboard breakdowns over long ranges",
});

/**
 * Days whose rollups a write batch must recompute; filled and emptied within that one D1 batch
 * (a transaction), so it is empty between batches.
 */
export const rollupPendingDays = sqliteTable(
  "rollup_pending_days",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    day: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.kind, t.day] })],
);
declareData(rollupPendingDays, {
  owners: { integration: "integration_id" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Scratch list of days to recompute inside one write batch (always empty afterwards)",
});

/**
 * UTC offset of an IANA time zone from `from_ms` on (one row per transition), so that SQL can
 * file a timestamp under its local day: SQLite knows no time zones.
 */
export const tzOffsets = sqliteTable(
  "tz_offsets",
  {
    timeZone: text().notNull(),
    fromMs: integer().notNull(),
    offsetMinutes: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.timeZone, t.fromMs] })],
);
declareData(tzOffsets, {
  owners: {},
  retention: { rule: "platform" },
  export: false,
  purpose: "Public time-zone rules (offset transitions); no personal data",
});

export type DashboardWidget = { key: string; size: "s" | "m" | "l" };

/** A workspace's chosen dashboard widgets, in order, with their sizes. */
export const dashboardLayouts = sqliteTable("dashboard_layouts", {
  workspaceId: text().primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  orgId: text().notNull(),
  widgets: text({ mode: "json" }).notNull().$type<DashboardWidget[]>(),
  updatedBy: text().references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer().notNull(),
});
declareData(dashboardLayouts, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Which dashboard widgets a workspace shows, in which order and size",
});
