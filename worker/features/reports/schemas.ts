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
