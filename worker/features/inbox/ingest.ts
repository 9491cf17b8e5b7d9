// One provider message → the inbox: parsed (postal-mime), HTML sanitized before it is stored,
// attachments to R2 with their sniffed type, threaded into its conversation (one per threadId).
import { and, eq, sql } from "drizzle-orm";
import { conversations, inboxAttachments, inboxMessages, mailboxes, type Participant } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { newId } from "../../lib/ids";
import { sanitizeEmailHtml } from "../../lib/sanitize-html";
import { sniffType } from "../../lib/sniff";
import { parseMail, type ParsedMail } from "../../connectors/gmail";
import { inJson, jsonInsert } from "../../db/json-rows";
import { mapLimit } from "./concurrency";
import { triageMessages } from "./routing";
import type { StepTiming } from "./timing";

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

type Conversation = typeof conversations.$inferSelect;
type MessageRow = typeof inboxMessages.$inferSelect;
type AttachmentRow = typeof inboxAttachments.$inferInsert;

/** Parsing and sanitizing of a page overlap with each other's awaits (and the R2 writes with each other). */
const PARSE_CONCURRENCY = 8;
const PUT_CONCURRENCY = 8;

/** A new conversation for the thread's first message, as the row it will be inserted as. */
function newConversation(ctx: Ctx, mailbox: MailboxRow, message: ProviderMessage, mail: ParsedMail, p: { date: number; outbound: boolean; unread: boolean; snippet: string }): Conversation {
  return {
    id: newId(), orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, transport: "email", threadKey: message.threadId,
    subject: baseSubject(mail.subject), snippet: p.snippet, status: "open", snoozedUntil: null, priority: "normal", assigneeId: null, labels: [],
    participants: mergeParticipants([], mail, mailbox.address), unreadCount: p.unread ? 1 : 0, messageCount: 1,
    waitingSince: p.outbound ? null : p.date, firstResponseAt: null, resolvedAt: null, lastMessageAt: p.date, createdAt: ctx.now, updatedAt: ctx.now,
    category: null, summary: null, categoryReason: null, categoryModel: null, slaDueAt: null, slaState: null, slaNotices: [],
  };
}

/** A further message of a known thread: the conversation's counters, snippet, waiting time and (for new inbound mail) reopening. */
function addToConversation(ctx: Ctx, conv: Conversation, mailbox: MailboxRow, mail: ParsedMail, p: { date: number; outbound: boolean; unread: boolean; snippet: string }): boolean {
  const newer = p.date >= conv.lastMessageAt;
  conv.participants = mergeParticipants(conv.participants, mail, mailbox.address);
  conv.unreadCount += p.unread ? 1 : 0;
  conv.messageCount += 1;
  conv.lastMessageAt = Math.max(conv.lastMessageAt, p.date);
  if (newer) conv.snippet = p.snippet;
  conv.updatedAt = ctx.now;
  if (p.outbound) {
    conv.waitingSince = newer ? null : conv.waitingSince;
    conv.firstResponseAt = conv.firstResponseAt ?? p.date;
    return false;
  }
  conv.waitingSince = conv.waitingSince ?? p.date;
  if (!newer || conv.status === "open" || conv.status === "pending") return false;
  conv.status = "open";
  conv.snoozedUntil = null;
  conv.resolvedAt = null;
  return true;
}

/**
 * Stores a page of provider messages (idempotent on the provider id: those already stored are
 * skipped), in the given order, as one D1 batch: the page's conversations (new ones inserted,
 * known ones updated once with what all of their new messages changed), messages and attachment
 * rows; attachment bytes go to R2 first. Then the new inbound messages are triaged together.
 * Returns how many messages were new. (bench/inbox.bench.mjs: per-message statements made a
 * first sync run at a few messages a second.)
 */
export async function ingestMessages({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; messages: ProviderMessage[]; timing?: StepTiming } }): Promise<number> {
  const { db, env } = ctx;
  const { mailbox } = input;
  const unique = [...new Map(input.messages.map((m) => [m.id, m])).values()];
  if (!unique.length) return 0;
  const seen = new Set<string>();
  for (const r of await db.select({ providerId: inboxMessages.providerId }).from(inboxMessages).where(and(eq(inboxMessages.mailboxId, mailbox.id), inJson(inboxMessages.providerId, unique.map((m) => m.id))))) seen.add(r.providerId);
  const fresh = unique.filter((m) => !seen.has(m.id));
  if (!fresh.length) return 0;
  const timing = input.timing;
  let t = Date.now();
  const lap = (k: "parseMs" | "storeMs" | "triageMs") => {
    const now = Date.now();
    if (timing) timing[k] += now - t;
    t = now;
  };
  const parsed = await mapLimit(fresh, PARSE_CONCURRENCY, async (message) => {
    const mail = await parseMail(message.raw);
    return { message, mail, clean: mail.html ? await sanitizeEmailHtml(mail.html) : null };
  });
  const convs = new Map<string, Conversation>();
  for (const c of await db.select().from(conversations).where(and(eq(conversations.mailboxId, mailbox.id), inJson(conversations.threadKey, [...new Set(fresh.map((m) => m.threadId))])))) convs.set(c.threadKey, c);
  lap("parseMs");
  const created = new Set<string>();
  const reopened = new Set<string>();
  const updated = new Set<string>();
  const messageRows: MessageRow[] = [];
  const attachmentRows: AttachmentRow[] = [];
  const blobs: { key: string; content: Uint8Array; contentType: string }[] = [];
  const inbound: { msg: MessageRow; conv: Conversation }[] = [];
  for (const { message, mail, clean } of parsed) {
    const outbound = message.labelIds.includes("SENT") || mail.from.address === mailbox.address;
    const date = message.internalDate || mail.date || ctx.now;
    const unread = !outbound && message.labelIds.includes("UNREAD");
    const text = mail.text.slice(0, 200_000);
    const snippet = (text || "").replace(/\s+/g, " ").trim().slice(0, 200);
    const p = { date, outbound, unread, snippet };
    let conv = convs.get(message.threadId);
    if (!conv) {
      conv = newConversation(ctx, mailbox, message, mail, p);
      convs.set(message.threadId, conv);
      created.add(conv.id);
    } else {
      if (addToConversation(ctx, conv, mailbox, mail, p)) reopened.add(conv.id);
      if (!created.has(conv.id)) updated.add(conv.id);
    }
    const row: MessageRow = {
      id: newId(), orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, conversationId: conv.id,
      providerId: message.id, threadKey: message.threadId, rfcMessageId: mail.messageId, inReplyTo: mail.inReplyTo, references: mail.references,
      from: mail.from, to: mail.to, cc: mail.cc, subject: mail.subject, html: clean?.html ?? null, text, snippet, remoteImages: clean?.remoteImages ?? 0,
      headers: mail.headers, labelIds: message.labelIds, direction: outbound ? "out" : "in", unread, date, createdAt: ctx.now, archivedAt: null, providerRef: null,
    };
    messageRows.push(row);
    for (const a of mail.attachments.slice(0, 20)) {
      const id = newId();
      const key = attachmentKey(mailbox.id, row.id, id);
      const contentType = sniffType(a.content);
      blobs.push({ key, content: a.content, contentType });
      attachmentRows.push({
        id, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, messageId: row.id,
        filename: a.filename.replace(/[\r\n"\\/]+/g, "_").slice(0, 200), contentType, size: a.content.byteLength, r2Key: key, createdAt: ctx.now,
      });
    }
    if (!outbound) inbound.push({ msg: row, conv });
  }

  await mapLimit(blobs, PUT_CONCURRENCY, (b) => env.FILES.put(b.key, b.content, { httpMetadata: { contentType: b.contentType } }));
  const byId = new Map([...convs.values()].map((c) => [c.id, c]));
  const asRaw = (q: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = q.toSQL();
    return env.DB.prepare(text).bind(...params);
  };
  const statements: D1PreparedStatement[] = [...jsonInsert(env.DB, conversations, [...created].map((id) => byId.get(id)!))];
  for (const id of updated) {
    const c = byId.get(id)!;
    statements.push(asRaw(db.update(conversations).set({
      participants: c.participants, unreadCount: c.unreadCount, messageCount: c.messageCount, lastMessageAt: c.lastMessageAt, snippet: c.snippet,
      waitingSince: c.waitingSince, firstResponseAt: c.firstResponseAt, updatedAt: c.updatedAt,
      ...(reopened.has(id) ? { status: c.status, snoozedUntil: c.snoozedUntil, resolvedAt: c.resolvedAt } : {}),
    }).where(eq(conversations.id, id))));
  }
  statements.push(...jsonInsert(env.DB, inboxMessages, messageRows), ...jsonInsert(env.DB, inboxAttachments, attachmentRows));
  await env.DB.batch(statements);

  lap("storeMs");

  // Rules, classification and routing of new inbound mail; a failure there never fails the sync.
  if (inbound.length) {
    // The whole thread of a conversation this page created is in hand: triage need not read it back.
    const threads = new Map<string, MessageRow[]>();
    for (const m of messageRows) if (created.has(m.conversationId)) threads.set(m.conversationId, [...(threads.get(m.conversationId) ?? []), m]);
    for (const th of threads.values()) th.sort((a, b) => a.date - b.date);
    const outcomes = await triageMessages({ ctx, input: { items: inbound, threads } }).catch((err) => {
      console.error(JSON.stringify({ level: "error", event: "inbox-triage-failed", error: String(err) }));
      return [];
    });
    lap("triageMs");
    if (timing) {
      timing.classified += inbound.length;
      for (const o of outcomes) timing.aiProviderMs += o.providerMs;
    }
  }
  if (timing) timing.messages += messageRows.length;
  return messageRows.length;
}

/** Stores one message (idempotent on the provider id). Returns false when it was already there. */
export async function ingestMessage({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; message: ProviderMessage } }): Promise<boolean> {
  return (await ingestMessages({ ctx, input: { mailbox: input.mailbox, messages: [input.message] } })) > 0;
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
