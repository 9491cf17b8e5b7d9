// Autopilot's guardrails for send_campaign. An email reaches real inboxes and cannot be taken back,
// so autopilot sends alone only what a person has effectively approved before:
// - only to a list or segment this workspace has already sent a campaign to through QWEB (the
//   first send to any list waits for a person);
// - at most `sendsPerDay` sends (default 1) within 24 hours of this send's time, counting every
//   send approved by a person or by autopilot, scheduled or sent;
// - with `maxRecipients` set, only to a list whose synced size is known and at most that.
// The privacy center's restriction is checked by the approval path itself before any guard.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { ActionExecutor } from "../../core/actions";
import { actions, audiences, campaignDrafts } from "../../db/schema";
import { CAMPAIGN_SUBJECT } from "./service";

export const DEFAULT_SENDS_PER_DAY = 1;
const DAY = 86_400_000;

/** The moment the action's emails go out: its scheduled time, else its approval (or now). */
const sendTime = sql<number>`COALESCE(${actions.scheduledFor}, ${actions.approvedAt}, ${actions.createdAt})`;

export const sendCampaignGuard: NonNullable<ActionExecutor["guard"]> = async ({ ctx, action, limits }) => {
  const [row] = await ctx.db
    .select({ id: campaignDrafts.id, integrationId: campaignDrafts.integrationId, listId: campaignDrafts.listId, listName: campaignDrafts.listName })
    .from(campaignDrafts)
    .where(and(eq(campaignDrafts.id, action.subjectId), eq(campaignDrafts.orgId, action.orgId), eq(campaignDrafts.workspaceId, action.workspaceId)))
    .limit(1);
  if (!row) return "The campaign no longer exists";

  const [earlier] = await ctx.db
    .select({ id: campaignDrafts.id })
    .from(campaignDrafts)
    .where(and(
      eq(campaignDrafts.orgId, action.orgId), eq(campaignDrafts.workspaceId, action.workspaceId), eq(campaignDrafts.integrationId, row.integrationId),
      eq(campaignDrafts.listId, row.listId), eq(campaignDrafts.state, "sent"), ne(campaignDrafts.id, row.id),
    ))
    .limit(1);
  if (!earlier) return `QWEB has not sent to "${row.listName}" before: the first send to a list waits for a person`;

  const max = limits.maxRecipients;
  if (max !== undefined) {
    const [list] = await ctx.db
      .select({ members: audiences.memberCount })
      .from(audiences)
      .where(and(eq(audiences.integrationId, row.integrationId), eq(audiences.providerId, row.listId), eq(audiences.workspaceId, action.workspaceId)))
      .limit(1);
    if (!list) return `The size of "${row.listName}" is not known yet (it has not been synced), so a person decides`;
    if (list.members > max) return `"${row.listName}" has ${list.members.toLocaleString("en-US")} members; autopilot sends to at most ${max.toLocaleString("en-US")}`;
  }

  const perDay = limits.sendsPerDay ?? DEFAULT_SENDS_PER_DAY;
  const at = action.after && typeof action.after === "object" && !Array.isArray(action.after) && typeof action.after.scheduledFor === "number" ? action.after.scheduledFor : ctx.now;
  const [near] = await ctx.db
    .select({ n: sql<number>`COUNT(*)` })
    .from(actions)
    .where(and(
      eq(actions.orgId, action.orgId), eq(actions.workspaceId, action.workspaceId), eq(actions.kind, "send_campaign"), eq(actions.subjectType, CAMPAIGN_SUBJECT),
      inArray(actions.state, ["approved", "scheduled", "running", "done"]), ne(actions.id, action.id),
      sql`${sendTime} > ${at - DAY}`, sql`${sendTime} < ${at + DAY}`,
    ));
  const n = Number(near?.n ?? 0);
  if (n + 1 > perDay) return `This workspace already has ${n} campaign send${n === 1 ? "" : "s"} within 24 hours of this one (autopilot allows ${perDay} a day)`;
  return null;
};
