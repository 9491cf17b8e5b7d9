import { sql } from "drizzle-orm";
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export type ReportSection = { kind: "kpis"; metrics: string[] } | { kind: "chart"; metric: string } | { kind: "top"; dimension: "product" | "campaign" | "channel" | "landing_page" } | { kind: "note"; text: string };
export type ReportBranding = { agencyName: string; clientName: string; primaryColor: string; accentColor: string; logoText?: string };
export const reportSchedules = ["none", "weekly", "monthly"] as const;

/** The white-label report of a workspace: what it shows, how it looks, when and to whom it goes. */
export const reportTemplates = sqliteTable("report_templates", {
  workspaceId: text().primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
  title: text().notNull(),
  sections: text({ mode: "json" }).notNull().$type<ReportSection[]>(),
  branding: text({ mode: "json" }).notNull().$type<ReportBranding>(),
  schedule: text({ enum: reportSchedules }).notNull().default("none"),
  /** Members (user ids) who receive each report by email. */
  recipients: text({ mode: "json" }).notNull().$type<string[]>(),
  nextRunAt: integer(),
  updatedBy: text().references(() => users.id, { onDelete: "set null" }),
  updatedAt: integer().notNull(),
}, (t) => [index("report_templates_due_idx").on(t.nextRunAt)]);
declareData(reportTemplates, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "updated_by", erase: { clear: ["updated_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "A workspace's report layout, branding, schedule and recipients",
});

/** A generated report: the figures it was drawn from and its PDF in R2. */
export const reports = sqliteTable("reports", {
  id: text().primaryKey(),
  orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
  workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
  title: text().notNull(),
  rangeFrom: text().notNull(),
  rangeTo: text().notNull(),
  trigger: text({ enum: ["manual", "schedule"] }).notNull(),
  r2Key: text().notNull(),
  sizeBytes: integer().notNull(),
  /** The data model the PDF was drawn from (KPIs and tables), so the app and the PDF agree. */
  model: text({ mode: "json" }).notNull().$type<Record<string, unknown>>(),
  createdBy: text().references(() => users.id, { onDelete: "set null" }),
  createdAt: integer().notNull(),
}, (t) => [index("reports_ws_idx").on(t.workspaceId, t.createdAt), uniqueIndex("reports_schedule_uq").on(t.workspaceId, t.rangeFrom, t.rangeTo).where(sql`"trigger" = 'schedule'`)]);
declareData(reports, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Generated client reports (their figures; the PDF is in R2)",
});

/** A read-only link to one report's PDF; only its hash is stored. */
export const reportShares = sqliteTable("report_shares", {
  id: text().primaryKey(),
  reportId: text().notNull().references(() => reports.id, { onDelete: "cascade" }),
  orgId: text().notNull(),
  workspaceId: text().notNull(),
  tokenHash: text().notNull(),
  expiresAt: integer().notNull(),
  revokedAt: integer(),
  createdBy: text().references(() => users.id, { onDelete: "set null" }),
  createdAt: integer().notNull(),
}, (t) => [uniqueIndex("report_shares_hash_uq").on(t.tokenHash), index("report_shares_report_idx").on(t.reportId)]);
declareData(reportShares, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "expires", column: "expires_at" },
  export: { omit: ["token_hash"] },
  purpose: "Expiring read-only links to a report",
});

declareStore({
  store: "r2",
  name: "report-pdfs",
  binding: "FILES",
  owners: { workspace: "reports/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "PDFs of a workspace's generated reports",
});
