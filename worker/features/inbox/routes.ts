import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../../core/context";
import { atLeast, getWorkspaceAccess, requireOrg, requireWorkspace, type WorkspaceRole } from "../../core/tenancy";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { addNote, allowImagesFrom, attachmentOf, listConversations, markRead, threadView, updateConversation } from "./conversations";
import { disconnectMailbox, getMailbox, listOrgMailboxes, listWorkspaceMailboxes, mailboxStub, mailboxView, mailboxWorkspace, startGmailConnect, startOutlookConnect } from "./mailboxes";
import { connectIcloud } from "./icloud";
import { saveDraft } from "./reply";
import { setOAuthBrowserCookie } from "../integrations";
import { proposeReply, repliesNeedAction } from "./drafts-action";
import { replyProposedView } from "./routing-schemas";
import { conversationAiRoutes, orgRoutingRoutes, workspaceSlaRoutes } from "./routing-routes";
import { commentRoutes, workspaceCommentRoutes } from "./comments-routes";
import { connectStartedView, conversationListView, conversationViewSchema, draftView, mailboxListView, mailboxViewSchema, noteView, replySentView, syncQueuedView, threadViewSchema } from "./schemas";
import { icloudConnectBody } from "./schemas";
import { attachmentParam, connectBody, conversationParam, conversationPatch, draftBody, imagesBody, listQuery, mailboxParam, noteBody, replyBody } from "./schemas";
import { requireConversation } from "./conversation-guard";

const tags = ["inbox"];

function requireMailbox(min: WorkspaceRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ws = await mailboxWorkspace(c.var.db, c.req.param("mailboxId") ?? "");
    if (!ws) throw notFound("Mailbox");
    const tenant = await getWorkspaceAccess(c.var.db, c.var.auth.userId, ws).catch(() => {
      throw notFound("Mailbox");
    });
    if (!atLeast(tenant.role, min)) throw forbidden();
    c.set("tenant", tenant);
    c.set("tenantCtx", { ...c.var.ctx, tenant });
    await next();
  };
}

/** Mounted at /api/workspaces/:workspaceId/inbox */
export const workspaceInboxRoutes = new Hono<AppEnv>()
  .get("/mailboxes", doc({ summary: "The workspace's connected mailboxes with sync status and progress", tags, response: mailboxListView }), requireWorkspace("viewer"), async (c) =>
    c.json({ mailboxes: await listWorkspaceMailboxes({ ctx: c.var.tenantCtx }) }),
  )
  .post(
    "/mailboxes/gmail/connect",
    doc({ summary: "Connect a Gmail mailbox: the Google authorize URL to redirect to", tags, response: connectStartedView, activity: { action: "inbox.mailbox.connect", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    validate("json", connectBody),
    async (c) => {
      const { started, browserNonce } = await startGmailConnect({ ctx: c.var.tenantCtx, input: c.req.valid("json") });
      setOAuthBrowserCookie(c, browserNonce);
      return c.json(started);
    },
  )
  .post(
    "/mailboxes/outlook/connect",
    doc({ summary: "Connect an Outlook mailbox: the Microsoft authorize URL to redirect to", tags, response: connectStartedView, activity: { action: "inbox.mailbox.connect", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    validate("json", connectBody),
    async (c) => {
      const { started, browserNonce } = await startOutlookConnect({ ctx: c.var.tenantCtx, input: c.req.valid("json") });
      setOAuthBrowserCookie(c, browserNonce);
      return c.json(started);
    },
  )
  .post(
    "/mailboxes/icloud/connect",
    doc({ summary: "Connect an iCloud mailbox with its address and an app-specific password (checked by an IMAP login first)", tags, status: 201, response: mailboxViewSchema, activity: { action: "inbox.mailbox.connect", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    validate("json", icloudConnectBody),
    async (c) => c.json(mailboxView(await connectIcloud({ ctx: c.var.tenantCtx, input: c.req.valid("json") })), 201),
  )
  .route("/", workspaceSlaRoutes)
  .route("/", workspaceCommentRoutes);

/** Mounted at /api/orgs/:orgId/inbox */
export const orgInboxRoutes = new Hono<AppEnv>()
  .get("/conversations", doc({ summary: "The team inbox: conversations with filters (status, mine, unassigned, workspace) and counts", tags, response: conversationListView }), requireOrg("member"), validate("query", listQuery), async (c) =>
    c.json(await listConversations({ ctx: c.var.orgCtx, input: c.req.valid("query") })),
  )
  .get("/mailboxes", doc({ summary: "Every connected mailbox of the organization", tags, response: mailboxListView }), requireOrg("member"), async (c) => c.json({ mailboxes: await listOrgMailboxes({ ctx: c.var.orgCtx }) }))
  .route("/", orgRoutingRoutes);

/** Mounted at /api/inbox */
export const inboxRoutes = new Hono<AppEnv>()
  .get("/mailboxes/:mailboxId", doc({ summary: "A mailbox's status and sync progress", tags, response: mailboxViewSchema }), validate("param", mailboxParam), requireMailbox("viewer"), async (c) =>
    c.json(mailboxView(await getMailbox({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").mailboxId } }))),
  )
  .post("/mailboxes/:mailboxId/sync", doc({ summary: "Sync the mailbox now", tags, status: 202, response: syncQueuedView, activity: { action: "inbox.mailbox.sync", target: targetParam("mailbox", "mailboxId") } }), validate("param", mailboxParam), requireMailbox("editor"), async (c) => {
    const row = await getMailbox({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").mailboxId } });
    if (row.status === "needs_reconnect") throw new ApiError("CONFLICT", "Reconnect this mailbox before syncing it");
    return c.json(await mailboxStub(c.env, row.id).syncNow(), 202);
  })
  .delete("/mailboxes/:mailboxId", doc({ summary: "Disconnect: credentials deleted now, synced mail deleted 30 days later", tags, status: 204, response: null, activity: { action: "inbox.mailbox.disconnect", target: targetParam("mailbox", "mailboxId") } }), validate("param", mailboxParam), requireMailbox("admin"), async (c) => {
    await disconnectMailbox({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").mailboxId } });
    return c.body(null, 204);
  })
  .get("/conversations/:conversationId", doc({ summary: "A conversation's thread: sanitized messages, attachments, notes, drafts", tags, response: threadViewSchema }), validate("param", conversationParam), requireConversation("viewer"), async (c) =>
    c.json(await threadView({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId } })),
  )
  .patch("/conversations/:conversationId", doc({ summary: "Assign, snooze, resolve, reopen, label, prioritize", tags, response: conversationViewSchema, activity: { action: "inbox.conversation.update", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), validate("json", conversationPatch), async (c) =>
    c.json(await updateConversation({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId, patch: c.req.valid("json") } })),
  )
  .post("/conversations/:conversationId/read", doc({ summary: "Mark the conversation read", tags, status: 204, response: null, activity: { action: "inbox.conversation.read", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("viewer"), async (c) => {
    await markRead({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId } });
    return c.body(null, 204);
  })
  .post("/conversations/:conversationId/notes", doc({ summary: "Add an internal note", tags, status: 201, response: noteView, activity: { action: "inbox.note.create", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), validate("json", noteBody), async (c) =>
    c.json(await addNote({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId, body: c.req.valid("json").body } }), 201),
  )
  .post("/conversations/:conversationId/drafts", doc({ summary: "Save a reply draft (also to the mailbox's drafts)", tags, status: 201, response: draftView, activity: { action: "inbox.draft.save", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), validate("json", draftBody), async (c) =>
    c.json(await saveDraft({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId, ...c.req.valid("json") } }), 201),
  )
  .post("/conversations/:conversationId/reply", doc({ summary: "Send a reply: saved as a draft first, then sent as that draft, threaded (or proposed as a send_reply action where the workspace requires approval)", tags, response: replySentView, alternatives: { 202: { description: "Proposed as an action of the approval path", schema: replyProposedView } }, activity: { action: "inbox.reply.send", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("editor"), validate("json", replyBody), async (c) => {
    const ctx = c.var.tenantCtx;
    const id = c.req.valid("param").conversationId;
    const body = c.req.valid("json");
    const draft = body.body ? await saveDraft({ ctx, input: { id, body: body.body, draftId: body.draftId } }) : { id: body.draftId! };
    const conv = (await threadView({ ctx, input: { id } })).conversation;
    if (await repliesNeedAction(ctx)) {
      const text = body.body ?? (await threadView({ ctx, input: { id } })).drafts.find((d) => d.id === draft.id)?.body ?? "";
      const action = await proposeReply(ctx, conv, { id: draft.id, body: text });
      return c.json({ sent: false as const, draftId: draft.id, action: { id: action.id, state: action.state, waitReason: action.waitReason } }, 202);
    }
    const out = await mailboxStub(c.env, conv.mailboxId).send({ orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, conversationId: id, draftId: draft.id });
    if (!out.ok) throw new ApiError(out.code, out.message);
    return c.json({ sent: true, draftId: out.draftId, providerMessageId: out.providerMessageId, conversation: (await threadView({ ctx, input: { id } })).conversation });
  })
  .post("/conversations/:conversationId/images", doc({ summary: "Show remote images from this sender from now on", tags, status: 204, response: null, activity: { action: "inbox.images.allow", target: targetParam("conversation", "conversationId") } }), validate("param", conversationParam), requireConversation("viewer"), validate("json", imagesBody), async (c) => {
    await allowImagesFrom({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").conversationId, sender: c.req.valid("json").sender } });
    return c.body(null, 204);
  })
  .get("/conversations/:conversationId/attachments/:attachmentId", doc({ summary: "Download an attachment (served as its sniffed type, never inline HTML)", tags, media: "application/octet-stream" }), validate("param", attachmentParam), requireConversation("viewer"), async (c) => {
    const p = c.req.valid("param");
    const { meta, body } = await attachmentOf({ ctx: c.var.tenantCtx, input: { id: p.conversationId, attachmentId: p.attachmentId } });
    return new Response(body, {
      headers: {
        "content-type": meta.contentType,
        "content-length": String(meta.size),
        "content-disposition": `attachment; filename="${meta.filename.replace(/[^\x20-\x7e]|"/g, "_")}"`,
        "x-content-type-options": "nosniff",
        "cache-control": "private, no-store",
      },
    });
  })
  .route("/", conversationAiRoutes)
  .route("/", commentRoutes);
