// Routes of comment conversations: turning comments on for a workspace's Pages and IG accounts,
// the post and moderation state of a comment thread, hide / unhide. Mounted from routes.ts.
import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireWorkspace } from "../../core/tenancy";
import { registerWebhookListener } from "../../core/webhook-listeners";

import { doc, targetParam, validate } from "../../lib/validate";
import { commentThread, connectComments, receiveCommentWebhook, setHidden } from "./comments";

import { commentParam, commentThreadView, hiddenBody, hiddenView } from "./comments-schemas";
import { conversationParam, mailboxListView } from "./schemas";
import { requireConversation } from "./conversation-guard";

const tags = ["inbox"];

export const registerCommentWebhook = () => registerWebhookListener("meta", receiveCommentWebhook);

/** Mounted at /api/workspaces/:workspaceId/inbox */
export const workspaceCommentRoutes = new Hono<AppEnv>()
  .post(
    "/comments/connect",
    doc({ summary: "Bring the comments of the workspace's connected Facebook Pages and Instagram accounts into the inbox (one source per Page / account; idempotent)", tags, response: mailboxListView, activity: { action: "inbox.comments.connect", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    async (c) => c.json({ mailboxes: await connectComments({ ctx: c.var.tenantCtx }) }),
  );

/** Mounted at /api/inbox */
export const commentRoutes = new Hono<AppEnv>()
  .get("/conversations/:conversationId/comments", doc({ summary: "A comment conversation's post (text, link, image) and each comment's id and hidden state", tags, response: commentThreadView }), validate("param", conversationParam), requireConversation("viewer"), async (c) =>
    c.json(await commentThread({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId } })),
  )
  .put("/conversations/:conversationId/comments/:messageId/hidden", doc({ summary: "Hide a comment on Facebook / Instagram, or show it again (undo)", tags, response: hiddenView, activity: { action: "inbox.comment.hide", target: targetParam("conversation", "conversationId") } }), validate("param", commentParam), requireConversation("editor"), validate("json", hiddenBody), async (c) => {
    const p = c.req.valid("param");
    return c.json(await setHidden({ ctx: c.var.tenantCtx, input: { id: p.conversationId, messageId: p.messageId, hidden: c.req.valid("json").hidden } }));
  });
