// The one place a send or schedule leaves QWEB: it becomes a `send_campaign` action on the approval
// path (scheduledFor for a scheduled send), which `executor.ts` runs once approved and due. The
// campaign is created at the provider first, so approvers see one the provider has accepted.
import type { TenantCtx } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { cancelAction, proposeAction } from "../actions";
import { opsFor } from "./provider";
import { CAMPAIGN_SUBJECT, campaignRow, campaignView, cancelSchedule, checkSendTime, ensureAtProvider, pendingActions } from "./service";

const LABEL = { klaviyo: "Klaviyo", mailchimp: "Mailchimp" } as Record<string, string>;

export async function requestSend({ ctx, input }: { ctx: TenantCtx; input: { id: string; at: number | null } }) {
  let row = await campaignRow(ctx, ctx.tenant, input.id);
  if (row.state === "sent") throw new ApiError("CONFLICT", "This campaign has already been sent");
  if (row.state === "scheduled") throw new ApiError("CONFLICT", "This campaign is already scheduled; cancel the schedule first");
  if (input.at !== null) checkSendTime(row.provider, input.at, ctx.now);
  if ((await pendingActions(ctx, row, [row.id])).has(row.id)) throw new ApiError("CONFLICT", "A send of this campaign already waits for approval or its time");
  row = await ensureAtProvider(ctx, row, await opsFor(ctx.env, row.integrationId));
  const when = input.at === null ? "now" : `at ${new Date(input.at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
  await proposeAction({
    ctx,
    input: {
      kind: "send_campaign",
      subjectType: CAMPAIGN_SUBJECT,
      subjectId: row.id,
      summary: `Send the email "${row.subject}" to ${row.listName} through ${LABEL[row.provider] ?? row.provider} ${when}`,
      before: { state: row.state, scheduledFor: null },
      after: { state: input.at === null ? "sent" : "scheduled", scheduledFor: input.at, subject: row.subject, list: row.listName },
      scheduledFor: input.at,
    },
  });
  return campaignView(ctx, row);
}

/** Cancels a send still waiting (for approval or its time), or a schedule the provider holds. */
export async function cancelSend({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await campaignRow(ctx, ctx.tenant, input.id);
  const pending = (await pendingActions(ctx, row, [row.id])).get(row.id);
  if (pending) {
    if (pending.state === "running") throw new ApiError("CONFLICT", "The campaign is being sent right now");
    await cancelAction({ ctx, input: { id: pending.id, note: "Cancelled from the campaign" } });
    return campaignView(ctx, await campaignRow(ctx, row, row.id));
  }
  return cancelSchedule({ ctx, input });
}
