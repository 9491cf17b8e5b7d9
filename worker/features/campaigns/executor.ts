// The approval path's executor for `send_campaign`: sends or schedules the campaign named by the
// action. Idempotent per attempt: performSend reads the provider's status before acting.
import type { ActionExecutor, ActionJson } from "../../core/actions";
import { ApiError } from "../../lib/errors";
import { performSend } from "./service";

const scheduledForOf = (after: ActionJson): number | null => {
  const v = after && typeof after === "object" && !Array.isArray(after) ? after.scheduledFor : null;
  return typeof v === "number" ? v : null;
};

export const sendCampaignExecutor: ActionExecutor = {
  kind: "send_campaign",
  async execute({ ctx, action }) {
    try {
      const row = await performSend(ctx, { orgId: action.orgId, workspaceId: action.workspaceId }, action.subjectId, scheduledForOf(action.after));
      return { ok: true, result: { campaignId: row.id, provider: row.provider, providerCampaignId: row.providerCampaignId, state: row.state, scheduledFor: row.scheduledFor } };
    } catch (err) {
      if (err instanceof ApiError) {
        const retry = err.code === "RATE_LIMITED" || err.code === "UNAVAILABLE";
        const seconds = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
        return { ok: false, error: err.message, retry, ...(seconds ? { retryAfterMs: seconds * 1000 } : {}) };
      }
      throw err;
    }
  },
};
