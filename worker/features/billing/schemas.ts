import { z } from "zod";

/** Card data never reaches QWEB (P07): the only input is which plan; unknown fields are refused. */
export const checkoutBody = z.strictObject({ plan: z.enum(["starter", "agency", "scale"]) });

/** Answers. */
const limitsView = z.object({ workspaces: z.number().int(), seats: z.number().int(), aiBudgetMinor: z.number().int(), connectedAccounts: z.number().int() });
export const billingOverviewView = z.object({
  plan: z.enum(["free", "starter", "agency", "scale"]),
  planName: z.string(),
  status: z.string(),
  access: z.enum(["ok", "grace", "read_only"]),
  graceEndsAt: z.number().int().nullable(),
  trialEndsAt: z.number().int().nullable(),
  currentPeriodEnd: z.number().int().nullable(),
  cancelAtPeriodEnd: z.boolean(),
  hasCustomer: z.boolean(),
  limits: limitsView,
  usage: z.object({ workspaces: z.number().int(), seats: z.number().int(), connectedAccounts: z.number().int(), aiSpendMinor: z.number().int().nullable() }),
  plans: z.array(z.object({ id: z.enum(["starter", "agency", "scale"]), name: z.string(), priceMinor: z.number().int(), currency: z.string(), limits: limitsView })),
  configured: z.boolean(),
});
export const sessionUrlView = z.object({ url: z.string() });
export const webhookReceivedView = z.object({ received: z.literal(true), duplicate: z.boolean(), type: z.string() });
