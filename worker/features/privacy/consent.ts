import type { Ctx } from "../../core/context";
import { recordConsent } from "../consent";
import { currentPolicy } from "../policy";
import { recordRequest } from "./dsr";

type Choice = { functional: boolean; analytics: boolean; source: "banner" | "settings" | "signup" };

/** PUT /api/privacy/consents: the choice under the policy in force; a withdrawal is also logged as a completed request. */
export async function saveConsent({ ctx, input }: { ctx: Ctx; input: { userId: string; email: string; choice: Choice } }) {
  const { db, now } = ctx;
  const policy = await currentPolicy({ ctx });
  const { consent, withdrawn } = await recordConsent({ ctx, input: { userId: input.userId, choice: input.choice, policyVersion: policy.version } });
  if (withdrawn.length) {
    await recordRequest({ ctx, input: {
      userId: input.userId, email: input.email, regime: "gdpr", kind: "consent-withdrawal", source: "self-serve", status: "completed", verification: "session",
      actions: withdrawn.map((w) => `Consent withdrawn: ${w} cookies`),
      by: { actor: "user" },
    } });
  }
  return { consent };
}
