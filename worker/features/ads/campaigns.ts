// The cross-channel campaigns table (per workspace and across an agency's clients) from the synced
// ad tables, and the proposals that change a campaign (pause, resume, budget) through the approval path.
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import type { OrgCtx, TenantCtx } from "../../core/context";
import type { Ctx } from "../../core/context";
import { actions, adCampaigns, adInsightsDaily, adSets, workspaces } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { DAY } from "../../lib/time";
import { proposeAction } from "../actions";
import type { AdState, AdTarget } from "./executors";
import type { BudgetBody, CampaignView } from "./schemas";

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const OPEN = ["proposed", "approved", "scheduled", "running"] as const;
const SUBJECTS = ["ad_campaign", "ad_set"];
export const subjectIdOf = (integrationId: string, providerId: string) => `${integrationId}:${providerId}`;

type Scope = { orgId: string; workspaceIds: string[] | null };

async function campaignsIn(ctx: Ctx, scope: Scope): Promise<(CampaignView & { workspaceId: string })[]> {
  const { db, now } = ctx;
  const inScope = <T extends { orgId: any; workspaceId: any }>(t: T) => and(eq(t.orgId, scope.orgId), scope.workspaceIds ? inArray(t.workspaceId, scope.workspaceIds) : undefined);
  // Synced insights run to yesterday: pacing covers the month of yesterday, through yesterday (on the
  // 1st, the month just ended, so the table never shows a month with no data).
  const lastDay = isoDay(now - DAY);
  const monthStart = `${lastDay.slice(0, 8)}01`;
  const d = new Date(now - DAY);
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const daysElapsed = d.getUTCDate();
  const since30 = isoDay(now - 30 * DAY);
  const [rows, sets, month, last30, pending] = await Promise.all([
    db.select().from(adCampaigns).where(inScope(adCampaigns)).limit(2000),
    db.select().from(adSets).where(inScope(adSets)).limit(5000),
    db
      .select({ integrationId: adInsightsDaily.integrationId, campaignId: adInsightsDaily.campaignId, spend: sql<number>`SUM(${adInsightsDaily.spendMinor})` })
      .from(adInsightsDaily)
      .where(and(inScope(adInsightsDaily), gte(adInsightsDaily.date, monthStart), lte(adInsightsDaily.date, lastDay)))
      .groupBy(adInsightsDaily.integrationId, adInsightsDaily.campaignId),
    db
      .select({
        integrationId: adInsightsDaily.integrationId, campaignId: adInsightsDaily.campaignId, spend: sql<number>`SUM(${adInsightsDaily.spendMinor})`,
        conversions: sql<number>`SUM(${adInsightsDaily.conversions})`, value: sql<number>`SUM(${adInsightsDaily.conversionValueMinor})`,
      })
      .from(adInsightsDaily)
      .where(and(inScope(adInsightsDaily), gte(adInsightsDaily.date, since30)))
      .groupBy(adInsightsDaily.integrationId, adInsightsDaily.campaignId),
    db
      .select({ id: actions.id, kind: actions.kind, state: actions.state, summary: actions.summary, subjectId: actions.subjectId })
      .from(actions)
      .where(and(inScope(actions), inArray(actions.subjectType, SUBJECTS), inArray(actions.state, [...OPEN]))),
  ]);
  const key = (i: string, p: string) => subjectIdOf(i, p);
  const monthBy = new Map(month.map((m) => [key(m.integrationId, m.campaignId), m.spend]));
  const lastBy = new Map(last30.map((m) => [key(m.integrationId, m.campaignId), m]));
  const budgetUse = new Map<string, number>();
  for (const r of rows) if (r.budgetId) budgetUse.set(`${r.integrationId}|${r.budgetId}`, (budgetUse.get(`${r.integrationId}|${r.budgetId}`) ?? 0) + 1);
  return rows.map((r) => {
    const k = key(r.integrationId, r.providerId);
    const spend = monthBy.get(k) ?? 0;
    const l = lastBy.get(k);
    const expected = r.dailyBudgetMinor && daysElapsed > 0 ? r.dailyBudgetMinor * daysElapsed : null;
    const mySets = sets.filter((s) => s.integrationId === r.integrationId && s.campaignId === r.providerId);
    const setIds = new Set(mySets.map((s) => key(s.integrationId, s.providerId)));
    return {
      workspaceId: r.workspaceId, integrationId: r.integrationId, providerId: r.providerId, channel: r.channel, accountId: r.accountId, name: r.name, status: r.status,
      objective: r.objective, dailyBudgetMinor: r.dailyBudgetMinor, lifetimeBudgetMinor: r.lifetimeBudgetMinor, currency: r.currency,
      sharedBudget: r.sharedBudget, budgetId: r.budgetId, sharedWith: r.budgetId ? Math.max(r.sharedBudget ? 2 : 1, budgetUse.get(`${r.integrationId}|${r.budgetId}`) ?? 1) : 1,
      spendMonthMinor: spend,
      pacing: expected ? { expectedMinor: expected, ratio: Math.round((spend / expected) * 1000) / 1000, projectedMinor: Math.round((spend / daysElapsed) * daysInMonth), monthBudgetMinor: r.dailyBudgetMinor! * daysInMonth } : null,
      month: monthStart.slice(0, 7), daysElapsed, daysInMonth,
      spend30dMinor: l?.spend ?? 0,
      roas30d: l && l.spend > 0 && l.value > 0 ? Math.round((l.value / l.spend) * 100) / 100 : null,
      cpa30dMinor: l && l.conversions > 0 ? Math.round(l.spend / l.conversions) : null,
      adSets: mySets.map((s) => ({ providerId: s.providerId, name: s.name, status: s.status, dailyBudgetMinor: s.dailyBudgetMinor, lifetimeBudgetMinor: s.lifetimeBudgetMinor })),
      pending: pending.filter((p) => p.subjectId === k || setIds.has(p.subjectId)).map((p) => ({ id: p.id, kind: p.kind, state: p.state, summary: p.summary })),
    };
  }).sort((a, b) => b.spendMonthMinor - a.spendMonthMinor || b.spend30dMinor - a.spend30dMinor || a.name.localeCompare(b.name));
}

export const listCampaigns = ({ ctx }: { ctx: TenantCtx }) => campaignsIn(ctx, { orgId: ctx.tenant.orgId, workspaceIds: [ctx.tenant.workspaceId] });

export async function listOrgCampaigns({ ctx }: { ctx: OrgCtx }) {
  const names = new Map((await ctx.db.select({ id: workspaces.id, name: workspaces.name }).from(workspaces).where(eq(workspaces.orgId, ctx.org.orgId))).map((w) => [w.id, w.name]));
  const all = await campaignsIn(ctx, { orgId: ctx.org.orgId, workspaceIds: null });
  return all.filter((c) => names.has(c.workspaceId)).map((c) => ({ ...c, workspaceName: names.get(c.workspaceId)! }));
}

async function campaignRow(ctx: TenantCtx, integrationId: string, providerId: string) {
  const [row] = await ctx.db
    .select()
    .from(adCampaigns)
    .where(and(eq(adCampaigns.integrationId, integrationId), eq(adCampaigns.providerId, providerId), eq(adCampaigns.orgId, ctx.tenant.orgId), eq(adCampaigns.workspaceId, ctx.tenant.workspaceId)))
    .limit(1);
  if (!row) throw notFound("Campaign");
  return row;
}

async function assertNoOpen(ctx: TenantCtx, subjectId: string, kinds: ("pause_campaign" | "resume_campaign" | "change_budget")[]) {
  const [open] = await ctx.db
    .select({ id: actions.id, state: actions.state })
    .from(actions)
    .where(and(eq(actions.orgId, ctx.tenant.orgId), eq(actions.workspaceId, ctx.tenant.workspaceId), eq(actions.subjectId, subjectId), inArray(actions.subjectType, SUBJECTS), inArray(actions.kind, kinds), inArray(actions.state, [...OPEN])))
    .limit(1);
  if (open) throw new ApiError("CONFLICT", "A change to this campaign already waits or runs; approve, reject or cancel it first", { details: { actionId: open.id, state: open.state } });
}

const money = (minor: number, currency: string) => {
  const digits = currency === "JPY" || currency === "KRW" ? 0 : 2;
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
};

export async function proposeStatus({ ctx, input }: { ctx: TenantCtx; input: { integrationId: string; campaignId: string; pause: boolean; note?: string; scheduledFor?: number } }) {
  const row = await campaignRow(ctx, input.integrationId, input.campaignId);
  const paused = row.status === "PAUSED";
  if (input.pause === paused) throw new ApiError("CONFLICT", `This campaign is already ${paused ? "paused" : "running"}`);
  const subjectId = subjectIdOf(row.integrationId, row.providerId);
  await assertNoOpen(ctx, subjectId, ["pause_campaign", "resume_campaign"]);
  const target: AdTarget = { integrationId: row.integrationId, channel: row.channel, level: "campaign", providerId: row.providerId, accountId: row.accountId, currency: row.currency, budgetId: row.budgetId };
  const next = input.pause ? "PAUSED" : row.channel === "meta" ? "ACTIVE" : "ENABLED";
  const action = await proposeAction({
    ctx,
    input: {
      kind: input.pause ? "pause_campaign" : "resume_campaign", subjectType: "ad_campaign", subjectId, scheduledFor: input.scheduledFor ?? null,
      summary: `${input.pause ? "Pause" : "Resume"} ${row.channel === "meta" ? "Meta" : "Google Ads"} campaign “${row.name}”`,
      before: { ...target, status: row.status } satisfies AdState, after: { ...target, status: next } satisfies AdState,
    },
  });
  return { action, warning: null };
}

export async function proposeBudget({ ctx, input }: { ctx: TenantCtx; input: { integrationId: string; campaignId: string } & BudgetBody }) {
  const row = await campaignRow(ctx, input.integrationId, input.campaignId);
  let level: "campaign" | "adset" = "campaign";
  let current = { providerId: row.providerId, name: row.name, daily: row.dailyBudgetMinor, lifetime: row.lifetimeBudgetMinor };
  if (input.adSetId) {
    if (row.channel !== "meta") throw new ApiError("VALIDATION_FAILED", "Ad set budgets exist on Meta campaigns only");
    const [set] = await ctx.db
      .select()
      .from(adSets)
      .where(and(eq(adSets.integrationId, row.integrationId), eq(adSets.providerId, input.adSetId), eq(adSets.campaignId, row.providerId), eq(adSets.orgId, ctx.tenant.orgId), eq(adSets.workspaceId, ctx.tenant.workspaceId)))
      .limit(1);
    if (!set) throw notFound("Ad set");
    level = "adset";
    current = { providerId: set.providerId, name: set.name, daily: set.dailyBudgetMinor, lifetime: set.lifetimeBudgetMinor };
  }
  const daily = input.dailyBudgetMinor;
  const lifetime = input.lifetimeBudgetMinor;
  if (daily !== undefined && current.daily === null) throw new ApiError("UNPROCESSABLE", `“${current.name}” has no daily budget${level === "campaign" && row.channel === "meta" ? " (its ad sets carry the budgets: change one of them)" : ""}`);
  if (lifetime !== undefined && (current.lifetime === null || row.channel === "google")) throw new ApiError("UNPROCESSABLE", `“${current.name}” has no lifetime budget to change`);
  const subjectId = subjectIdOf(row.integrationId, current.providerId);
  await assertNoOpen(ctx, subjectId, ["change_budget"]);
  const target: AdTarget = { integrationId: row.integrationId, channel: row.channel, level, providerId: current.providerId, accountId: row.accountId, currency: row.currency, budgetId: level === "campaign" ? row.budgetId : null };
  const shared = row.channel === "google" && row.sharedBudget;
  const [{ n } = { n: 1 }] = row.budgetId
    ? await ctx.db.select({ n: sql<number>`COUNT(*)` }).from(adCampaigns).where(and(eq(adCampaigns.integrationId, row.integrationId), eq(adCampaigns.budgetId, row.budgetId), eq(adCampaigns.orgId, ctx.tenant.orgId)))
    : [{ n: 1 }];
  const warning = shared ? `This budget is shared by ${Math.max(2, n)} campaigns: changing it changes all of them` : null;
  const from = daily !== undefined ? current.daily! : current.lifetime!;
  const to = (daily ?? lifetime)!;
  const action = await proposeAction({
    ctx,
    input: {
      kind: "change_budget", subjectType: level === "adset" ? "ad_set" : "ad_campaign", subjectId, scheduledFor: input.scheduledFor ?? null,
      summary: `${daily !== undefined ? "Daily" : "Lifetime"} budget of “${current.name}” ${money(from, row.currency)} → ${money(to, row.currency)}${shared ? " (shared budget)" : ""}`,
      before: { ...target, sharedBudget: shared, ...(daily !== undefined ? { dailyBudgetMinor: current.daily } : { lifetimeBudgetMinor: current.lifetime }) } satisfies AdState,
      after: { ...target, sharedBudget: shared, ...(daily !== undefined ? { dailyBudgetMinor: daily } : { lifetimeBudgetMinor: lifetime! }) } satisfies AdState,
    },
  });
  return { action, warning };
}
