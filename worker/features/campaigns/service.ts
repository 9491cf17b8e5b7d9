import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Ctx, TenantCtx } from "../../core/context";
import { actions, audiences, campaignDrafts, emailCampaigns, generatedContent, integrations, workspaces } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { bodyFromContent } from "./content";
import { opsFor, type CampaignOps, type Draft, type Ids } from "./provider";
import { EMAIL_PROVIDERS, type CampaignView, type CreateInput, type UpdateInput } from "./schemas";

export type CampaignRow = typeof campaignDrafts.$inferSelect;
type Scope = { orgId: string; workspaceId: string };
type Provider = (typeof EMAIL_PROVIDERS)[number];

/** A creation older than this without an answer is considered lost: the next try looks it up first. */
const ATTEMPT_STALE_MS = 60_000;
const MIN_LEAD_MS = 5 * 60_000;
const MAX_AHEAD_MS = 365 * 86_400_000;
const QUARTER_MS = 15 * 60_000;

export async function campaignRow(ctx: Ctx, scope: Scope, id: string): Promise<CampaignRow> {
  const [row] = await ctx.db
    .select()
    .from(campaignDrafts)
    .where(and(eq(campaignDrafts.id, id), eq(campaignDrafts.orgId, scope.orgId), eq(campaignDrafts.workspaceId, scope.workspaceId)))
    .limit(1);
  if (!row) throw notFound("Campaign");
  return row;
}

async function emailIntegration(ctx: TenantCtx, id: string) {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.orgId, ctx.tenant.orgId), eq(integrations.workspaceId, ctx.tenant.workspaceId), isNull(integrations.disconnectedAt), inArray(integrations.provider, [...EMAIL_PROVIDERS])))
    .limit(1);
  if (!row) throw notFound("Email integration");
  return row;
}

/** The internal campaign name at the provider carries our reference, so a lost creation can be found. */
const providerName = (row: Pick<CampaignRow, "name" | "providerRef">) => `${row.name} (QWEB ${row.providerRef})`;
const draftOf = (row: CampaignRow): Draft => ({
  name: providerName(row), subject: row.subject, preheader: row.preheader, fromName: row.fromName, replyTo: row.replyTo, html: row.bodyHtml, text: row.bodyText, listId: row.listId,
});
const idsOf = (row: CampaignRow): Ids => ({ campaignId: row.providerCampaignId!, messageId: row.providerMessageId, templateId: row.providerTemplateId });

// ---------------------------------------------------------------- reads

async function resultsFor(ctx: Ctx, rows: CampaignRow[]) {
  const wanted = rows.filter((r) => r.providerCampaignId);
  const out = new Map<string, typeof emailCampaigns.$inferSelect>();
  for (const integrationId of new Set(wanted.map((r) => r.integrationId))) {
    const ids = wanted.filter((r) => r.integrationId === integrationId).map((r) => r.providerCampaignId!);
    for (let i = 0; i < ids.length; i += 90) {
      const got = await ctx.db.select().from(emailCampaigns).where(and(eq(emailCampaigns.integrationId, integrationId), inArray(emailCampaigns.providerId, ids.slice(i, i + 90))));
      for (const g of got) out.set(`${integrationId}|${g.providerId}`, g);
    }
  }
  return out;
}

export const CAMPAIGN_SUBJECT = "email_campaign";
const OPEN_ACTION = ["proposed", "approved", "scheduled", "running"] as const;
type Pending = CampaignView["pendingAction"];

/** The open send_campaign action of each campaign (at most one: requestSend refuses a second). */
export async function pendingActions(ctx: Ctx, scope: Scope, ids: string[]): Promise<Map<string, NonNullable<Pending>>> {
  const out = new Map<string, NonNullable<Pending>>();
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await ctx.db
      .select({ id: actions.id, subjectId: actions.subjectId, state: actions.state, scheduledFor: actions.scheduledFor })
      .from(actions)
      .where(and(eq(actions.orgId, scope.orgId), eq(actions.workspaceId, scope.workspaceId), eq(actions.kind, "send_campaign"), eq(actions.subjectType, CAMPAIGN_SUBJECT), inArray(actions.subjectId, ids.slice(i, i + 90)), inArray(actions.state, [...OPEN_ACTION])));
    for (const r of rows) out.set(r.subjectId, { id: r.id, state: r.state as (typeof OPEN_ACTION)[number], scheduledFor: r.scheduledFor });
  }
  return out;
}

function viewOf(row: CampaignRow, synced: typeof emailCampaigns.$inferSelect | undefined, pending: Pending = null): CampaignView {
  const sentBySync = synced?.sentAt ?? null;
  // Approved for later: QWEB's runner holds the schedule until its time.
  const waitingForTime = pending && pending.state !== "proposed" && pending.scheduledFor !== null && row.state !== "sent";
  const state = row.state === "scheduled" && sentBySync ? "sent" : waitingForTime ? "scheduled" : row.state;
  return {
    id: row.id, workspaceId: row.workspaceId, integrationId: row.integrationId, provider: row.provider as Provider, name: row.name, subject: row.subject, preheader: row.preheader,
    fromName: row.fromName, replyTo: row.replyTo, bodyHtml: row.bodyHtml, bodyText: row.bodyText, listId: row.listId, listName: row.listName, contentId: row.contentId, state,
    providerCampaignId: row.providerCampaignId, scheduledFor: waitingForTime ? pending.scheduledFor : row.scheduledFor, sentAt: row.sentAt ?? sentBySync, testSentTo: row.testSentTo, testSentAt: row.testSentAt, lastError: row.lastError,
    results: synced
      ? {
          recipients: synced.recipients, delivered: synced.delivered, opens: synced.opens, clicks: synced.clicks, bounces: synced.bounces, unsubscribes: synced.unsubscribes,
          openRate: synced.delivered ? synced.opens / synced.delivered : null, clickRate: synced.delivered ? synced.clicks / synced.delivered : null, syncedAt: synced.updatedAt,
        }
      : null,
    pendingAction: pending,
    createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

export async function campaignView(ctx: Ctx, row: CampaignRow): Promise<CampaignView> {
  const r = await resultsFor(ctx, [row]);
  const p = await pendingActions(ctx, row, [row.id]);
  return viewOf(row, r.get(`${row.integrationId}|${row.providerCampaignId}`), p.get(row.id) ?? null);
}

export async function listCampaigns({ ctx, input }: { ctx: TenantCtx; input: { integrationId?: string } }) {
  const where = [eq(campaignDrafts.orgId, ctx.tenant.orgId), eq(campaignDrafts.workspaceId, ctx.tenant.workspaceId)];
  if (input.integrationId) where.push(eq(campaignDrafts.integrationId, input.integrationId));
  const rows = await ctx.db.select().from(campaignDrafts).where(and(...where)).orderBy(desc(campaignDrafts.createdAt)).limit(200);
  const r = await resultsFor(ctx, rows);
  const p = await pendingActions(ctx, ctx.tenant, rows.map((x) => x.id));
  return rows.map((row) => {
    const { bodyHtml: _h, bodyText: _t, ...rest } = viewOf(row, r.get(`${row.integrationId}|${row.providerCampaignId}`), p.get(row.id) ?? null);
    return rest;
  });
}

export async function getCampaign({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  return campaignView(ctx, await campaignRow(ctx, ctx.tenant, input.id));
}

/** The workspace's email accounts with their lists: synced ones, else asked live. */
export async function listAudiences({ ctx }: { ctx: TenantCtx }) {
  const [ws] = await ctx.db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, ctx.tenant.workspaceId), eq(workspaces.orgId, ctx.tenant.orgId))).limit(1);
  const rows = await ctx.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.orgId, ctx.tenant.orgId), eq(integrations.workspaceId, ctx.tenant.workspaceId), isNull(integrations.disconnectedAt), inArray(integrations.provider, [...EMAIL_PROVIDERS])));
  const out = [];
  for (const i of rows) {
    const synced = await ctx.db.select().from(audiences).where(and(eq(audiences.integrationId, i.id), eq(audiences.workspaceId, ctx.tenant.workspaceId))).orderBy(audiences.name);
    let lists = synced.map((a) => ({ id: a.providerId, name: a.name, memberCount: a.memberCount as number | null }));
    let source: "synced" | "live" = "synced";
    if (!lists.length && i.status === "active") {
      source = "live";
      lists = await opsFor(ctx.env, i.id)
        .then((ops) => ops.lists())
        .then((l) => l.map((x) => ({ ...x, memberCount: null })))
        .catch(() => []);
    }
    out.push({ id: i.id, provider: i.provider as Provider, label: i.label, status: i.status, lists, source });
  }
  return { integrations: out, timeZone: ws?.timeZone ?? "UTC" };
}

/** The list's name, from the synced lists or (not synced yet) the provider; unknown → 422. */
async function resolveList(ctx: TenantCtx, integrationId: string, listId: string): Promise<string> {
  const [hit] = await ctx.db.select({ name: audiences.name }).from(audiences).where(and(eq(audiences.integrationId, integrationId), eq(audiences.providerId, listId), eq(audiences.workspaceId, ctx.tenant.workspaceId))).limit(1);
  if (hit) return hit.name;
  const live = await (await opsFor(ctx.env, integrationId)).lists();
  const found = live.find((l) => l.id === listId);
  if (!found) throw new ApiError("UNPROCESSABLE", "That list or audience does not exist in the connected account", { details: { field: "listId" } });
  return found.name;
}

// ---------------------------------------------------------------- drafts

/** The workspace's AI email content item (another workspace's answers 404, another kind 422). */
async function emailContent(ctx: TenantCtx, id: string) {
  const [item] = await ctx.db
    .select()
    .from(generatedContent)
    .where(and(eq(generatedContent.id, id), eq(generatedContent.orgId, ctx.tenant.orgId), eq(generatedContent.workspaceId, ctx.tenant.workspaceId)))
    .limit(1);
  if (!item) throw notFound("Content");
  if (item.kind !== "email_campaign") throw new ApiError("UNPROCESSABLE", "That content item is not an email campaign", { details: { field: "contentId" } });
  return item;
}

/** What a campaign made from an AI email would hold (the editor fills its fields with it before saving). */
export async function draftFromContent({ ctx, input }: { ctx: TenantCtx; input: { contentId: string } }) {
  const item = await emailContent(ctx, input.contentId);
  const d = bodyFromContent(item.title, item.body);
  return { contentId: item.id, title: item.title, subject: d.subject, preheader: d.preheader, bodyHtml: d.html, bodyText: d.text };
}

export async function createCampaign({ ctx, input }: { ctx: TenantCtx; input: CreateInput }) {
  const integration = await emailIntegration(ctx, input.integrationId);
  const item = input.contentId ? await emailContent(ctx, input.contentId) : null;
  const fromContent = item ? bodyFromContent(item.title, item.body) : null;
  const subject = input.subject ?? fromContent?.subject;
  const bodyHtml = input.bodyHtml?.trim() ? input.bodyHtml : fromContent?.html;
  if (!subject || !bodyHtml) throw new ApiError("UNPROCESSABLE", "The campaign needs a subject and a body");
  const listName = await resolveList(ctx, integration.id, input.listId);
  const id = newId();
  const row: typeof campaignDrafts.$inferInsert = {
    id, orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, integrationId: integration.id, provider: integration.provider,
    name: input.name ?? subject.slice(0, 100), subject, preheader: input.preheader ?? fromContent?.preheader ?? "", fromName: input.fromName, replyTo: input.replyTo,
    bodyHtml, bodyText: input.bodyText ?? (input.bodyHtml ? htmlToText(bodyHtml) : (fromContent?.text ?? htmlToText(bodyHtml))), listId: input.listId, listName,
    contentId: input.contentId ?? null, state: "draft", providerRef: id.replace(/-/g, "").slice(0, 10), createdBy: ctx.tenant.userId, createdAt: ctx.now, updatedAt: ctx.now,
  };
  await ctx.db.insert(campaignDrafts).values(row);
  return campaignView(ctx, await campaignRow(ctx, ctx.tenant, id));
}

export async function updateCampaign({ ctx, input }: { ctx: TenantCtx; input: { id: string; patch: UpdateInput } }) {
  const row = await campaignRow(ctx, ctx.tenant, input.id);
  if (row.state !== "draft" && row.state !== "test_sent" && row.state !== "failed") throw new ApiError("CONFLICT", `A ${row.state} campaign cannot be edited; cancel its schedule first`);
  if ((await pendingActions(ctx, row, [row.id])).has(row.id)) throw new ApiError("CONFLICT", "This campaign's send waits for approval or its time; cancel it before editing");
  const { contentId, ...p } = input.patch;
  if (contentId) await emailContent(ctx, contentId);
  const listName = p.listId && p.listId !== row.listId ? await resolveList(ctx, row.integrationId, p.listId) : undefined;
  const set: Partial<CampaignRow> = { ...p, ...(contentId ? { contentId } : {}), version: row.version + 1, updatedAt: ctx.now };
  if (listName) set.listName = listName;
  if (p.bodyHtml !== undefined && p.bodyText === undefined) set.bodyText = htmlToText(p.bodyHtml);
  const [done] = await ctx.db
    .update(campaignDrafts)
    .set(set)
    .where(and(eq(campaignDrafts.id, row.id), eq(campaignDrafts.orgId, row.orgId), eq(campaignDrafts.version, row.version)))
    .returning({ id: campaignDrafts.id });
  if (!done) throw new ApiError("CONFLICT", "Someone else changed this campaign at the same time; reload it");
  return campaignView(ctx, await campaignRow(ctx, row, row.id));
}

// ---------------------------------------------------------------- at the provider

const fresh = (ctx: Ctx, row: CampaignRow) => campaignRow(ctx, row, row.id);

async function setRow(ctx: Ctx, row: CampaignRow, set: Partial<CampaignRow>) {
  await ctx.db.update(campaignDrafts).set({ ...set, updatedAt: ctx.now }).where(and(eq(campaignDrafts.id, row.id), eq(campaignDrafts.orgId, row.orgId)));
}

/**
 * Makes sure the provider has the campaign with the current content. Creation is idempotent: the
 * attempt is claimed in D1 before the call, the provider's ids are stored the moment it answers,
 * and a retry after a lost answer finds the campaign by its reference instead of creating another.
 */
export async function ensureAtProvider(ctx: Ctx, row: CampaignRow, ops: CampaignOps): Promise<CampaignRow> {
  if (!row.providerCampaignId && row.createAttempt) {
    const found = await ops.find(row.providerRef, row.createAttemptAt ?? ctx.now);
    if (found) {
      await setRow(ctx, row, { providerCampaignId: found.campaignId, providerMessageId: found.messageId, createAttempt: null });
      row = await fresh(ctx, row);
    }
  }
  if (!row.providerCampaignId) {
    const attempt = newId();
    const previous = row.createAttempt;
    // An attempt still waiting for its answer (not "done:") belongs to a request in flight.
    if (previous && !previous.startsWith("done:") && (row.createAttemptAt ?? 0) > ctx.now - ATTEMPT_STALE_MS)
      throw new ApiError("CONFLICT", "This campaign is being created at the provider right now; try again in a moment");
    const [claimed] = await ctx.db
      .update(campaignDrafts)
      .set({ createAttempt: attempt, createAttemptAt: ctx.now })
      .where(
        and(
          eq(campaignDrafts.id, row.id),
          eq(campaignDrafts.orgId, row.orgId),
          isNull(campaignDrafts.providerCampaignId),
          previous ? eq(campaignDrafts.createAttempt, previous) : isNull(campaignDrafts.createAttempt),
        ),
      )
      .returning({ id: campaignDrafts.id });
    if (!claimed) throw new ApiError("CONFLICT", "This campaign is being created at the provider right now; try again in a moment");
    let ids: Ids;
    try {
      ids = await ops.create(draftOf(row));
    } catch (err) {
      // A refusal created nothing: forget the attempt. Anything else may have: keep it for the lookup.
      if (err instanceof ApiError && err.status < 500 && err.code !== "RATE_LIMITED") await setRow(ctx, row, { createAttempt: null, lastError: err.message });
      else await setRow(ctx, row, { createAttempt: `done:${attempt}`, lastError: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    await setRow(ctx, row, { providerCampaignId: ids.campaignId, providerMessageId: ids.messageId, createAttempt: null, lastError: null });
    row = await fresh(ctx, row);
  }
  if (row.pushedVersion < row.version) {
    const templateId = await ops.push(idsOf(row), draftOf(row));
    await setRow(ctx, row, { pushedVersion: row.version, providerTemplateId: templateId ?? row.providerTemplateId });
    row = await fresh(ctx, row);
  }
  return row;
}

async function guarded<T>(ctx: Ctx, row: CampaignRow, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError) await setRow(ctx, row, { lastError: err.message }).catch(() => {});
    throw err;
  }
}

export async function sendTest({ ctx, input }: { ctx: TenantCtx; input: { id: string; emails: string[] } }) {
  let row = await campaignRow(ctx, ctx.tenant, input.id);
  if (row.state !== "draft" && row.state !== "test_sent" && row.state !== "failed") throw new ApiError("CONFLICT", `A ${row.state} campaign cannot be tested`);
  const ops = await opsFor(ctx.env, row.integrationId);
  row = await guarded(ctx, row, async () => {
    const r = await ensureAtProvider(ctx, row, ops);
    await ops.test(idsOf(r), input.emails, draftOf(r));
    return r;
  });
  await setRow(ctx, row, { state: "test_sent", testSentTo: input.emails, testSentAt: ctx.now, lastError: null });
  return campaignView(ctx, await fresh(ctx, row));
}

/** Checks a send time before anything reaches the provider: in the future, within a year, on the provider's grid. */
export function checkSendTime(provider: string, at: number, now: number) {
  if (at < now + MIN_LEAD_MS) throw new ApiError("UNPROCESSABLE", "Pick a send time at least 5 minutes from now", { details: { field: "scheduledFor" } });
  if (at > now + MAX_AHEAD_MS) throw new ApiError("UNPROCESSABLE", "A campaign can be scheduled at most a year ahead", { details: { field: "scheduledFor" } });
  if (provider === "mailchimp" && at % QUARTER_MS !== 0)
    throw new ApiError("UNPROCESSABLE", "Mailchimp sends on the quarter-hour: pick a time ending in :00, :15, :30 or :45", { details: { field: "scheduledFor" } });
}

/**
 * Sends now (`at` null) or schedules. Safe to run again: the provider's own status is read first,
 * so a send whose answer was lost is recorded, not repeated. Used by the direct path and by the
 * approval path's executor.
 */
export async function performSend(ctx: Ctx, scope: Scope, id: string, at: number | null): Promise<CampaignRow> {
  let row = await campaignRow(ctx, scope, id);
  if (row.state === "sent") return row;
  if (row.state === "scheduled" && at !== null && row.scheduledFor === at) return row;
  if (row.state === "scheduled") throw new ApiError("CONFLICT", "This campaign is already scheduled; cancel the schedule first");
  const ops = await opsFor(ctx.env, row.integrationId);
  return guarded(ctx, row, async () => {
    row = await ensureAtProvider(ctx, row, ops);
    const now = await ops.status(idsOf(row));
    if (now === "sent") {
      await setRow(ctx, row, { state: "sent", sentAt: row.sentAt ?? ctx.now, lastError: null });
      return fresh(ctx, row);
    }
    if (now === "scheduled" && at !== null) {
      await setRow(ctx, row, { state: "scheduled", scheduledFor: at, lastError: null });
      return fresh(ctx, row);
    }
    if (now !== "draft") throw new ApiError("CONFLICT", "The provider no longer has this campaign as a draft (it was changed there)");
    if (at === null) {
      await ops.send(idsOf(row));
      await setRow(ctx, row, { state: "sent", sentAt: ctx.now, scheduledFor: null, lastError: null });
    } else {
      await ops.schedule(idsOf(row), at);
      await setRow(ctx, row, { state: "scheduled", scheduledFor: at, lastError: null });
    }
    return fresh(ctx, row);
  });
}

export async function cancelSchedule({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await campaignRow(ctx, ctx.tenant, input.id);
  if (row.state !== "scheduled" || !row.providerCampaignId) throw new ApiError("CONFLICT", "Only a scheduled campaign can be unscheduled");
  if (row.scheduledFor !== null && row.scheduledFor <= ctx.now) throw new ApiError("CONFLICT", "This campaign's send time has passed; it has been sent");
  const ops = await opsFor(ctx.env, row.integrationId);
  await guarded(ctx, row, async () => {
    const st = await ops.status(idsOf(row));
    if (st === "scheduled") await ops.unschedule(idsOf(row));
    else if (st === "sent") throw new ApiError("CONFLICT", "The provider has already sent this campaign");
  });
  await setRow(ctx, row, { state: "draft", scheduledFor: null, lastError: null });
  return campaignView(ctx, await fresh(ctx, row));
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
