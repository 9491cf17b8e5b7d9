// One provider message → the inbox: parsed (postal-mime), HTML sanitized before it is stored,
// attachments to R2 with their sniffed type, threaded into its conversation (one per threadId).
import { and, eq, sql } from "drizzle-orm";
import { conversations, inboxAttachments, inboxMessages, mailboxes, type Participant } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { newId } from "../../lib/ids";
import { sanitizeEmailHtml } from "../../lib/sanitize-html";
import { sniffType } from "../../lib/sniff";
import { parseMail, type ParsedMail } from "../../connectors/gmail";
import { triageMessage } from "./routing";

export type MailboxRow = typeof mailboxes.$inferSelect;
export type ProviderMessage = { id: string; threadId: string; labelIds: string[]; internalDate: number; raw: Uint8Array };

export const attachmentKey = (mailboxId: string, messageId: string, attachmentId: string) => `mailboxes/${mailboxId}/${messageId}/${attachmentId}`;
const baseSubject = (s: string) => s.replace(/^((re|fwd?|aw|sv)\s*:\s*)+/i, "").trim() || "(no subject)";

function mergeParticipants(have: Participant[], mail: ParsedMail, own: string): Participant[] {
  const out = [...have];
  for (const p of [mail.from, ...mail.to, ...mail.cc]) {
    if (p.address === own || out.some((x) => x.address === p.address)) continue;
    out.push({ name: p.name, address: p.address });
  }
  return out.slice(0, 50);
}

/** Stores one message (idempotent on the provider id). Returns false when it was already there. */
export async function ingestMessage({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; message: ProviderMessage } }): Promise<boolean> {
  const { db, env } = ctx;
  const { mailbox, message } = input;
  const [seen] = await db.select({ id: inboxMessages.id }).from(inboxMessages)
    .where(and(eq(inboxMessages.mailboxId, mailbox.id), eq(inboxMessages.providerId, message.id))).limit(1);
  if (seen) return false;
  const mail = await parseMail(message.raw);
  const outbound = message.labelIds.includes("SENT") || mail.from.address === mailbox.address;
  const date = message.internalDate || mail.date || ctx.now;
  const unread = !outbound && message.labelIds.includes("UNREAD");
  const clean = mail.html ? await sanitizeEmailHtml(mail.html) : null;
  const text = mail.text.slice(0, 200_000);
  const snippet = (text || "").replace(/\s+/g, " ").trim().slice(0, 200);

  const [conv] = await db.select().from(conversations).where(and(eq(conversations.mailboxId, mailbox.id), eq(conversations.threadKey, message.threadId))).limit(1);
  const conversationId = conv?.id ?? newId();
  if (!conv) {
    await db.insert(conversations).values({
      id: conversationId, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, threadKey: message.threadId,
      subject: baseSubject(mail.subject), snippet, participants: mergeParticipants([], mail, mailbox.address), unreadCount: unread ? 1 : 0, messageCount: 1,
      waitingSince: outbound ? null : date, firstResponseAt: null, lastMessageAt: date, createdAt: ctx.now, updatedAt: ctx.now,
    });
  } else {
    const newer = date >= conv.lastMessageAt;
    await db.update(conversations).set({
      participants: mergeParticipants(conv.participants, mail, mailbox.address),
      unreadCount: conv.unreadCount + (unread ? 1 : 0),
      messageCount: conv.messageCount + 1,
      lastMessageAt: Math.max(conv.lastMessageAt, date),
      snippet: newer ? snippet : conv.snippet,
      ...(outbound
        ? { waitingSince: newer ? null : conv.waitingSince, firstResponseAt: conv.firstResponseAt ?? date }
        : { waitingSince: conv.waitingSince ?? date, ...(newer && conv.status !== "open" && conv.status !== "pending" ? { status: "open" as const, snoozedUntil: null, resolvedAt: null } : {}) }),
      updatedAt: ctx.now,
    }).where(eq(conversations.id, conv.id));
  }

  const messageRowId = newId();
  await db.insert(inboxMessages).values({
    id: messageRowId, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, conversationId,
    providerId: message.id, threadKey: message.threadId, rfcMessageId: mail.messageId, inReplyTo: mail.inReplyTo, references: mail.references,
    from: mail.from, to: mail.to, cc: mail.cc, subject: mail.subject, html: clean?.html ?? null, text, snippet, remoteImages: clean?.remoteImages ?? 0,
    headers: mail.headers, labelIds: message.labelIds, direction: outbound ? "out" : "in", unread, date, createdAt: ctx.now,
  });
  for (const a of mail.attachments.slice(0, 20)) {
    const id = newId();
    const key = attachmentKey(mailbox.id, messageRowId, id);
    const contentType = sniffType(a.content);
    await env.FILES.put(key, a.content, { httpMetadata: { contentType } });
    await db.insert(inboxAttachments).values({
      id, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, messageId: messageRowId,
      filename: a.filename.replace(/[\r\n"\\/]+/g, "_").slice(0, 200), contentType, size: a.content.byteLength, r2Key: key, createdAt: ctx.now,
    });
  }
  // Rules, classification and routing of new inbound mail; a failure there never fails the sync.
  if (!outbound) await triageMessage({ ctx, input: { messageId: messageRowId } }).catch((err) => console.error(JSON.stringify({ level: "error", event: "inbox-triage-failed", error: String(err) })));
  return true;
}

/** Gmail says a message lost its UNREAD label (read elsewhere). */
export async function markReadByProvider({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; providerId: string } }) {
  const [m] = await ctx.db.select().from(inboxMessages).where(and(eq(inboxMessages.mailboxId, input.mailbox.id), eq(inboxMessages.providerId, input.providerId))).limit(1);
  if (!m || !m.unread) return;
  await ctx.db.batch([
    ctx.db.update(inboxMessages).set({ unread: false }).where(eq(inboxMessages.id, m.id)),
    ctx.db.update(conversations).set({ unreadCount: sql`max(0, ${conversations.unreadCount} - 1)` }).where(eq(conversations.id, m.conversationId)),
  ]);
}
