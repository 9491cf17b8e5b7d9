// What the provider says left the mailbox: a message deleted there (Gmail messagesDeleted or
// TRASH added, Graph @removed into Deleted Items or gone, an IMAP UID expunged) disappears from
// its conversation, and a conversation with no message left goes with it; a message archived
// there (Gmail INBOX label removed, Graph/IMAP moved to Archive) is marked archived, and one put
// back into the inbox is unarchived. Every transport's sync calls these with its provider id.
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { conversations, inboxAttachments, inboxMessages } from "../../db/schema";
import type { Ctx } from "../../core/context";
import type { MailboxRow } from "./ingest";

type Input = { mailbox: MailboxRow; providerIds: string[] };

const rowsOf = async (ctx: Ctx, { mailbox, providerIds }: Input) =>
  providerIds.length
    ? ctx.db.select({ id: inboxMessages.id, conversationId: inboxMessages.conversationId, labelIds: inboxMessages.labelIds, archivedAt: inboxMessages.archivedAt }).from(inboxMessages)
        .where(and(eq(inboxMessages.mailboxId, mailbox.id), inArray(inboxMessages.providerId, [...new Set(providerIds)].slice(0, 90))))
    : [];

/** The conversation's counters and snippet again from the messages it still has; none left → it goes. */
async function refreshConversation(ctx: Ctx, conversationId: string) {
  const left = await ctx.db.select({ direction: inboxMessages.direction, unread: inboxMessages.unread, date: inboxMessages.date, snippet: inboxMessages.snippet })
    .from(inboxMessages).where(eq(inboxMessages.conversationId, conversationId)).orderBy(asc(inboxMessages.date));
  if (!left.length) {
    // Notes, drafts and rule runs of it cascade.
    await ctx.db.delete(conversations).where(eq(conversations.id, conversationId));
    return;
  }
  const last = left.at(-1)!;
  const lastOut = [...left].reverse().find((m) => m.direction === "out");
  const firstInAfter = left.find((m) => m.direction === "in" && (!lastOut || m.date > lastOut.date));
  await ctx.db.update(conversations).set({
    messageCount: left.length,
    unreadCount: left.filter((m) => m.unread).length,
    lastMessageAt: last.date,
    snippet: last.snippet,
    waitingSince: firstInAfter?.date ?? null,
    updatedAt: ctx.now,
  }).where(eq(conversations.id, conversationId));
}

/** Deleted at the provider: the messages, their attachments (R2 too) and emptied conversations go. */
export async function removeByProvider({ ctx, input }: { ctx: Ctx; input: Input }): Promise<number> {
  let removed = 0;
  for (let i = 0; i < input.providerIds.length; i += 90) {
    const rows = await rowsOf(ctx, { ...input, providerIds: input.providerIds.slice(i, i + 90) });
    if (!rows.length) continue;
    const ids = rows.map((r) => r.id);
    const atts = await ctx.db.select({ key: inboxAttachments.r2Key }).from(inboxAttachments).where(inArray(inboxAttachments.messageId, ids));
    if (atts.length) await ctx.env.FILES.delete(atts.map((a) => a.key));
    await ctx.db.delete(inboxMessages).where(inArray(inboxMessages.id, ids));
    for (const c of new Set(rows.map((r) => r.conversationId))) await refreshConversation(ctx, c);
    removed += rows.length;
  }
  return removed;
}

/** Archived (or put back) at the provider: marked on the message; its INBOX label follows. */
export async function archiveByProvider({ ctx, input }: { ctx: Ctx; input: Input & { archived: boolean } }): Promise<number> {
  let changed = 0;
  for (let i = 0; i < input.providerIds.length; i += 90) {
    const rows = await rowsOf(ctx, { ...input, providerIds: input.providerIds.slice(i, i + 90) });
    for (const r of rows) {
      if (Boolean(r.archivedAt) === input.archived) continue;
      const labelIds = input.archived ? r.labelIds.filter((l) => l !== "INBOX") : [...new Set(["INBOX", ...r.labelIds])];
      await ctx.db.update(inboxMessages).set({ archivedAt: input.archived ? ctx.now : null, labelIds }).where(eq(inboxMessages.id, r.id));
      changed++;
    }
  }
  return changed;
}

/** IMAP: the stored messages of a folder (by UIDVALIDITY) whose UIDs are no longer there. */
export async function missingImapRefs({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; kind: string; uidValidity: number; present: Set<number>; upTo: number } }) {
  const prefix = `${input.kind}:${input.uidValidity}:`;
  const rows = await ctx.db.select({ providerId: inboxMessages.providerId, ref: inboxMessages.providerRef }).from(inboxMessages)
    .where(and(eq(inboxMessages.mailboxId, input.mailbox.id), sql`${inboxMessages.providerRef} LIKE ${prefix + "%"}`, isNull(inboxMessages.archivedAt)))
    .orderBy(desc(inboxMessages.date));
  return rows.filter((r) => {
    const uid = Number(r.ref!.slice(prefix.length));
    return uid <= input.upTo && !input.present.has(uid);
  }).map((r) => r.providerId);
}

/** IMAP: where a stored message is seen now (set at ingest and when a resync finds it again). */
export async function setImapRef({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; providerId: string; ref: string } }) {
  await ctx.db.update(inboxMessages).set({ providerRef: input.ref }).where(and(eq(inboxMessages.mailboxId, input.mailbox.id), eq(inboxMessages.providerId, input.providerId)));
}
