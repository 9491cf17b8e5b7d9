import { z } from "zod";
import { alertKinds, alertStatuses } from "../../db/schema";

const params = z.strictObject({
  monthlyBudgetMinor: z.number().int().positive().max(1e13).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, "ISO currency code").optional(),
  thresholdPct: z.number().min(1).max(1000).optional(),
  days: z.number().int().min(1).max(60).optional(),
});
export const ruleBody = z
  .strictObject({
    kind: z.enum(alertKinds),
    name: z.string().trim().min(1).max(120),
    params: params.default({}),
    recipients: z.array(z.string().min(1).max(64)).max(50).default([]),
    enabled: z.boolean().default(true),
  })
  .refine((b) => b.kind !== "budget_pacing" || (b.params.monthlyBudgetMinor && b.params.currency), "Budget pacing needs monthlyBudgetMinor and currency");
export const rulePatch = z.strictObject({ name: z.string().trim().min(1).max(120).optional(), params: params.optional(), recipients: z.array(z.string().min(1).max(64)).max(50).optional(), enabled: z.boolean().optional() });
export const ruleParam = z.object({ workspaceId: z.string().min(1).max(64), ruleId: z.string().min(1).max(64) });
export const alertParam = z.object({ workspaceId: z.string().min(1).max(64), alertId: z.string().min(1).max(64) });
export const snoozeBody = z.strictObject({ until: z.number().int().positive().max(8.64e15) });

// Response shapes: what the handlers answer (rows of alert_rules and alerts, as stored).
const paramsView = z.object({ monthlyBudgetMinor: z.number().optional(), currency: z.string().optional(), thresholdPct: z.number().optional(), days: z.number().optional() });
export const ruleView = z.object({
  id: z.string(), orgId: z.string(), workspaceId: z.string(), kind: z.enum(alertKinds), name: z.string(), params: paramsView,
  recipients: z.array(z.string()), enabled: z.boolean(), createdBy: z.string().nullable(), createdAt: z.number(), updatedAt: z.number(),
});
export const rulesView = z.object({ rules: z.array(ruleView) });
export const alertView = z.object({
  id: z.string(), orgId: z.string(), workspaceId: z.string(), ruleId: z.string(), periodKey: z.string(), kind: z.enum(alertKinds), title: z.string(), body: z.string(),
  figures: z.record(z.string(), z.union([z.number(), z.string(), z.null()])), status: z.enum(alertStatuses),
  snoozedUntil: z.number().nullable(), acknowledgedBy: z.string().nullable(), acknowledgedAt: z.number().nullable(), createdAt: z.number(),
});
export const alertsView = z.object({ alerts: z.array(alertView) });
