// Routing rules and the triage of each new inbound message: rules first (a rule that sets a
// category decides it, no AI), AI classification where no rule decided (P04 checks first), then the
// first matching rule with an assignment routes a not-yet-assigned conversation. Every executed rule
// is recorded with why it fired.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { conversations, inboxMessages, inboxRuleRuns, inboxRules, workspaces, type InboxCategory, type RuleAction, type RuleCondition } from "../../db/schema";
import type { Ctx, OrgCtx } from "../../core/context";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { aiAllowedForMany, applyClassification, classificationWrites, classifyManyWithAi, threadsOf, threadUpTo, type Classification } from "./classify";
import { inJson, jsonInsert } from "../../db/json-rows";
import { getTeam, nextAssignee } from "./teams";
import type { RuleBody } from "./routing-schemas";
import { memberships } from "../../db/schema";

type Rule = typeof inboxRules.$inferSelect;
type Message = typeof inboxMessages.$inferSelect;
type Conversation = typeof conversations.$inferSelect;

const fieldOf = (c: RuleCondition, m: Message, category: InboxCategory | null): string[] => {
  switch (c.field) {
    case "from": return [m.from.address, m.from.name ?? ""];
    case "to": return [...m.to, ...m.cc].map((a) => a.address);
    case "subject": return [m.subject];
    case "body": return [m.text];
    case "category": return category ? [category] : [];
  }
};

function holds(c: RuleCondition, m: Message, category: InboxCategory | null): boolean {
  const v = c.value.toLowerCase();
  return fieldOf(c, m, category).some((raw) => {
    const s = raw.toLowerCase();
    if (c.op === "equals") return s === v;
    if (c.op === "domain") return s.endsWith(`@${v.replace(/^@/, "")}`);
    return s.includes(v);
  });
}

const describe = (c: RuleCondition) => `${c.field} ${c.op === "domain" ? "is at" : c.op} "${c.value}"`;

/** Null when the rule does not match; else why it fired. */
export function ruleMatches(rule: Pick<Rule, "conditions" | "name">, m: Message, category: InboxCategory | null): string | null {
  if (!rule.conditions.length) return null;
  if (!rule.conditions.every((c) => holds(c, m, category))) return null;
  return `rule "${rule.name}" fired: ${rule.conditions.map(describe).join(" and ")}`;
}

const usesCategory = (r: Rule) => r.conditions.some((c) => c.field === "category");

async function recordRun(ctx: Ctx, conv: Conversation, rule: Rule | null, messageId: string | null, reason: string, outcome: string) {
  await ctx.db.insert(inboxRuleRuns).values({ id: newId(), orgId: conv.orgId, ruleId: rule?.id ?? null, conversationId: conv.id, messageId, reason, outcome, createdAt: ctx.now });
}

/** Applies a rule's assignment; answers what it did, in words. */
async function applyAction(ctx: Ctx, conv: Conversation, action: RuleAction): Promise<string> {
  if (action.type === "none") return "no assignment";
  if (action.type === "workspace") {
    const [ws] = await ctx.db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(and(eq(workspaces.id, action.workspaceId), eq(workspaces.orgId, conv.orgId))).limit(1);
    if (!ws) return "the target workspace no longer exists; nothing moved";
    await ctx.db.update(conversations).set({ workspaceId: ws.id, updatedAt: ctx.now }).where(eq(conversations.id, conv.id));
    await ctx.db.update(inboxMessages).set({ workspaceId: ws.id }).where(eq(inboxMessages.conversationId, conv.id));
    conv.workspaceId = ws.id;
    return `moved to workspace ${ws.name}`;
  }
  if (action.type === "person") {
    const [m] = await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, conv.orgId), eq(memberships.userId, action.userId))).limit(1);
    if (!m) return "the person is no longer a member; left unassigned";
    await ctx.db.update(conversations).set({ assigneeId: m.id, updatedAt: ctx.now }).where(eq(conversations.id, conv.id));
    conv.assigneeId = m.id;
    return `assigned to ${m.id}`;
  }
  const next = await nextAssignee(ctx, conv.orgId, action.teamId);
  if (next.userId) {
    await ctx.db.update(conversations).set({ assigneeId: next.userId, updatedAt: ctx.now }).where(eq(conversations.id, conv.id));
    conv.assigneeId = next.userId;
    return `assigned to ${next.userId} (${next.reason})`;
  }
  return next.reason;
}

const enabledRules = (ctx: Ctx, orgId: string) =>
  ctx.db.select().from(inboxRules).where(and(eq(inboxRules.orgId, orgId), eq(inboxRules.enabled, true))).orderBy(asc(inboxRules.position), asc(inboxRules.createdAt)).limit(200);

/** `providerMs`: the AI provider's own time for this message (0 when a rule decided or no AI ran). */
export type TriageOutcome = { classification: Classification | null; skippedAi: string | null; routed: string | null; providerMs: number };
const nothing = (): TriageOutcome => ({ classification: null, skippedAi: null, routed: null, providerMs: 0 });

/** Triage of one stored inbound message (the classify route; sync triages its pages with `triageMessages`). */
export async function triageMessage({ ctx, input }: { ctx: Ctx; input: { messageId: string } }): Promise<TriageOutcome> {
  const [msg] = await ctx.db.select().from(inboxMessages).where(eq(inboxMessages.id, input.messageId)).limit(1);
  if (!msg || msg.direction !== "in") return nothing();
  const [conv] = await ctx.db.select().from(conversations).where(eq(conversations.id, msg.conversationId)).limit(1);
  if (!conv) return nothing();
  return (await triageMessages({ ctx, input: { items: [{ msg, conv }] } }))[0]!;
}

/**
 * Triage of stored inbound messages, in order (called after ingest; its caller never lets it fail
 * the sync): a rule that sets a category decides; else AI where P04 allows it; then the first
 * matching rule with an assignment routes a not-yet-assigned conversation. The rules, the P04
 * checks and the routed-already lookups are read once for all the items, and the category writes
 * go as one batch. `conv` objects are updated in place (a thread's second message sees the first's outcome).
 */
export async function triageMessages({ ctx, input }: { ctx: Ctx; input: { items: { msg: Message; conv: Conversation }[]; threads?: Map<string, Message[]> } }): Promise<TriageOutcome[]> {
  const items = input.items.filter((i) => i.msg.direction === "in");
  const out = new Map<Message, TriageOutcome>();
  const rulesOf = new Map<string, Rule[]>();
  for (const orgId of new Set(items.map((i) => i.conv.orgId))) rulesOf.set(orgId, await enabledRules(ctx, orgId));

  const runs: (typeof inboxRuleRuns.$inferInsert)[] = [];
  const run = (conv: Conversation, rule: Rule | null, messageId: string | null, reason: string, outcome: string) =>
    runs.push({ id: newId(), orgId: conv.orgId, ruleId: rule?.id ?? null, conversationId: conv.id, messageId, reason, outcome, createdAt: ctx.now });

  // Rules that set a category decide without AI.
  const byRule = new Map<Message, Classification>();
  for (const { msg, conv } of items) {
    for (const r of rulesOf.get(conv.orgId) ?? []) {
      if (!r.setCategory || usesCategory(r)) continue;
      const why = ruleMatches(r, msg, null);
      if (!why) continue;
      byRule.set(msg, { category: r.setCategory, priority: conv.priority, summary: msg.snippet.slice(0, 200) || conv.subject, source: "rule", reason: why, model: `rule:${r.id}` });
      run(conv, r, msg.id, why, `category set to ${r.setCategory}`);
      break;
    }
  }
  // AI where no rule decided and P04 allows it: each message with its own thread only.
  const forAi = items.filter((i) => !byRule.has(i.msg));
  // Threads the caller holds whole (a conversation the synced page created) are not read back.
  const threads = new Map(input.threads ?? []);
  for (const [id, th] of await threadsOf(ctx, forAi.map((i) => i.conv).filter((c) => !threads.has(c.id)))) threads.set(id, th);
  const allowed = await aiAllowedForMany(ctx, forAi.map(({ msg, conv }) => ({ conv, thread: threadUpTo(threads.get(conv.id) ?? [], msg) })));
  const ai = forAi.filter((_, i) => allowed[i]!.ok);
  const answers = await classifyManyWithAi(ctx, ai.map(({ msg, conv }) => ({ msg, conv, thread: threadUpTo(threads.get(conv.id) ?? [], msg) }))).catch((err: Error) => ai.map(() => ({ c: err, providerMs: 0 })));
  const answerOf = new Map(ai.map((it, i) => [it.msg, answers[i]!]));
  const byAi = forAi.map(({ msg }, i): { c: Classification | null; skipped: string | null; providerMs: number } => {
    const ok = allowed[i]!;
    if (!ok.ok) return { c: null, skipped: ok.reason, providerMs: 0 };
    const { c: a, providerMs } = answerOf.get(msg)!;
    return a instanceof Error ? { c: null, skipped: `AI classification failed: ${a.message}`, providerMs } : { c: a, skipped: null, providerMs };
  });
  const aiOf = new Map(forAi.map((it, i) => [it.msg, byAi[i]!]));

  const classified: { conv: Conversation; msg: Message; c: Classification }[] = [];
  const touched = new Map<string, Conversation>();
  for (const { msg, conv } of items) {
    const classification = byRule.get(msg) ?? aiOf.get(msg)?.c ?? null;
    const skippedAi = byRule.has(msg) ? null : (aiOf.get(msg)?.skipped ?? null);
    if (classification) {
      applyClassification(conv, classification);
      classified.push({ conv, msg, c: classification });
      touched.set(conv.id, conv);
    } else if (skippedAi) {
      conv.categoryReason = skippedAi;
      touched.set(conv.id, conv);
    }
    out.set(msg, { classification, skippedAi, routed: null, providerMs: aiOf.get(msg)?.providerMs ?? 0 });
  }
  const statements = [...classificationWrites(ctx, classified, [...touched.values()]), ...jsonInsert(ctx.env.DB, inboxRuleRuns, runs.splice(0))];
  if (statements.length) await ctx.env.DB.batch(statements);

  // Routing: the first matching rule with an assignment, once per conversation.
  const unassigned = [...new Set(items.filter((i) => !i.conv.assigneeId).map((i) => i.conv.id))];
  const routedAlready = new Set<string>();
  if (unassigned.length) for (const r of await ctx.db.select({ c: inboxRuleRuns.conversationId }).from(inboxRuleRuns).where(and(eq(inboxRuleRuns.outcome, "routed"), inJson(inboxRuleRuns.conversationId, unassigned)))) routedAlready.add(r.c);
  for (const { msg, conv } of items) {
    if (conv.assigneeId || routedAlready.has(conv.id)) continue;
    const o = out.get(msg)!;
    for (const r of rulesOf.get(conv.orgId) ?? []) {
      if (r.action.type === "none") continue;
      const why = ruleMatches(r, msg, o.classification?.category ?? null);
      if (!why) continue;
      const did = await applyAction(ctx, conv, r.action);
      o.routed = `${why}; ${did}`;
      await recordRun(ctx, conv, r, msg.id, o.routed, "routed");
      routedAlready.add(conv.id);
      break;
    }
  }
  return input.items.map((i) => out.get(i.msg) ?? nothing());
}

// ---- rule CRUD (organization settings)

export const ruleView = (r: Rule) => ({ id: r.id, name: r.name, position: r.position, enabled: r.enabled, conditions: r.conditions, action: r.action, setCategory: r.setCategory, updatedAt: r.updatedAt });

export async function listRules({ ctx }: { ctx: OrgCtx }) {
  return (await ctx.db.select().from(inboxRules).where(eq(inboxRules.orgId, ctx.org.orgId)).orderBy(asc(inboxRules.position), asc(inboxRules.createdAt)).limit(200)).map(ruleView);
}

async function assertTarget(ctx: OrgCtx, action: RuleAction) {
  const bad = (message: string) => new ApiError("VALIDATION_FAILED", message, { details: [{ path: "action", message }] });
  if (action.type === "workspace") {
    const [ws] = await ctx.db.select({ id: workspaces.id }).from(workspaces).where(and(eq(workspaces.id, action.workspaceId), eq(workspaces.orgId, ctx.org.orgId))).limit(1);
    if (!ws) throw bad("The workspace is not one of this organization's");
  } else if (action.type === "person") {
    const [m] = await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, ctx.org.orgId), eq(memberships.userId, action.userId))).limit(1);
    if (!m) throw bad("The person is not a member of this organization");
  } else if (action.type === "team") {
    await getTeam(ctx, ctx.org.orgId, action.teamId).catch(() => {
      throw bad("The team is not one of this organization's");
    });
  }
}

export async function getRule(ctx: Ctx, orgId: string, id: string): Promise<Rule> {
  const [r] = await ctx.db.select().from(inboxRules).where(and(eq(inboxRules.id, id), eq(inboxRules.orgId, orgId))).limit(1);
  if (!r) throw notFound("Rule");
  return r;
}

export async function saveRule({ ctx, input }: { ctx: OrgCtx; input: RuleBody & { id?: string } }) {
  await assertTarget(ctx, input.action);
  if (input.setCategory && input.conditions.some((c) => c.field === "category")) throw new ApiError("VALIDATION_FAILED", "A rule that sets the category cannot also test it", { details: [{ path: "setCategory", message: "Conflicts with a category condition" }] });
  if (input.id) {
    const r = await getRule(ctx, ctx.org.orgId, input.id);
    await ctx.db.update(inboxRules).set({ name: input.name, enabled: input.enabled, conditions: input.conditions, action: input.action, setCategory: input.setCategory ?? null, position: input.position ?? r.position, updatedAt: ctx.now })
      .where(and(eq(inboxRules.id, r.id), eq(inboxRules.orgId, ctx.org.orgId)));
    return ruleView(await getRule(ctx, ctx.org.orgId, r.id));
  }
  const [last] = await ctx.db.select({ p: inboxRules.position }).from(inboxRules).where(eq(inboxRules.orgId, ctx.org.orgId)).orderBy(desc(inboxRules.position)).limit(1);
  const row = { id: newId(), orgId: ctx.org.orgId, name: input.name, position: input.position ?? (last?.p ?? 0) + 1, enabled: input.enabled, conditions: input.conditions, action: input.action, setCategory: input.setCategory ?? null, createdBy: ctx.org.userId, createdAt: ctx.now, updatedAt: ctx.now };
  await ctx.db.insert(inboxRules).values(row);
  return ruleView(row);
}

export async function deleteRule({ ctx, input }: { ctx: OrgCtx; input: { id: string } }) {
  const r = await getRule(ctx, ctx.org.orgId, input.id);
  await ctx.db.delete(inboxRules).where(and(eq(inboxRules.id, r.id), eq(inboxRules.orgId, ctx.org.orgId)));
}

/** Why rules acted on a conversation, newest first. */
export async function ruleRunsOf(ctx: Ctx, orgId: string, conversationIds: string[]) {
  if (!conversationIds.length) return [];
  return ctx.db.select().from(inboxRuleRuns).where(and(eq(inboxRuleRuns.orgId, orgId), inArray(inboxRuleRuns.conversationId, conversationIds))).orderBy(desc(inboxRuleRuns.createdAt)).limit(50);
}
