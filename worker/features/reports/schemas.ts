import { z } from "zod";
import { reportSchedules } from "../../db/schema";

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "A colour like #4f46e5");
const section = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("kpis"), metrics: z.array(z.string().min(1).max(60)).min(1).max(12) }),
  z.strictObject({ kind: z.literal("chart"), metric: z.string().min(1).max(60) }),
  z.strictObject({ kind: z.literal("top"), dimension: z.enum(["product", "campaign", "channel", "landing_page"]) }),
  z.strictObject({ kind: z.literal("note"), text: z.string().trim().min(1).max(4000) }),
]);
export const templateBody = z.strictObject({
  title: z.string().trim().min(1).max(120),
  sections: z.array(section).min(1).max(20),
  branding: z.strictObject({ agencyName: z.string().trim().min(1).max(120), clientName: z.string().trim().min(1).max(120), primaryColor: color, accentColor: color, logoText: z.string().trim().max(40).optional() }),
  schedule: z.enum(reportSchedules).default("none"),
  recipients: z.array(z.string().min(1).max(64)).max(50).default([]),
});
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const generateBody = z.strictObject({ from: isoDay.optional(), to: isoDay.optional(), preset: z.enum(["7d", "28d", "90d", "12m", "mtd", "ytd"]).optional() });
export const reportParam = z.object({ workspaceId: z.string().min(1).max(64), reportId: z.string().min(1).max(64) });
export const shareParam = reportParam.extend({ shareId: z.string().min(1).max(64) });
export const shareBody = z.strictObject({ days: z.number().int().min(1).max(90).default(7) });
export const tokenParam = z.object({ token: z.string().min(16).max(100) });

// Response shapes: what the handlers answer.
const figure = z.record(z.string(), z.number().nullable());
const range = z.object({ from: z.string(), to: z.string() });
const sectionView = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("kpis"), metrics: z.array(z.string()) }),
  z.object({ kind: z.literal("chart"), metric: z.string() }),
  z.object({ kind: z.literal("top"), dimension: z.enum(["product", "campaign", "channel", "landing_page"]) }),
  z.object({ kind: z.literal("note"), text: z.string() }),
]);
const brandingView = z.object({ agencyName: z.string(), clientName: z.string(), primaryColor: z.string(), accentColor: z.string(), logoText: z.string().optional() });
/** The template (the stored row, or the defaults before one is saved) and the workspace's time zone. */
export const templateView = z.object({
  workspaceId: z.string().optional(), orgId: z.string().optional(),
  title: z.string(), sections: z.array(sectionView), branding: brandingView, schedule: z.enum(reportSchedules), recipients: z.array(z.string()),
  nextRunAt: z.number().nullable(), updatedBy: z.string().nullable().optional(), updatedAt: z.number().optional(), timeZone: z.string(),
});
const kpiModel = z.object({ key: z.string(), label: z.string(), unit: z.string(), value: figure, previous: figure.nullable(), change: figure.nullable() });
const sectionModel = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("kpis"), kpis: z.array(kpiModel) }),
  z.object({ kind: z.literal("chart"), metric: z.string(), label: z.string(), unit: z.string(), points: z.array(z.object({ bucket: z.string(), value: figure })) }),
  z.object({ kind: z.literal("top"), dimension: z.string(), metrics: z.array(z.string()), rows: z.array(z.object({ label: z.string(), figures: z.record(z.string(), figure) })) }),
  z.object({ kind: z.literal("note"), text: z.string() }),
]);
/** The figures a report shows (what the PDF was drawn from). */
export const reportModelView = z.object({ title: z.string(), branding: brandingView, range, comparison: range.nullable(), timeZone: z.string(), sections: z.array(sectionModel) });
export const reportView = z.object({
  id: z.string(), title: z.string(), rangeFrom: z.string(), rangeTo: z.string(), trigger: z.enum(["manual", "schedule"]), sizeBytes: z.number(), createdAt: z.number(), model: reportModelView,
});
export const reportsView = z.object({ reports: z.array(reportView) });
/** A share link: the token is in the url, answered once (only its hash is stored). */
export const shareView = z.object({ id: z.string(), expiresAt: z.number(), url: z.string() });
