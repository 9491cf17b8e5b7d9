import { z } from "zod";

const id = z.string().min(1).max(64);
export const budgetParam = z.object({ orgId: id, budgetId: id });
export const putBudgetBody = z.strictObject({
  workspaceId: id,
  /** Omit for the whole client. */
  projectId: id.nullable().optional(),
  unit: z.enum(["hours", "amount"]),
  /** Minutes for an hours budget (e.g. 40 h = 2400), minor units of the organization's currency for an amount budget. */
  monthlyLimit: z.number().int().min(1).max(1_000_000_000_000),
});

/** Answers. */
export const budgetView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  projectId: z.string().nullable(),
  unit: z.enum(["hours", "amount"]),
  monthlyLimit: z.number().int(),
  month: z.string(),
  /** This month's use: minutes, or minor units at the billing rates. */
  used: z.number().int(),
  percent: z.number().int(),
  notifiedPct: z.number().int(),
});
export const budgetListView = z.object({ budgets: z.array(budgetView) });
