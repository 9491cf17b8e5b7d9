import { and, desc, eq, gt, gte } from "drizzle-orm";
import type { Database } from "../../db/client";
import { brandVoices, contentPatterns, emailCampaigns, orders, socialAccounts, socialPosts, workspaces } from "../../db/schema";
import { newId } from "../../lib/ids";
import { DAY } from "../../lib/time";
import type { Scope } from "./scope";
import type { TenantCtx } from "../../core/context";

export const PATTERN_TTL = 30 * DAY;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export type Patterns = {
  timeZone: string;
  source: string;
  bestTimes: { weekday: string; hour: number; score: number; basis: string }[];
  formats: { format: string; openRate: number; campaigns: number }[];
  /** Social post history (Facebook Pages, Instagram): engagement per reached person by network and length. */
  postFormats: { format: string; engagementRate: number; posts: number }[];
  trend: { weeks: { week: string; orders: number; revenueMinor: number }[]; direction: "up" | "down" | "flat"; changePct: number };
};

function localSlot(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", hourCycle: "h23" }).formatToParts(new Date(ms));
  const weekday = parts.find((p) => p.type === "weekday")?.value ?? "Mon";
  return { weekday, hour: Number(parts.find((p) => p.type === "hour")?.value ?? 0) };
}

const postLength = (text: string | null) => {
  const n = (text ?? "").length;
  return n <= 80 ? "short post (≤80 chars)" : n <= 200 ? "medium post (81–200)" : "long post (>200)";
};
/** Engagement per person reached (likes, comments, shares…), the rate that compares posts of different reach. */
const rateOf = (engagement: number, reach: number) => (reach > 0 ? engagement / reach : 0);
const round1 = (x: number) => Math.round(x * 1000) / 10;

const lengthBucket = (name: string) => (name.length <= 25 ? "short subject (≤25 chars)" : name.length <= 45 ? "medium subject (26–45)" : "long subject (>45)");

/**
 * Content intelligence from synced figures: when the audience engages (social post history first —
 * engagement per reached person by weekday and hour in the workspace's time zone — else email opens,
 * else shop orders), which networks, formats and lengths work, and the 8-week trend.
 */
export async function computePatterns(db: Database, scope: Scope, now: number): Promise<Patterns> {
  const since = now - 180 * DAY;
  const [voice, campaigns, orderRows, posts, ws] = await db.batch([
    db.select({ voice: brandVoices.voice }).from(brandVoices).where(and(eq(brandVoices.workspaceId, scope.workspaceId), eq(brandVoices.orgId, scope.orgId))).limit(1),
    db
      .select({ name: emailCampaigns.name, sentAt: emailCampaigns.sentAt, delivered: emailCampaigns.delivered, opens: emailCampaigns.opens, kind: emailCampaigns.kind })
      .from(emailCampaigns)
      .where(and(eq(emailCampaigns.orgId, scope.orgId), eq(emailCampaigns.workspaceId, scope.workspaceId), gte(emailCampaigns.sentAt, since))),
    db.select({ createdAt: orders.createdAt, total: orders.totalMinor }).from(orders).where(and(eq(orders.orgId, scope.orgId), eq(orders.workspaceId, scope.workspaceId), gte(orders.createdAt, now - 56 * DAY))),
    db
      .select({ network: socialAccounts.kind, message: socialPosts.message, publishedAt: socialPosts.publishedAt, reach: socialPosts.reach, engagement: socialPosts.engagement })
      .from(socialPosts)
      .leftJoin(socialAccounts, and(eq(socialAccounts.integrationId, socialPosts.integrationId), eq(socialAccounts.providerId, socialPosts.accountId)))
      .where(and(eq(socialPosts.orgId, scope.orgId), eq(socialPosts.workspaceId, scope.workspaceId), gte(socialPosts.publishedAt, since))),
    db.select({ timeZone: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, scope.workspaceId), eq(workspaces.orgId, scope.orgId))).limit(1),
  ]);
  const timeZone = voice[0]?.voice.timeZone ?? ws[0]?.timeZone ?? "UTC";
  const slots = new Map<string, { weekday: string; hour: number; score: number; n: number }>();
  const reached = posts.filter((p) => p.reach > 0);
  for (const p of reached) {
    const { weekday, hour } = localSlot(p.publishedAt, timeZone);
    const k = `${weekday}-${hour}`;
    const s = slots.get(k) ?? { weekday, hour, score: 0, n: 0 };
    s.score += rateOf(p.engagement, p.reach);
    s.n++;
    slots.set(k, s);
  }
  let basis = "post engagement rate";
  if (slots.size === 0) basis = "email open rate";
  for (const c of slots.size > 0 ? [] : campaigns) {
    if (!c.sentAt || c.delivered <= 0) continue;
    const { weekday, hour } = localSlot(c.sentAt, timeZone);
    const k = `${weekday}-${hour}`;
    const s = slots.get(k) ?? { weekday, hour, score: 0, n: 0 };
    s.score += c.opens / c.delivered;
    s.n++;
    slots.set(k, s);
  }
  if (slots.size === 0) {
    basis = "orders placed";
    for (const o of orderRows) {
      const { weekday, hour } = localSlot(o.createdAt, timeZone);
      const k = `${weekday}-${hour}`;
      const s = slots.get(k) ?? { weekday, hour, score: 0, n: 1 };
      s.score += 1;
      slots.set(k, s);
    }
  }
  const bestTimes = [...slots.values()]
    .map((s) => ({ weekday: s.weekday, hour: s.hour, score: Math.round((s.score / s.n) * 1000) / 1000, basis }))
    .sort((a, b) => b.score - a.score || WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.hour - b.hour)
    .slice(0, 5);
  const formats = new Map<string, { opens: number; delivered: number; n: number }>();
  for (const c of campaigns) {
    if (c.delivered <= 0) continue;
    for (const key of [c.kind === "flow" ? "automated flow" : "one-off campaign", lengthBucket(c.name)]) {
      const f = formats.get(key) ?? { opens: 0, delivered: 0, n: 0 };
      f.opens += c.opens;
      f.delivered += c.delivered;
      f.n++;
      formats.set(key, f);
    }
  }
  const postFormats = new Map<string, { engagement: number; reach: number; n: number }>();
  for (const p of reached) {
    for (const key of [p.network === "ig" ? "Instagram" : "Facebook Page", postLength(p.message)]) {
      const f = postFormats.get(key) ?? { engagement: 0, reach: 0, n: 0 };
      f.engagement += p.engagement;
      f.reach += p.reach;
      f.n++;
      postFormats.set(key, f);
    }
  }
  const weeks = Array.from({ length: 8 }, (_, i) => {
    const from = now - (8 - i) * 7 * DAY;
    const inWeek = orderRows.filter((o) => o.createdAt >= from && o.createdAt < from + 7 * DAY);
    return { week: new Date(from).toISOString().slice(0, 10), orders: inWeek.length, revenueMinor: inWeek.reduce((a, o) => a + o.total, 0) };
  });
  const first = weeks.slice(0, 4).reduce((a, w) => a + w.revenueMinor, 0);
  const last = weeks.slice(4).reduce((a, w) => a + w.revenueMinor, 0);
  const changePct = first > 0 ? Math.round(((last - first) / first) * 1000) / 10 : 0;
  return {
    timeZone,
    source: [reached.length > 0 && "social posts", campaigns.length > 0 && "email campaigns", "shop orders"].filter(Boolean).join(", "),
    bestTimes,
    formats: [...formats.entries()].map(([format, f]) => ({ format, openRate: Math.round((f.opens / f.delivered) * 1000) / 10, campaigns: f.n })).sort((a, b) => b.openRate - a.openRate),
    postFormats: [...postFormats.entries()].map(([format, f]) => ({ format, engagementRate: round1(rateOf(f.engagement, f.reach)), posts: f.n })).sort((a, b) => b.engagementRate - a.engagementRate),
    trend: { weeks, direction: changePct > 2 ? "up" : changePct < -2 ? "down" : "flat", changePct },
  };
}

/** The newest pattern set that has not expired (P17: an expired one is never served). */
export const latestPatternsQuery = (db: Database, scope: Scope, now: number) =>
  db
    .select()
    .from(contentPatterns)
    .where(and(eq(contentPatterns.orgId, scope.orgId), eq(contentPatterns.workspaceId, scope.workspaceId), gt(contentPatterns.expiresAt, now)))
    .orderBy(desc(contentPatterns.computedAt))
    .limit(1);

export async function latestPatterns(db: Database, scope: Scope, now: number) {
  const [row] = await latestPatternsQuery(db, scope, now);
  return row ?? null;
}

/** P17: the live patterns, regenerated (and stored for 30 days) when none is live. */
export async function getPatterns({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const { db, tenant: scope, now } = ctx;
  const live = await latestPatterns(db, scope, now);
  const row = live ?? { id: newId(), orgId: scope.orgId, workspaceId: scope.workspaceId, data: await computePatterns(db, scope, now), computedAt: now, expiresAt: now + PATTERN_TTL };
  if (!live) await db.insert(contentPatterns).values(row);
  return { patterns: row.data as Patterns, computedAt: row.computedAt, expiresAt: row.expiresAt };
}
