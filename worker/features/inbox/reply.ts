// A reply: saved to the mailbox's Gmail drafts (drafts.create, threaded), then sent as that
// draft (drafts.send). The Mailbox DO runs `sendReply` between syncs; the sent message is stored
// at once so the conversation shows it (and its first response) without waiting for the poll.
import { and, desc, eq } from "drizzle-orm";
import { conversations, inboxDrafts, inboxMessages, mailboxes } from "../../db/schema";
import type { Ctx, TenantCtx } from "../../core/context";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { buildReply, decodeBase64Url, gmailApi } from "../../connectors/gmail";
import { ProviderError } from "../../connectors/http";
import { getConversation } from "./conversations";
import { ingestMessage, type MailboxRow } from "./ingest";
import { MailboxNeedsReconnect, withGmail } from "./tokens";
import { transportOf } from "./transports";

const PROVIDER_NAME = { gmail: "Gmail", outlook: "Outlook", icloud: "iCloud Mail", facebook: "Facebook", instagram: "Instagram" } as const;

export type ReplyInput = { orgId: string; workspaceId: string; conversationId: string; draftId: string };
export type ReplyOutcome =
  | { ok: true; draftId: string; providerMessageId: string; threadId: string }
  | { ok: false; code: "NOT_FOUND" | "CONFLICT" | "UNPROCESSABLE" | "BAD_GATEWAY" | "RATE_LIMITED"; message: string };

async function context(ctx: Ctx, input: Omit<ReplyInput, "draftId">) {
  const [conv] = await ctx.db.select().from(conversations)
    .where(and(eq(conversations.id, input.conversationId), eq(conversations.orgId, input.orgId), eq(conversations.workspaceId, input.workspaceId))).limit(1);
  if (!conv) return null;
  const [mailbox] = await ctx.db.select().from(mailboxes).where(and(eq(mailboxes.id, conv.mailboxId), eq(mailboxes.orgId, input.orgId))).limit(1);
  if (!mailbox || mailbox.disconnectedAt) return null;
  const msgs = await ctx.db.select().from(inboxMessages).where(eq(inboxMessages.conversationId, conv.id)).orderBy(desc(inboxMessages.date)).limit(50);
  return { conv, mailbox, msgs };
}

/** The RFC 2822 reply to the conversation's latest message from someone else. */
function composeReply(mailbox: MailboxRow, conv: typeof conversations.$inferSelect, msgs: (typeof inboxMessages.$inferSelect)[], body: string, now: number) {
  const last = msgs.find((m) => m.direction === "in") ?? msgs[0];
  if (!last) throw new ApiError("CONFLICT", "This conversation has no message to reply to");
  const replyTo = last.headers["reply-to"];
  const to = last.direction === "in" ? [replyTo && !/[\r\n]/.test(replyTo) ? replyTo : last.from.address] : last.to.map((a) => a.address);
  const newest = msgs[0]!;
  const reply = buildReply({
    from: mailbox.address, to, subject: last.subject || conv.subject, inReplyTo: newest.rfcMessageId, references: [newest.references, newest.rfcMessageId].filter(Boolean).join(" ") || null,
    text: body, date: now, messageIdDomain: mailbox.address.split("@")[1] ?? "qweb.invalid",
  });
  return { ...reply, replyTo: last.providerId };
}

function providerProblem(err: unknown, provider: MailboxRow["provider"] = "gmail"): ReplyOutcome {
  const name = PROVIDER_NAME[provider];
  if (err instanceof MailboxNeedsReconnect) return { ok: false, code: "UNPROCESSABLE", message: err.message };
  if (err instanceof ApiError) return { ok: false, code: "CONFLICT", message: err.message };
  if (err instanceof ProviderError) {
    if (err.kind === "rate-limited") return { ok: false, code: "RATE_LIMITED", message: `${name} asked to slow down; try again in a moment` };
    if (err.kind === "permanent") return { ok: false, code: "UNPROCESSABLE", message: `${name} refused the message: ${err.message}` };
    return { ok: false, code: "BAD_GATEWAY", message: `${name} could not be reached; your draft is kept` };
  }
  throw err;
}

/** Saves (or replaces) the caller's draft reply, in QWEB and in the mailbox's Gmail drafts. */
export async function saveDraft({ ctx, input }: { ctx: TenantCtx; input: { id: string; body: string; draftId?: string } }) {
  const conv = await getConversation({ ctx, input });
  const found = await context(ctx, { orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, conversationId: conv.id });
  if (!found) throw notFound("Conversation");
  if (input.draftId) {
    const [d] = await ctx.db.select().from(inboxDrafts).where(and(eq(inboxDrafts.id, input.draftId), eq(inboxDrafts.conversationId, conv.id), eq(inboxDrafts.orgId, ctx.tenant.orgId))).limit(1);
    if (!d) throw notFound("Draft");
    if (d.status !== "draft") throw new ApiError("CONFLICT", "This reply was already sent");
  }
  const { raw, replyTo } = composeReply(found.mailbox, conv, found.msgs, input.body, ctx.now);
  const transport = transportOf(found.mailbox.provider);
  let providerDraftId: string;
  try {
    providerDraftId = transport
      ? await transport.createDraft(ctx, found.mailbox, { threadKey: conv.threadKey, replyTo, raw: decodeBase64Url(raw), text: input.body })
      : (await withGmail(ctx, found.mailbox, (rt, s) => gmailApi.createDraft(rt, s, { raw, threadId: conv.threadKey }))).id;
  } catch (err) {
    const p = providerProblem(err, found.mailbox.provider);
    if (!p.ok) throw new ApiError(p.code, p.message);
    throw err;
  }
  const id = input.draftId ?? newId();
  if (input.draftId) await ctx.db.update(inboxDrafts).set({ body: input.body, providerDraftId, updatedAt: ctx.now }).where(eq(inboxDrafts.id, id));
  else await ctx.db.insert(inboxDrafts).values({ id, orgId: conv.orgId, workspaceId: conv.workspaceId, mailboxId: conv.mailboxId, conversationId: conv.id, authorId: ctx.tenant.userId, body: input.body, providerDraftId, createdAt: ctx.now, updatedAt: ctx.now });
  return { id, body: input.body, providerDraftId, updatedAt: ctx.now };
}

/** Sends a saved draft (runs inside the Mailbox DO). A draft is sent at most once. */
export async function sendReply({ ctx, input }: { ctx: Ctx; input: ReplyInput }): Promise<ReplyOutcome> {
  const found = await context(ctx, input);
  if (!found) return { ok: false, code: "NOT_FOUND", message: "Conversation not found" };
  const [draft] = await ctx.db.select().from(inboxDrafts).where(and(eq(inboxDrafts.id, input.draftId), eq(inboxDrafts.conversationId, input.conversationId), eq(inboxDrafts.orgId, input.orgId))).limit(1);
  if (!draft) return { ok: false, code: "NOT_FOUND", message: "Draft not found" };
  if (draft.status !== "draft" || !draft.providerDraftId) return { ok: false, code: "CONFLICT", message: "This reply was already sent" };
  // Claimed before the provider call: a second click (or retry) cannot send it twice.
  const claimed = await ctx.db.update(inboxDrafts).set({ status: "sending", updatedAt: ctx.now }).where(and(eq(inboxDrafts.id, draft.id), eq(inboxDrafts.status, "draft"))).returning({ id: inboxDrafts.id });
  if (!claimed.length) return { ok: false, code: "CONFLICT", message: "This reply is already being sent" };
  const transport = transportOf(found.mailbox.provider);
  let sent;
  try {
    sent = transport
      ? await transport.sendDraft(ctx, found.mailbox, { providerDraftId: draft.providerDraftId, threadKey: found.conv.threadKey })
      : await withGmail(ctx, found.mailbox, (rt, s) => gmailApi.sendDraft(rt, s, draft.providerDraftId!));
  } catch (err) {
    await ctx.db.update(inboxDrafts).set({ status: "draft" }).where(eq(inboxDrafts.id, draft.id));
    return providerProblem(err, found.mailbox.provider);
  }
  await ctx.db.update(inboxDrafts).set({ status: "sent", sentProviderId: sent.id, updatedAt: ctx.now }).where(eq(inboxDrafts.id, draft.id));
  if ("message" in sent) {
    // The transport read the sent message back (or the next sync brings it).
    if (sent.message) await ingestMessage({ ctx, input: { mailbox: found.mailbox, message: sent.message } }).catch(() => false);
    return { ok: true, draftId: draft.id, providerMessageId: sent.id, threadId: sent.threadId };
  }
  try {
    const msg = await withGmail(ctx, found.mailbox, (rt, s) => gmailApi.getRaw(rt, s, sent.id));
    await ingestMessage({ ctx, input: { mailbox: found.mailbox, message: { id: msg.id, threadId: msg.threadId, labelIds: msg.labelIds ?? ["SENT"], internalDate: Number(msg.internalDate), raw: decodeBase64Url(msg.raw) } } });
  } catch {
    // The next sync brings the sent message through history; the send itself succeeded.
  }
  return { ok: true, draftId: draft.id, providerMessageId: sent.id, threadId: sent.threadId };
}
