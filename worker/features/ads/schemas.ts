import { z } from "zod";
import { actionKinds } from "../../core/actions";
import { actionStates } from "../../db/schema";
import { actionView } from "../actions";

const id = z.string().min(1).max(128);
export const workspaceParam = z.object({ workspaceId: id });
export const orgParam = z.object({ orgId: id });
export const campaignParam = z.object({ workspaceId: id, integrationId: id, adCampaignId: id });

const when = z.number().int().positive().optional();
export const statusBody = z.strictObject({ note: z.string().trim().max(1000).optional(), scheduledFor: when });
const minor = z.number().int().min(1).max(1_000_000_000_000);
export const budgetBody = z
  .strictObject({ dailyBudgetMinor: minor.optional(), lifetimeBudgetMinor: minor.optional(), adSetId: id.optional(), scheduledFor: when })
  .refine((b) => (b.dailyBudgetMinor === undefined) !== (b.lifetimeBudgetMinor === undefined), { message: "Give either the new daily or the new lifetime budget" });
export type BudgetBody = z.infer<typeof budgetBody>;

export const campaignView = z.object({
  integrationId: z.string(),
  providerId: z.string(),
  channel: z.enum(["meta", "google"]),
  accountId: z.string(),
  name: z.string(),
  status: z.string(),
  objective: z.string().nullable(),
  dailyBudgetMinor: z.number().nullable(),
  lifetimeBudgetMinor: z.number().nullable(),
  currency: z.string(),
  sharedBudget: z.boolean(),
  budgetId: z.string().nullable(),
  /** How many campaigns use this budget (Google shared budgets: more than one). */
  sharedWith: z.number(),
  spendMonthMinor: z.number(),
  /** Spend so far against the daily budget for the full days of `month` through yesterday (UTC), and the projected month-end; null without a daily budget. */
  pacing: z.object({ expectedMinor: z.number(), ratio: z.number(), projectedMinor: z.number(), monthBudgetMinor: z.number() }).nullable(),
  /** The month the spend and pacing cover (YYYY-MM): the month of yesterday, the last day with synced data. */
  month: z.string(),
  daysElapsed: z.number(),
  daysInMonth: z.number(),
  spend30dMinor: z.number(),
  roas30d: z.number().nullable(),
  cpa30dMinor: z.number().nullable(),
  adSets: z.array(z.object({ providerId: z.string(), name: z.string(), status: z.string(), dailyBudgetMinor: z.number().nullable(), lifetimeBudgetMinor: z.number().nullable() })),
  pending: z.array(z.object({ id: z.string(), kind: z.enum(actionKinds), state: z.enum(actionStates), summary: z.string() })),
});
export type CampaignView = z.infer<typeof campaignView>;
export const campaignListView = z.object({ campaigns: z.array(campaignView) });
export const orgCampaignListView = z.object({ campaigns: z.array(campaignView.extend({ workspaceId: z.string(), workspaceName: z.string() })) });
export const proposedView = z.object({ action: actionView, warning: z.string().nullable() });
