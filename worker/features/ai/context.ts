import { and, desc, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { brandVoices, dailyMetrics, emailCampaigns, generatedContent, orderLines, orders, workspaces, type BrandVoice } from "../../db/schema";
import { DAY } from "../../lib/time";
import { latestPatternsQuery } from "./patterns";

export type { Scope } from "./scope";
import type { Scope } from "./scope";

export type AiContext = {
  workspace: { name: string; timeZone: string };
  brandVoice: BrandVoice | null;
  performance: {
    lastMonth: { label: string; revenueMinor: number; currency: string | null; orders: number };
    topProducts: { title: string; revenueMinor: number; units: number }[];
    bestChannel: { name: string; sessions: number } | null;
    email: { campaigns: number; best: { name: string; openRate: number; clickRate: number } | null };
  };
  postHistory: { kind: string; title: string; status: string }[];
  patterns: Record<string, unknown> | null;
};

export const DEFAULT_VOICE: BrandVoice = {
  tone: "warm, confident and plain-spoken",
  wordsToUse: [],
  wordsToAvoid: ["synergy", "cheap"],
  audience: "local customers and returning fans",
  goals: "grow repeat orders and newsletter sign-ups",
  examples: [],
  colors: ["#1f6feb", "#7c3aed"],
};

const monthBounds = (now: number) => {
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { start, end, label: new Date(start).toLocaleString("en", { month: "long", year: "numeric", timeZone: "UTC" }) };
};

/**
 * P09: the one context every prompt is built from. Business figures only: aggregates of synced
 * orders, products, channels and campaigns of this workspace (every query filters on org and
 * workspace), never a credential, a customer id, an email address or another workspace's row.
 * Returned unexecuted, so the queue consumer runs them in the same D1 batch as a job's other reads.
 */
export function contextQueries(db: Database, scope: Scope, now: number) {
  const ws = and(eq(orders.orgId, scope.orgId), eq(orders.workspaceId, scope.workspaceId));
  const month = monthBounds(now);
  const since90 = now - 90 * DAY;
  return [
    db.select({ name: workspaces.name }).from(workspaces).where(and(eq(workspaces.id, scope.workspaceId), eq(workspaces.orgId, scope.orgId))).limit(1),
    db.select({ voice: brandVoices.voice }).from(brandVoices).where(and(eq(brandVoices.workspaceId, scope.workspaceId), eq(brandVoices.orgId, scope.orgId))).limit(1),
    db
      .select({ currency: orders.currency, revenue: sql<number>`sum(${orders.totalMinor} - ${orders.refundedMinor})`, n: sql<number>`count(*)` })
      .from(orders)
      .where(and(ws, gte(orders.createdAt, month.start), lt(orders.createdAt, month.end)))
      .groupBy(orders.currency)
      .orderBy(desc(sql`count(*)`))
      .limit(1),
    db
      .select({ title: orderLines.title, revenue: sql<number>`sum(${orderLines.totalMinor})`, units: sql<number>`sum(${orderLines.quantity})` })
      .from(orderLines)
      .innerJoin(orders, and(eq(orders.integrationId, orderLines.integrationId), eq(orders.providerId, orderLines.orderId)))
      .where(and(ws, gte(orders.createdAt, since90)))
      .groupBy(orderLines.title)
      .orderBy(desc(sql`sum(${orderLines.totalMinor})`))
      .limit(3),
    db
      .select({ name: dailyMetrics.dimensionValue, sessions: sql<number>`sum(${dailyMetrics.value})` })
      .from(dailyMetrics)
      .where(and(eq(dailyMetrics.orgId, scope.orgId), eq(dailyMetrics.workspaceId, scope.workspaceId), eq(dailyMetrics.metric, "sessions"), eq(dailyMetrics.dimension, "channel"), gte(dailyMetrics.date, new Date(since90).toISOString().slice(0, 10))))
      .groupBy(dailyMetrics.dimensionValue)
      .orderBy(desc(sql`sum(${dailyMetrics.value})`))
      .limit(1),
    db
      .select({ name: emailCampaigns.name, delivered: emailCampaigns.delivered, opens: emailCampaigns.opens, clicks: emailCampaigns.clicks })
      .from(emailCampaigns)
      .where(and(eq(emailCampaigns.orgId, scope.orgId), eq(emailCampaigns.workspaceId, scope.workspaceId), gte(emailCampaigns.sentAt, since90)))
      .orderBy(desc(emailCampaigns.sentAt))
      .limit(50),
    db
      .select({ kind: generatedContent.kind, title: generatedContent.title, status: generatedContent.status })
      .from(generatedContent)
      .where(and(eq(generatedContent.orgId, scope.orgId), eq(generatedContent.workspaceId, scope.workspaceId)))
      .orderBy(desc(generatedContent.createdAt))
      .limit(5),
    latestPatternsQuery(db, scope, now),
  ] as const;
}

/** The rows a tuple of unexecuted queries resolves to, in a D1 batch. */
export type RowsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };
export type ContextRows = RowsOf<ReturnType<typeof contextQueries>>;

/** The context from the rows of `contextQueries` (in their order). */
export function contextOf(rows: ContextRows, now: number): AiContext {
  const [wsRow, voiceRow, revenue, top, channel, campaigns, history, patterns] = rows;
  const month = monthBounds(now);
  const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : 0);
  const best = campaigns.filter((c) => c.delivered > 0).sort((a, b) => rate(b.opens, b.delivered) - rate(a.opens, a.delivered))[0];
  const voice = voiceRow[0]?.voice ?? null;
  return {
    workspace: { name: wsRow[0]?.name ?? "", timeZone: voice?.timeZone ?? "UTC" },
    brandVoice: voice,
    performance: {
      lastMonth: { label: month.label, revenueMinor: Number(revenue[0]?.revenue ?? 0), currency: revenue[0]?.currency ?? null, orders: Number(revenue[0]?.n ?? 0) },
      topProducts: top.map((t) => ({ title: t.title, revenueMinor: Number(t.revenue), units: Number(t.units) })),
      bestChannel: channel[0] ? { name: channel[0].name, sessions: Math.round(Number(channel[0].sessions)) } : null,
      email: { campaigns: campaigns.length, best: best ? { name: best.name, openRate: rate(best.opens, best.delivered), clickRate: rate(best.clicks, best.delivered) } : null },
    },
    postHistory: history,
    patterns: patterns[0]?.data ?? null,
  };
}

/** The context in one D1 round trip. */
export async function buildContext(db: Database, scope: Scope, now: number): Promise<AiContext> {
  return contextOf((await db.batch(contextQueries(db, scope, now) as unknown as [never])) as unknown as ContextRows, now);
}
