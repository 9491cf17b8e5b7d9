// Classification of inbound mail: lead, client request, support, billing, newsletter, spam, other,
// with a priority and a one-line summary. A routing rule that sets a category decides without AI;
// otherwise the AI engine classifies (usage logged as agent "inbox_classify").
// P04: no AI when the organization, the mailbox's owner or any correspondent of the thread who is
// a QWEB user restricted processing or objected; the provider sees only this one thread.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { conversations, inboxClassifications, inboxMessages, mailboxes, users, inboxCategories, priorities, type InboxCategory } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { inChunks } from "../../db/chunk";
import { jsonInsert } from "../../db/json-rows";
import { processingAllowed } from "../../core/restrictions";
import { generateStructured, generateStructuredMany, type StructuredResult } from "../ai";

type Message = typeof inboxMessages.$inferSelect;
type Conversation = typeof conversations.$inferSelect;
export type Classification = { category: InboxCategory; priority: (typeof priorities)[number]; summary: string; source: "rule" | "ai"; reason: string; model: string };

export const classificationSchema = z.object({
  category: z.enum(inboxCategories),
  priority: z.enum(priorities),
  summary: z.string().min(1).max(200),
  reason: z.string().min(1).max(300),
});

const THREAD_MESSAGES = 20;
const BODY_CHARS = 4000;

/** The one thread the provider may see: this conversation's messages, nothing else. */
export async function threadOf(ctx: Ctx, conv: Pick<Conversation, "id" | "orgId">): Promise<Message[]> {
  const rows = await ctx.db.select().from(inboxMessages).where(and(eq(inboxMessages.conversationId, conv.id), eq(inboxMessages.orgId, conv.orgId))).orderBy(asc(inboxMessages.date));
  return rows.slice(-THREAD_MESSAGES);
}

export function threadText(conv: Pick<Conversation, "subject">, msgs: Message[]): string {
  return [`Subject: ${conv.subject}`, ...msgs.map((m) => `--- ${m.direction === "in" ? "From" : "We wrote, as"} ${m.from.name ? `${m.from.name} ` : ""}<${m.from.address}> on ${new Date(m.date).toISOString()}\n${m.text.slice(0, BODY_CHARS)}`)].join("\n\n");
}

/** Every message of these conversations, oldest first, by conversation (to cut each message's thread from). */
export async function threadsOf(ctx: Ctx, convs: Pick<Conversation, "id" | "orgId">[]): Promise<Map<string, Message[]>> {
  const out = new Map<string, Message[]>();
  const byOrg = new Map<string, string[]>();
  for (const c of convs) byOrg.set(c.orgId, [...new Set([...(byOrg.get(c.orgId) ?? []), c.id])]);
  for (const [orgId, ids] of byOrg) {
    for (const chunk of inChunks(ids, 1)) {
      const rows = await ctx.db.select().from(inboxMessages).where(and(eq(inboxMessages.orgId, orgId), inArray(inboxMessages.conversationId, chunk))).orderBy(asc(inboxMessages.date));
      for (const m of rows) out.set(m.conversationId, [...(out.get(m.conversationId) ?? []), m]);
    }
  }
  return out;
}

/** The thread as of one message: the messages up to it (by date), the newest THREAD_MESSAGES. */
export const threadUpTo = (thread: Message[], msg: Pick<Message, "id" | "date">): Message[] => {
  const upTo = thread.filter((m) => m.date <= msg.date || m.id === msg.id);
  return upTo.slice(-THREAD_MESSAGES);
};

type AiAllowed = { ok: true } | { ok: false; reason: string };
const correspondents = (conv: Pick<Conversation, "participants">, msgs: Message[]) =>
  [...new Set([...conv.participants.map((p) => p.address), ...msgs.flatMap((m) => [m.from.address, ...m.to.map((a) => a.address), ...m.cc.map((a) => a.address)])].map((a) => a.toLowerCase()))].slice(0, 90);

/**
 * P04, for several threads at once: whether personal data of each may go to an AI provider, and
 * if not, why. The organization and each mailbox owner are checked once, the correspondents who
 * are QWEB users are looked up together.
 */
export async function aiAllowedForMany(ctx: Ctx, threads: { conv: Pick<Conversation, "orgId" | "mailboxId" | "participants">; thread: Message[] }[]): Promise<AiAllowed[]> {
  const ownerOk = new Map<string, boolean>();
  for (const key of new Set(threads.map((t) => `${t.conv.orgId}|${t.conv.mailboxId}`))) {
    const [orgId, mailboxId] = key.split("|") as [string, string];
    const [mb] = await ctx.db.select({ connectedBy: mailboxes.connectedBy }).from(mailboxes).where(eq(mailboxes.id, mailboxId)).limit(1);
    ownerOk.set(key, await processingAllowed(ctx.db, { orgId, userId: mb?.connectedBy ?? null }, "ai"));
  }
  const addressesOf = threads.map((t) => correspondents(t.conv, t.thread));
  const people = new Map<string, string>();
  for (const chunk of inChunks([...new Set(addressesOf.flat())])) {
    for (const u of await ctx.db.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.email, chunk), isNull(users.deletedAt)))) people.set(u.email.toLowerCase(), u.id);
  }
  const personOk = new Map<string, boolean>();
  for (const id of new Set(people.values())) personOk.set(id, await processingAllowed(ctx.db, { userId: id }, "ai"));
  return threads.map((t, i): AiAllowed => {
    if (!ownerOk.get(`${t.conv.orgId}|${t.conv.mailboxId}`)) return { ok: false, reason: "AI processing is off: the organization or the mailbox's owner restricted or objected to processing" };
    const blocked = addressesOf[i]!.some((a) => people.has(a) && !personOk.get(people.get(a)!));
    return blocked ? { ok: false, reason: "AI processing is off: a person in this conversation restricted or objected to processing in the privacy center" } : { ok: true };
  });
}

/** P04: whether personal data of this thread may go to an AI provider, and if not, why. */
export async function aiAllowedFor(ctx: Ctx, conv: Pick<Conversation, "orgId" | "mailboxId" | "participants">, msgs: Message[]): Promise<AiAllowed> {
  return (await aiAllowedForMany(ctx, [{ conv, thread: msgs }]))[0]!;
}

const has = (s: string, words: RegExp) => words.test(s);

/** The built-in provider's classifier: keyword cues, deterministic. */
export function localClassification(conv: Pick<Conversation, "subject">, msg: Pick<Message, "text" | "headers" | "from" | "labelIds">): z.infer<typeof classificationSchema> {
  const text = `${conv.subject}\n${msg.text}`.toLowerCase();
  const first = msg.text.replace(/\s+/g, " ").trim();
  const summary = `${msg.from.name ?? msg.from.address}: ${(first || conv.subject).slice(0, 140)}`;
  const out = (category: InboxCategory, priority: (typeof priorities)[number], reason: string) => ({ category, priority, summary: summary.slice(0, 200), reason });
  if (has(text, /\b(viagra|crypto giveaway|you have won|lottery|wire transfer|claim your prize|casino)\b/)) return out("spam", "low", "Typical spam wording");
  if (msg.headers["list-unsubscribe"] || msg.labelIds.includes("CATEGORY_PROMOTIONS") || has(text, /\bunsubscribe\b|\bnewsletter\b|\bweekly digest\b/)) return out("newsletter", "low", "Bulk mail with an unsubscribe link");
  if (has(text, /\binvoice\b|\bpayment\b|\breceipt\b|\brefund\b|\bbilling\b|\boverdue\b/)) return out("billing", has(text, /overdue|urgent/) ? "high" : "normal", "Mentions invoices or payments");
  if (has(text, /\bquote\b|\bpricing\b|\bproposal\b|\binterested in\b|\bnew project\b|\bhire\b|\bbudget\b/)) return out("lead", "high", "Asks about a new project, pricing or a quote");
  if (has(text, /\bbroken\b|\berror\b|\bnot working\b|\bbug\b|\bhelp\b|\bissue\b|\bproblem\b/)) return out("support", has(text, /urgent|asap|down/) ? "urgent" : "normal", "Reports a problem or asks for help");
  if (has(text, /\bcould you\b|\bplease\b|\bfollowing up\b|\bcan you\b|\bchange\b|\bupdate\b|\bdeadline\b/)) return out("client_request", "normal", "Asks for a change or a task");
  return out("other", "normal", "No clear cue");
}

const SYSTEM = "You triage a team inbox. Classify the newest inbound email of the thread into exactly one category: lead (a possible new client or project), client_request (an existing client asks for work), support, billing, newsletter, spam or other. Give a priority (low, normal, high, urgent), a one-line summary of what the sender wants (no more than 20 words) and a short reason. Answer only with the requested structure.";

const taskOf = (conv: Conversation, msg: Message, thread: Message[]) => ({
  task: "inbox_classify", key: `inbox-classify:${msg.id}`, system: SYSTEM,
  prompt: `Thread (oldest first):\n\n${threadText(conv, thread)}\n\nClassify the newest message from ${msg.from.address}.`,
  schema: classificationSchema, maxTokens: 400, local: () => localClassification(conv, msg),
});
const fromAnswer = (r: StructuredResult<z.infer<typeof classificationSchema>>): Classification =>
  ({ category: r.data.category, priority: r.data.priority, summary: r.data.summary, source: "ai", reason: r.data.reason, model: `${r.provider}:${r.model}` });

/** Classifies one inbound message with AI (never called when a rule decided). */
export async function classifyWithAi(ctx: Ctx, conv: Conversation, msg: Message, thread: Message[]): Promise<Classification> {
  return fromAnswer(await generateStructured(ctx.env, ctx.db, { orgId: conv.orgId, workspaceId: conv.workspaceId }, taskOf(conv, msg, thread), () => ctx.now));
}

/**
 * Classifies several inbound messages with AI, each with its own thread only, through the AI
 * engine's batch (one settings/budget read and one usage write per workspace). Each answer is the
 * classification or the error that stopped it, in order, with the provider's own time.
 */
export async function classifyManyWithAi(ctx: Ctx, items: { conv: Conversation; msg: Message; thread: Message[] }[]): Promise<{ c: Classification | Error; providerMs: number }[]> {
  const out = new Array<{ c: Classification | Error; providerMs: number }>(items.length);
  const byScope = new Map<string, number[]>();
  items.forEach((it, i) => byScope.set(`${it.conv.orgId}|${it.conv.workspaceId}`, [...(byScope.get(`${it.conv.orgId}|${it.conv.workspaceId}`) ?? []), i]));
  for (const [key, idx] of byScope) {
    const [orgId, workspaceId] = key.split("|") as [string, string];
    const answers = await generateStructuredMany(ctx.env, ctx.db, { orgId, workspaceId }, idx.map((i) => taskOf(items[i]!.conv, items[i]!.msg, items[i]!.thread)), () => ctx.now);
    answers.forEach((a, j) => (out[idx[j]!] = a instanceof Error ? { c: a, providerMs: 0 } : { c: fromAnswer(a), providerMs: a.providerMs }));
  }
  return out;
}

const rank = (p: string) => priorities.indexOf(p as (typeof priorities)[number]);

/** What a classification sets on its conversation, applied in place: it raises the priority, never lowers one a person set. */
export function applyClassification(conv: Conversation, c: Classification) {
  Object.assign(conv, { category: c.category, summary: c.summary, categoryReason: `${c.source === "rule" ? "Rule" : "AI"}: ${c.reason}`, categoryModel: c.model });
  if (rank(c.priority) > rank(conv.priority)) conv.priority = c.priority;
}

/**
 * The writes of a triaged page (the caller batches them): each classification on its message
 * (replacing an earlier one), and each touched conversation's category, summary, reason, model
 * and priority as `applyClassification` left them. Raw SQL by measurement (bench/inbox.bench.mjs):
 * two Drizzle statements per message cost more than classifying it.
 */
export function classificationWrites(ctx: Ctx, classified: { conv: Conversation; msg: Message; c: Classification }[], convs: Conversation[]): D1PreparedStatement[] {
  const rows = classified.map(({ conv, msg, c }) => ({
    messageId: msg.id, orgId: conv.orgId, workspaceId: conv.workspaceId, mailboxId: conv.mailboxId, conversationId: conv.id,
    category: c.category, priority: c.priority, summary: c.summary, source: c.source, reason: c.reason, model: c.model, createdAt: ctx.now,
  }));
  const upsert = "ON CONFLICT(message_id) DO UPDATE SET category = excluded.category, priority = excluded.priority, summary = excluded.summary, source = excluded.source, reason = excluded.reason, model = excluded.model, created_at = excluded.created_at";
  const out = jsonInsert(ctx.env.DB, inboxClassifications, rows, upsert);
  for (let i = 0; i < convs.length; i += 500) {
    const part = convs.slice(i, i + 500).map((c) => [c.id, c.category, c.summary, c.categoryReason, c.categoryModel, c.priority]);
    out.push(ctx.env.DB.prepare(
      `UPDATE conversations SET category = coalesce(j.value ->> 1, category), summary = coalesce(j.value ->> 2, summary), category_reason = coalesce(j.value ->> 3, category_reason),
         category_model = coalesce(j.value ->> 4, category_model), priority = coalesce(j.value ->> 5, priority), updated_at = ?2
       FROM json_each(?1) AS j WHERE conversations.id = j.value ->> 0`,
    ).bind(JSON.stringify(part), ctx.now));
  }
  return out;
}
