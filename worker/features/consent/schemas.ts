import { z } from "zod";

export const consentState = z.object({ functional: z.boolean(), analytics: z.boolean(), policyVersion: z.string().nullable(), decidedAt: z.number().nullable() });
export const bannerView = z.object({
  categories: z.array(z.object({ id: z.string(), label: z.string(), required: z.boolean(), description: z.string() })),
  policyVersion: z.string(),
});
export const recordedView = z.object({ recorded: z.boolean() });
