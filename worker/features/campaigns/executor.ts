// The approval path's executor for `send_campaign`. The runner calls it when the action is due:
// at its scheduledFor, or as soon as it is approved for a send now. Idempotent per attempt:
// performSend reads the provider's status first, so a retry records a send, never repeats it.
import type { ActionExecutor, ActionJson } from "../../core/actions";
import { ApiError } from "../../lib/errors";
import { sendCampaignGuard } from "./guard";
import { performSend } from "./service";

/** Runs this far ahead of its time: the provider holds the schedule instead. */
const PROVIDER_SCHEDULE_MS = 15 * 60_000;
/** Approved this long after its time: not sent (a surprise for the list), the user picks a new time. */
const TOO_LATE_MS = 60 * 60_000;

const scheduledForOf = (after: ActionJson): number | null => {
  const v = after && typeof after === "object" && !Array.isArray(after) ? after.scheduledFor : null;
  return typeof v === "number" ? v : null;
};

export const sendCampaignExecutor: ActionExecutor = {
  kind: "send_campaign",
  async execute({ ctx, action }) {
    const at = scheduledForOf(action.after);
    if (at !== null && ctx.now - at > TOO_LATE_MS) return { ok: false, error: "The send time passed more than an hour before the send could run; schedule it again", retry: false };
    try {
      const row = await performSend(ctx, { orgId: action.orgId, workspaceId: action.workspaceId }, action.subjectId, at !== null && at - ctx.now >= PROVIDER_SCHEDULE_MS ? at : null);
      return { ok: true, result: { campaignId: row.id, provider: row.provider, providerCampaignId: row.providerCampaignId, state: row.state, scheduledFor: row.scheduledFor, sentAt: row.sentAt } };
    } catch (err) {
      if (err instanceof ApiError) {
        const retry = err.code === "RATE_LIMITED" || err.code === "UNAVAILABLE";
        const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        return { ok: false, error: err.message, retry, ...(seconds ? { retryAfterMs: seconds * 1000 } : {}) };
      }
      throw err;
    }
  },
  /** Autopilot guardrails: a list sent to before, `sendsPerDay` (default 1), `maxRecipients` (see guard.ts). */
  guard: sendCampaignGuard,
};
