import { z } from "zod";
import { alertKinds } from "../../db/schema";

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
