// Sending a reply is an action of the approval path (kind send_reply). A workspace that turned the
// path on for replies (Settings → approvals: a send_reply row) gets each reply proposed; autopilot
// sends it at once unless the guardrail holds it: with limit `clientRepliesNeedApproval` = 1, replies
// to client conversations (category client_request) wait for a person. Without that row replies
// are sent directly, as before.
import { and, eq } from "drizzle-orm";
import { actionSettings, conversations, inboxDrafts } from "../../db/schema";
import { registerActionExecutor, type ActionExecutor, type ActionOutcome } from "../../core/actions";
import type { TenantCtx } from "../../core/context";
import { proposeAction } from "../actions";
import { mailboxStub } from "./mailboxes";

type ReplyAfter = { conversationId: string; draftId: string; mailboxId: string };

export const sendReplyExecutor: ActionExecutor = {
  kind: "send_reply",
  async execute({ ctx, action }): Promise<ActionOutcome> {
    const a = action.after as unknown as ReplyAfter;
    const [draft] = await ctx.db.select({ status: inboxDrafts.status, sent: inboxDrafts.sentProviderId }).from(inboxDrafts)
      .where(and(eq(inboxDrafts.id, a.draftId), eq(inboxDrafts.orgId, action.orgId))).limit(1);
    if (!draft) return { ok: false, error: "The draft no longer exists", retry: false };
    // A retry after a send that succeeded: report it, never send twice.
    if (draft.status === "sent" && draft.sent) return { ok: true, result: { providerMessageId: draft.sent } };
    const out = await mailboxStub(ctx.env, a.mailboxId).send({ orgId: action.orgId, workspaceId: action.workspaceId, conversationId: a.conversationId, draftId: a.draftId });
    if (out.ok) return { ok: true, result: { providerMessageId: out.providerMessageId, threadId: out.threadId } };
    return { ok: false, error: out.message, retry: out.code === "RATE_LIMITED" || out.code === "BAD_GATEWAY" };
  },
  async guard({ ctx, action, limits }) {
    if (!limits.clientRepliesNeedApproval) return null;
    const a = action.after as unknown as ReplyAfter;
    const [c] = await ctx.db.select({ category: conversations.category }).from(conversations).where(and(eq(conversations.id, a.conversationId), eq(conversations.orgId, action.orgId))).limit(1);
    return c?.category === "client_request" ? "Replies to clients wait for a person in this workspace" : null;
  },
};

export const registerReplyExecutor = () => registerActionExecutor(sendReplyExecutor);

/** Whether replies of this workspace go through the approval path. */
export async function repliesNeedAction(ctx: TenantCtx) {
  const [row] = await ctx.db.select({ kind: actionSettings.kind }).from(actionSettings)
    .where(and(eq(actionSettings.workspaceId, ctx.tenant.workspaceId), eq(actionSettings.orgId, ctx.tenant.orgId), eq(actionSettings.kind, "send_reply"))).limit(1);
  return !!row;
}

export async function proposeReply(ctx: TenantCtx, conv: { id: string; subject: string; mailboxId: string }, draft: { id: string; body: string }) {
  const after: ReplyAfter = { conversationId: conv.id, draftId: draft.id, mailboxId: conv.mailboxId };
  return proposeAction({ ctx, input: { kind: "send_reply", subjectType: "inbox_draft", subjectId: draft.id, summary: `Reply to "${conv.subject}": ${draft.body.replace(/\s+/g, " ").slice(0, 200)}`, before: { sent: false, draftId: draft.id }, after } });
}
