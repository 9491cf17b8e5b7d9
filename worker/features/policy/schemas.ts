import { z } from "zod";

export const policyVersionView = z.object({
  version: z.string(),
  effectiveDate: z.string(),
  effectiveAt: z.number(),
  title: z.string(),
  summary: z.string().nullable(),
  material: z.boolean(),
  publishedAt: z.number(),
});
export const policyVersionsView = z.object({ versions: z.array(policyVersionView) });
export const policyInForceView = z.object({ version: z.string(), effectiveDate: z.string() });
export const policyTextView = z.object({
  version: z.string(),
  effectiveDate: z.string(),
  title: z.string(),
  text: z.string(),
  summary: z.string().nullable(),
  material: z.boolean(),
});
/** P25: the policy in force for a user and whether they must accept it. */
export const acceptanceStatusView = z.object({
  current: z.object({ version: z.string(), effectiveDate: z.string(), title: z.string(), summary: z.string().nullable(), material: z.boolean() }),
  acceptanceRequired: z.boolean(),
  acceptances: z.array(z.object({ version: z.string(), acceptedAt: z.number() })),
});
