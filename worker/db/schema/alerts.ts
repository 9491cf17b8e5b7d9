import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const alertKinds = ["budget_pacing", "roas_drop", "cpa_rise", "spend_spike", "revenue_drop", "sync_failing", "token_expiring"] as const;
export type AlertKind = (typeof alertKinds)[number];
export type AlertParams = { monthlyBudgetMinor?: number; currency?: string; thresholdPct?: number; days?: number };

/** What a workspace wants to be warned about, and whom to tell. */
export const alertRules = sqliteTable(
  "alert_rules",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text({ enum: alertKinds }).notNull(),
    name: text().notNull(),
    params: text({ mode: "json" }).notNull().$type<AlertParams>(),
    /** Members (user ids) who get each alert by email as well as in-app. */
    recipients: text({ mode: "json" }).notNull().$type<string[]>(),
    enabled: integer({ mode: "boolean" }).notNull().default(true),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("alert_rules_ws_idx").on(t.workspaceId), index("alert_rules_enabled_idx").on(t.enabled, t.id)],
);
declareData(alertRules, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Alert rules a workspace set up (budget pacing, drops, sync health) and their recipients",
});

export const alertStatuses = ["open", "acknowledged", "snoozed"] as const;

/** One raised alert: at most one per rule and period (the unique key makes repeated evaluation harmless). */
export const alerts = sqliteTable(
  "alerts",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    ruleId: text().notNull().references(() => alertRules.id, { onDelete: "cascade" }),
    /** The period the alert is about ("2026-12" for pacing, a day for drops, an integration + event for syncs). */
    periodKey: text().notNull(),
    kind: text({ enum: alertKinds }).notNull(),
    title: text().notNull(),
    body: text().notNull(),
    figures: text({ mode: "json" }).notNull().$type<Record<string, number | string | null>>(),
    status: text({ enum: alertStatuses }).notNull().default("open"),
    snoozedUntil: integer(),
    acknowledgedBy: text().references(() => users.id, { onDelete: "set null" }),
    acknowledgedAt: integer(),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("alerts_rule_period_uq").on(t.ruleId, t.periodKey), index("alerts_ws_idx").on(t.workspaceId, t.createdAt)],
);
declareData(alerts, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "acknowledged_by", erase: { clear: ["acknowledged_by"] } } },
  retention: { rule: "rolling", months: 24, column: "created_at" },
  export: {},
  purpose: "Alerts raised for a workspace (budget warnings, drops, sync failures) and who acknowledged them",
});
