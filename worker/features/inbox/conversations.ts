// The team inbox: conversations across an organization's workspaces with filters and unread
// counts, the thread view (sanitized messages, attachments, notes, drafts), and triage verbs.
import { and, asc, desc, eq, inArray, isNull, lt, sql, type SQL } from "drizzle-orm";
import { conversations, inboxAttachments, inboxRuleRuns, inboxDrafts, inboxImageSenders, inboxMessages, inboxNotes, mailboxes, memberships, users, type ConversationStatus } from "../../db/schema";
import type { Database } from "../../db/client";
import type { OrgCtx, TenantCtx } from "../../core/context";
import { getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { revealImages } from "../../lib/sanitize-html";
import type { ListQuery, ConversationPatch } from "./schemas";

type ConversationRow = typeof conversations.$inferSelect;
/** How far ahead a conversation may be snoozed. */
export const MAX_SNOOZE_MS = 366 * 86_400_000;

export function conversationView(c: ConversationRow, mailboxAddress?: string) {
  return {
    id: c.id, workspaceId: c.workspaceId, mailboxId: c.mailboxId, mailboxAddress: mailboxAddress ?? null, transport: c.transport, subject: c.subject, snippet: c.snippet,
    status: c.status, snoozedUntil: c.snoozedUntil, priority: c.priority, assigneeId: c.assigneeId, labels: c.labels, participants: c.participants,
    unreadCount: c.unreadCount, messageCount: c.messageCount, waitingSince: c.waitingSince, firstResponseAt: c.firstResponseAt, resolvedAt: c.resolvedAt, lastMessageAt: c.lastMessageAt,
    category: c.category, summary: c.summary, categoryReason: c.categoryReason, categoryModel: c.categoryModel, slaState: c.slaState, slaDueAt: c.slaDueAt,
  };
}

/** A snoozed conversation whose time has come counts as open. */
const effectiveStatus = (now: number) =>
  sql<ConversationStatus>`CASE WHEN ${conversations.status} = 'snoozed' AND ${conversations.snoozedUntil} <= ${now} THEN 'open' ELSE ${conversations.status} END`;

export async function listConversations({ ctx, input }: { ctx: OrgCtx; input: ListQuery }) {
  const { db, org, now } = ctx;
  const base: SQL[] = [eq(conversations.orgId, org.orgId), isNull(mailboxes.disconnectedAt)];
  if (input.workspaceId) base.push(eq(conversations.workspaceId, input.workspaceId));
  const filters = [...base];
  if (input.assignee === "mine") filters.push(eq(conversations.assigneeId, org.userId));
  else if (input.assignee === "unassigned") filters.push(isNull(conversations.assigneeId));
  filters.push(sql`${effectiveStatus(now)} = ${input.status}`);
  if (input.category) filters.push(eq(conversations.category, input.category));
  if (input.sla === "at_risk") filters.push(inArray(conversations.slaState, ["at_risk", "breached"]));
  if (input.before) filters.push(lt(conversations.lastMessageAt, input.before));
  const rows = await db.select({ c: conversations, address: mailboxes.address }).from(conversations)
    .innerJoin(mailboxes, eq(mailboxes.id, conversations.mailboxId))
    .where(and(...filters)).orderBy(desc(conversations.lastMessageAt)).limit(input.limit);
  const [counts] = await db.select({
    open: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'open' THEN 1 ELSE 0 END), 0)`,
    unread: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'open' AND ${conversations.unreadCount} > 0 THEN 1 ELSE 0 END), 0)`,
    mine: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'open' AND ${conversations.assigneeId} = ${org.userId} THEN 1 ELSE 0 END), 0)`,
    unassigned: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'open' AND ${conversations.assigneeId} IS NULL THEN 1 ELSE 0 END), 0)`,
    atRisk: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'open' AND ${conversations.slaState} IN ('at_risk', 'breached') THEN 1 ELSE 0 END), 0)`,
    snoozed: sql<number>`coalesce(sum(CASE WHEN ${effectiveStatus(now)} = 'snoozed' THEN 1 ELSE 0 END), 0)`,
  }).from(conversations).innerJoin(mailboxes, eq(mailboxes.id, conversations.mailboxId)).where(and(...base));
  return {
    conversations: rows.map((r) => ({ ...conversationView(r.c, r.address), status: r.c.status === "snoozed" && (r.c.snoozedUntil ?? 0) <= now ? "open" : r.c.status })),
    counts: { open: Number(counts?.open ?? 0), unread: Number(counts?.unread ?? 0), mine: Number(counts?.mine ?? 0), unassigned: Number(counts?.unassigned ?? 0), atRisk: Number(counts?.atRisk ?? 0), snoozed: Number(counts?.snoozed ?? 0) },
  };
}

/** The caller's access to a conversation's workspace, or 404 (another org's id looks missing). */
export async function conversationAccess(db: Database, userId: string, id: string): Promise<TenantContext> {
  const [row] = await db.select({ workspaceId: conversations.workspaceId }).from(conversations)
    .innerJoin(mailboxes, and(eq(mailboxes.id, conversations.mailboxId), isNull(mailboxes.disconnectedAt))).where(eq(conversations.id, id)).limit(1);
  if (!row) throw notFound("Conversation");
  try {
    return await getWorkspaceAccess(db, userId, row.workspaceId);
  } catch {
    throw notFound("Conversation");
  }
}

export async function getConversation({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<ConversationRow> {
  const [row] = await ctx.db.select().from(conversations)
    .where(and(eq(conversations.id, input.id), eq(conversations.orgId, ctx.tenant.orgId), eq(conversations.workspaceId, ctx.tenant.workspaceId))).limit(1);
  if (!row) throw notFound("Conversation");
  return row;
}

export async function threadView({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const c = await getConversation({ ctx, input });
  const scope = and(eq(inboxMessages.conversationId, c.id), eq(inboxMessages.orgId, ctx.tenant.orgId));
  const msgs = await ctx.db.select().from(inboxMessages).where(scope).orderBy(asc(inboxMessages.date)).limit(200);
  const ids = msgs.map((m) => m.id);
  const atts = ids.length ? await ctx.db.select().from(inboxAttachments).where(and(eq(inboxAttachments.orgId, ctx.tenant.orgId), inArray(inboxAttachments.messageId, ids.slice(0, 90)))) : [];
  const notes = await ctx.db.select({ n: inboxNotes, author: users.name }).from(inboxNotes).leftJoin(users, eq(users.id, inboxNotes.authorId))
    .where(and(eq(inboxNotes.conversationId, c.id), eq(inboxNotes.orgId, ctx.tenant.orgId))).orderBy(asc(inboxNotes.createdAt));
  const drafts = await ctx.db.select().from(inboxDrafts).where(and(eq(inboxDrafts.conversationId, c.id), eq(inboxDrafts.orgId, ctx.tenant.orgId), eq(inboxDrafts.status, "draft"))).orderBy(desc(inboxDrafts.updatedAt));
  const allowed = new Set((await ctx.db.select({ s: inboxImageSenders.sender }).from(inboxImageSenders).where(eq(inboxImageSenders.userId, ctx.tenant.userId))).map((r) => r.s));
  const [mb] = await ctx.db.select({ address: mailboxes.address }).from(mailboxes).where(eq(mailboxes.id, c.mailboxId));
  const messages = [];
  for (const m of msgs) {
    const imagesAllowed = allowed.has(m.from.address);
    messages.push({
      id: m.id, direction: m.direction, from: m.from, to: m.to, cc: m.cc, subject: m.subject, date: m.date, unread: m.unread, snippet: m.snippet, text: m.text,
      html: m.html && imagesAllowed && m.remoteImages ? await revealImages(m.html) : m.html,
      remoteImages: m.remoteImages, imagesAllowed, headers: m.headers, messageId: m.rfcMessageId, archived: m.archivedAt !== null,
      attachments: atts.filter((a) => a.messageId === m.id).map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size })),
    });
  }
  return {
    conversation: conversationView(c, mb?.address),
    messages,
    notes: notes.map((r) => ({ id: r.n.id, body: r.n.body, authorId: r.n.authorId, authorName: r.author, createdAt: r.n.createdAt })),
    drafts: drafts.map((d) => ({ id: d.id, body: d.body, providerDraftId: d.providerDraftId, updatedAt: d.updatedAt })),
    ruleRuns: (await ctx.db.select().from(inboxRuleRuns).where(and(eq(inboxRuleRuns.conversationId, c.id), eq(inboxRuleRuns.orgId, ctx.tenant.orgId))).orderBy(desc(inboxRuleRuns.createdAt)).limit(20))
      .map((r) => ({ id: r.id, ruleId: r.ruleId, reason: r.reason, outcome: r.outcome, createdAt: r.createdAt })),
  };
}

async function assertAssignable(ctx: TenantCtx, userId: string) {
  const [m] = await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, ctx.tenant.orgId), eq(memberships.userId, userId))).limit(1);
  if (!m) throw new ApiError("VALIDATION_FAILED", "The assignee must be a member of this organization", { details: [{ path: "assigneeId", message: "Not a member" }] });
}

/** Assign, snooze, resolve, reopen, set labels and priority. */
export async function updateConversation({ ctx, input }: { ctx: TenantCtx; input: { id: string; patch: ConversationPatch } }) {
  const c = await getConversation({ ctx, input });
  const p = input.patch;
  const set: Partial<ConversationRow> = { updatedAt: ctx.now };
  if (p.assigneeId !== undefined) {
    if (p.assigneeId !== null) await assertAssignable(ctx, p.assigneeId);
    set.assigneeId = p.assigneeId;
  }
  if (p.status !== undefined) {
    if (p.status === "snoozed") {
      if (!p.snoozedUntil || p.snoozedUntil <= ctx.now) throw new ApiError("VALIDATION_FAILED", "Snoozing needs a time in the future", { details: [{ path: "snoozedUntil", message: "Must be in the future" }] });
      if (p.snoozedUntil > ctx.now + MAX_SNOOZE_MS) throw new ApiError("VALIDATION_FAILED", "Snooze for at most a year", { details: [{ path: "snoozedUntil", message: "At most a year ahead" }] });
      set.snoozedUntil = p.snoozedUntil;
    } else set.snoozedUntil = null;
    set.status = p.status;
    set.resolvedAt = p.status === "resolved" ? ctx.now : null;
    if (p.status === "resolved") set.slaState = null;
  }
  if (p.labels !== undefined) set.labels = [...new Set(p.labels.map((l) => l.trim()).filter(Boolean))];
  if (p.priority !== undefined) set.priority = p.priority;
  await ctx.db.update(conversations).set(set).where(and(eq(conversations.id, c.id), eq(conversations.orgId, ctx.tenant.orgId)));
  return conversationView({ ...c, ...set });
}

export async function markRead({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const c = await getConversation({ ctx, input });
  await ctx.db.batch([
    ctx.db.update(inboxMessages).set({ unread: false }).where(and(eq(inboxMessages.conversationId, c.id), eq(inboxMessages.orgId, ctx.tenant.orgId))),
    ctx.db.update(conversations).set({ unreadCount: 0 }).where(eq(conversations.id, c.id)),
  ]);
}

export async function addNote({ ctx, input }: { ctx: TenantCtx; input: { id: string; body: string } }) {
  const c = await getConversation({ ctx, input });
  const note = { id: newId(), orgId: c.orgId, workspaceId: c.workspaceId, mailboxId: c.mailboxId, conversationId: c.id, authorId: ctx.tenant.userId, body: input.body, createdAt: ctx.now };
  await ctx.db.insert(inboxNotes).values(note);
  return { id: note.id, body: note.body, authorId: note.authorId, createdAt: note.createdAt };
}

/** The reader shows remote images of this sender from now on. */
export async function allowImagesFrom({ ctx, input }: { ctx: TenantCtx; input: { id: string; sender: string } }) {
  const c = await getConversation({ ctx, input });
  const sender = input.sender.toLowerCase();
  const [known] = await ctx.db.select({ id: inboxMessages.id }).from(inboxMessages)
    .where(and(eq(inboxMessages.conversationId, c.id), eq(inboxMessages.orgId, ctx.tenant.orgId), sql`json_extract(${inboxMessages.from}, '$.address') = ${sender}`)).limit(1);
  if (!known) throw new ApiError("VALIDATION_FAILED", "That sender wrote no message of this conversation", { details: [{ path: "sender", message: "Unknown sender" }] });
  await ctx.db.insert(inboxImageSenders).values({ userId: ctx.tenant.userId, orgId: ctx.tenant.orgId, sender, createdAt: ctx.now }).onConflictDoNothing();
}

export async function attachmentOf({ ctx, input }: { ctx: TenantCtx; input: { id: string; attachmentId: string } }) {
  const c = await getConversation({ ctx, input });
  const [a] = await ctx.db.select({ a: inboxAttachments }).from(inboxAttachments).innerJoin(inboxMessages, eq(inboxMessages.id, inboxAttachments.messageId))
    .where(and(eq(inboxAttachments.id, input.attachmentId), eq(inboxAttachments.orgId, ctx.tenant.orgId), eq(inboxMessages.conversationId, c.id))).limit(1);
  if (!a) throw notFound("Attachment");
  const obj = await ctx.env.FILES.get(a.a.r2Key);
  if (!obj) throw notFound("Attachment");
  return { meta: a.a, body: obj.body };
}

