// Pages and Instagram business accounts: the accounts themselves, daily insights, posts and media
// with their lifetime metrics. Page data is read with the Page's own token (from the user token).
import { ProviderError } from "../http";
import type { ConnectorRuntime, Cursor, Secrets, SocialAccount, SocialInsight, SocialMediaType, SocialPost, SyncStream } from "../types";
import { addDays, afterOf, DAY_MS, graphGet, isoDay, listOf, num, runAtOf, windowStart, type Paged } from "./graph";

/** Current metric names (2026): views replaced impressions, follows replaced fans. */
export const PAGE_METRICS = ["page_media_view", "page_post_engagements", "page_follows", "page_total_media_view_unique"] as const;
export const IG_METRICS = ["reach", "follower_count"] as const;
const PAGE_WINDOW_DAYS = 90;
const IG_WINDOW_DAYS = 30;
/** Incremental runs re-read posts of the last 28 days: their metrics still move. */
export const POST_REFRESH_DAYS = 28;

const userToken = (secrets: Secrets) => {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "meta: no access token stored", { provider: "meta" });
  return secrets.accessToken;
};

// Page tokens derived from the user token, kept in memory only (never stored).
const pageTokens = new Map<string, string>();
export async function pageToken(rt: ConnectorRuntime, secrets: Secrets, pageId: string): Promise<string> {
  const key = `${userToken(secrets)}|${pageId}`;
  const hit = pageTokens.get(key);
  if (hit) return hit;
  const body = await graphGet<{ access_token?: string }>(rt, pageId, { fields: "access_token" }, userToken(secrets), "page token");
  if (!body.access_token) throw new ProviderError("permanent", `meta: no page token for page ${pageId} (the user lost access?)`, { provider: "meta" });
  if (pageTokens.size > 5000) pageTokens.clear();
  pageTokens.set(key, body.access_token);
  return body.access_token;
}

type PageRow = { id: string; name?: string; followers_count?: number; instagram_business_account?: { id: string; username?: string; followers_count?: number } };

/** The user's Pages and their Instagram accounts, paged by `after`. */
export const accountsStream: SyncStream = {
  name: "social_accounts",
  async page(rt, { secrets, account, cursor }) {
    const wanted = new Set(listOf(account.pages));
    const params: Record<string, string> = { fields: "id,name,followers_count,instagram_business_account{id,username,followers_count}", limit: "25" };
    if (typeof cursor?.after === "string") params.after = cursor.after;
    const body = await graphGet<Paged<PageRow>>(rt, "me/accounts", params, userToken(secrets));
    const now = rt.now();
    const rows: SocialAccount[] = [];
    for (const p of body.data ?? []) {
      if (!wanted.has(p.id)) continue;
      rows.push({ providerId: p.id, kind: "page", name: p.name ?? p.id, parentId: null, followers: num(p.followers_count), updatedAt: now });
      const ig = p.instagram_business_account;
      if (ig) rows.push({ providerId: ig.id, kind: "ig", name: ig.username ?? ig.id, parentId: p.id, followers: num(ig.followers_count), updatedAt: now });
    }
    const after = afterOf(body);
    return { batch: { socialAccounts: rows }, next: after ? { after } : null };
  },
};

type InsightRow = { name: string; period?: string; values?: { value?: number | Record<string, number>; end_time?: string }[] };

/** The day a daily value belongs to: Graph's end_time closes the day (end_time − 1 day). */
const dayOfEnd = (endTime: string) => isoDay(Date.parse(endTime) - DAY_MS);

/** Daily insights of each asset in turn, in windows of `windowDays` (cursor: asset index + window start). */
function insightsStream(name: string, kind: "page" | "ig"): SyncStream {
  const windowDays = kind === "page" ? PAGE_WINDOW_DAYS : IG_WINDOW_DAYS;
  return {
    name,
    async page(rt, { secrets, account, cursor, since }) {
      const assets = listOf(kind === "page" ? account.pages : account.igAccounts);
      const runAt = runAtOf(rt, cursor);
      const i = typeof cursor?.i === "number" ? cursor.i : 0;
      const today = isoDay(runAt);
      const from = typeof cursor?.from === "string" ? cursor.from : windowStart(runAt, since);
      if (i >= assets.length) return { batch: {}, next: null, watermark: runAt };
      const asset = assets[i]!;
      const until = addDays(from, windowDays) < today ? addDays(from, windowDays) : today;
      const token = kind === "page" ? await pageToken(rt, secrets, asset) : userToken(secrets);
      const metrics = kind === "page" ? PAGE_METRICS : IG_METRICS;
      const body = await graphGet<Paged<InsightRow>>(
        rt,
        `${asset}/insights`,
        { metric: metrics.join(","), period: "day", since: from, until },
        token,
        `${kind} insights`,
      );
      if (body.data !== undefined && !Array.isArray(body.data)) throw new ProviderError("transient", `meta ${kind} insights: unexpected shape`, { provider: "meta" });
      const rows: SocialInsight[] = [];
      for (const m of body.data ?? []) {
        if (m.period && m.period !== "day") continue;
        for (const v of m.values ?? []) {
          if (!v.end_time || typeof v.value !== "number") continue;
          rows.push({ accountId: asset, metric: m.name, date: dayOfEnd(v.end_time), value: v.value });
        }
      }
      let next: Cursor | null;
      if (until < today) next = { runAt, i, from: until };
      else next = i + 1 < assets.length ? { runAt, i: i + 1, from: windowStart(runAt, since) } : null;
      return { batch: { socialInsights: rows }, next, watermark: runAt };
    },
  };
}

export const pageInsightsStream = insightsStream("page_insights", "page");
export const igInsightsStream = insightsStream("ig_insights", "ig");

type Insights = { data?: { name: string; values?: { value?: number }[] }[] };
type FbPost = {
  id: string;
  message?: string;
  created_time: string;
  permalink_url?: string;
  shares?: { count?: number };
  reactions?: { summary?: { total_count?: number } };
  comments?: { summary?: { total_count?: number } };
  insights?: Insights;
  attachments?: { data?: { media_type?: string }[] };
};
type IgMedia = { id: string; caption?: string; permalink?: string; timestamp: string; media_type?: string; like_count?: number; comments_count?: number; insights?: Insights };

/** IG media_type (IMAGE, VIDEO, CAROUSEL_ALBUM) and a Page post's first attachment media_type (photo, video…, album, link, share; none: a text post). */
const IG_MEDIA_TYPES: Record<string, SocialMediaType> = { IMAGE: "photo", VIDEO: "video", REELS: "video", CAROUSEL_ALBUM: "carousel" };
const FB_MEDIA_TYPES: Record<string, SocialMediaType> = { photo: "photo", video: "video", video_inline: "video", video_autoplay: "video", animated_image_video: "video", album: "carousel", link: "link", share: "link" };
const fbMediaType = (p: FbPost): SocialMediaType | null => {
  const first = p.attachments?.data?.[0];
  if (!first) return "text";
  return FB_MEDIA_TYPES[first.media_type ?? ""] ?? null;
};

const insight = (ins: Insights | undefined, name: string) => num(ins?.data?.find((d) => d.name === name)?.values?.[0]?.value);

const fbPost = (pageId: string, p: FbPost, now: number): SocialPost => {
  const likes = num(p.reactions?.summary?.total_count);
  const comments = num(p.comments?.summary?.total_count);
  const shares = num(p.shares?.count);
  return {
    providerId: p.id, accountId: pageId, message: p.message ?? null, permalink: p.permalink_url ?? null, mediaType: fbMediaType(p), publishedAt: Date.parse(p.created_time),
    reach: insight(p.insights, "post_total_media_view_unique"), views: insight(p.insights, "post_media_view"),
    likes, comments, shares, engagement: likes + comments + shares, updatedAt: now,
  };
};

const igMedia = (igId: string, m: IgMedia, now: number): SocialPost => {
  const likes = num(m.like_count);
  const comments = num(m.comments_count);
  const shares = insight(m.insights, "shares");
  return {
    providerId: m.id, accountId: igId, message: m.caption ?? null, permalink: m.permalink ?? null, mediaType: IG_MEDIA_TYPES[m.media_type ?? ""] ?? null, publishedAt: Date.parse(m.timestamp),
    reach: insight(m.insights, "reach"), views: insight(m.insights, "views"), likes, comments, shares,
    engagement: insight(m.insights, "total_interactions") || likes + comments + shares, updatedAt: now,
  };
};

const FB_FIELDS = "id,message,created_time,permalink_url,attachments{media_type},shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),insights.metric(post_media_view,post_total_media_view_unique)";
const IG_FIELDS = "id,caption,permalink,timestamp,media_type,like_count,comments_count,insights.metric(reach,views,shares,saved,total_interactions)";

/**
 * Posts (Pages) or media (IG) of each asset, newest first, paged by `after`. A full sync reads
 * them all; an incremental one stops at posts older than POST_REFRESH_DAYS before the last run.
 */
function postsStream(name: string, kind: "page" | "ig"): SyncStream {
  return {
    name,
    async page(rt, { secrets, account, cursor, since }) {
      const assets = listOf(kind === "page" ? account.pages : account.igAccounts);
      const runAt = runAtOf(rt, cursor);
      const i = typeof cursor?.i === "number" ? cursor.i : 0;
      if (i >= assets.length) return { batch: {}, next: null, watermark: runAt };
      const asset = assets[i]!;
      const cutoff = since === null ? null : since - POST_REFRESH_DAYS * DAY_MS;
      const params: Record<string, string> = { fields: kind === "page" ? FB_FIELDS : IG_FIELDS, limit: "50" };
      if (typeof cursor?.after === "string") params.after = cursor.after;
      const token = kind === "page" ? await pageToken(rt, secrets, asset) : userToken(secrets);
      const body = await graphGet<Paged<FbPost & IgMedia>>(rt, `${asset}/${kind === "page" ? "posts" : "media"}`, params, token, `${kind} posts`);
      const now = rt.now();
      const all = (body.data ?? []).map((p) => (kind === "page" ? fbPost(asset, p, now) : igMedia(asset, p, now)));
      const rows = cutoff === null ? all : all.filter((p) => p.publishedAt >= cutoff);
      const after = afterOf(body);
      const more = after !== null && rows.length === all.length;
      const next: Cursor | null = more ? { runAt, i, after } : i + 1 < assets.length ? { runAt, i: i + 1 } : null;
      return { batch: { socialPosts: rows }, next, watermark: runAt };
    },
  };
}

export const pagePostsStream = postsStream("page_posts", "page");
export const igMediaStream = postsStream("ig_media", "ig");

