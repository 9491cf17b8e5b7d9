// Generated Meta data: a user's Pages, Instagram accounts and ad accounts, and two years of daily
// figures, posts, media, campaigns and ad insights, all deterministic from the user's slug.
import { between, businessName, DAY_MS, isoDay, pick, rng, seedOf } from "../lib.ts";

export const HISTORY_DAYS = 730;
export type IgAccount = { id: string; username: string; followers: number };
export type Page = { id: string; name: string; followers: number; ig: IgAccount | null };
export type AdAccount = { id: string; name: string; currency: string; timezone: string };
export type Campaign = {
  id: string; account: string; name: string; status: string; objective: string;
  dailyBudget: number | null; lifetimeBudget: number | null; startDay: number; endDay: number; updated: string;
};
export type AdSet = { id: string; campaignId: string; name: string; status: string; dailyBudget: number | null; lifetimeBudget: number | null; updated: string };
export type MetaUser = { id: string; name: string; slug: string; pages: Page[]; adAccounts: AdAccount[]; campaigns: Campaign[]; adSets: AdSet[] };

const COMPANIES = ["Acme", "Northwind", "Lumen Labs", "Harbor & Co", "Fjord Outdoor", "Maple Studio"];
const cache = new Map<string, MetaUser>();
export const pageOwner = new Map<string, string>();

const idFrom = (r: () => number, digits: number) => String(between(r, 10 ** (digits - 1), 10 ** digits - 1));

/** Day index → ISO day: index 0 is HISTORY_DAYS ago, HISTORY_DAYS-1 is yesterday (UTC). */
export const dayAt = (i: number) => isoDay(Date.now() - (HISTORY_DAYS - i) * DAY_MS);
export const indexOf = (day: string) => HISTORY_DAYS - Math.round((Date.parse(`${isoDay(Date.now())}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);

export function userOf(slug: string): MetaUser {
  const hit = cache.get(slug);
  if (hit) return hit;
  const r = rng(seedOf(`meta-user:${slug}`));
  const company = businessName(slug) ?? pick(r, COMPANIES);
  const user: MetaUser = { id: idFrom(r, 15), name: `${company} Admin`, slug, pages: [], adAccounts: [], campaigns: [], adSets: [] };
  const pageCount = r() < 0.35 ? 2 : 1;
  for (let p = 0; p < pageCount; p++) {
    const id = idFrom(r, 15);
    const ig = p === 0 || r() < 0.5 ? { id: `1784${idFrom(r, 13)}`, username: `${slug.replace(/[^a-z0-9]/gi, "").toLowerCase()}${p ? "_" + (p + 1) : ""}`, followers: between(r, 800, 40_000) } : null;
    user.pages.push({ id, name: p === 0 ? company : `${company} ${pick(r, ["Outlet", "Events", "Studio"])}`, followers: between(r, 500, 60_000), ig });
    pageOwner.set(id, slug);
    if (ig) pageOwner.set(ig.id, slug);
  }
  const adCount = r() < 0.3 ? 2 : 1;
  for (let a = 0; a < adCount; a++) {
    const acct = { id: `act_${idFrom(r, 12)}`, name: `${company}${a ? " EU" : ""} Ads`, currency: a ? "EUR" : pick(r, ["USD", "USD", "GBP", "EUR"]), timezone: "Etc/UTC" };
    user.adAccounts.push(acct);
    pageOwner.set(acct.id, slug);
    const nCampaigns = between(r, 4, 7);
    for (let c = 0; c < nCampaigns; c++) {
      // Every account has at least one campaign running on a daily budget (its first): an ad account
      // nobody advertises with is not what a user connects, and tests pause and resume that one.
      const always = c === 0;
      const startDay = between(r, 0, HISTORY_DAYS - 60);
      const drawnEnd = r() < 0.4 ? Math.min(HISTORY_DAYS - 1, startDay + between(r, 20, 200)) : HISTORY_DAYS - 1;
      const endDay = always ? HISTORY_DAYS - 1 : drawnEnd;
      const lifetime = r() < 0.25 && !always;
      const cid = `120${idFrom(r, 14)}`;
      // (drawn in the same order as before, so every other campaign stays as it was)
      const drawnStatus = drawnEnd < HISTORY_DAYS - 1 ? "PAUSED" : r() < 0.8 ? "ACTIVE" : "PAUSED";
      const status = always ? "ACTIVE" : drawnStatus;
      user.campaigns.push({
        id: cid, account: acct.id, name: `${company}${a ? " EU" : ""} ${pick(r, ["Spring Sale", "Always-on Prospecting", "Retargeting", "Brand Awareness", "Holiday Push", "Lookalikes"])} ${c + 1}`,
        status, objective: pick(r, ["OUTCOME_SALES", "OUTCOME_TRAFFIC", "OUTCOME_AWARENESS"]),
        dailyBudget: lifetime ? null : between(r, 10, 300) * 100, lifetimeBudget: lifetime ? between(r, 500, 9000) * 100 : null,
        startDay, endDay, updated: `${dayAt(startDay)}T09:00:00+0000`,
      });
      const nSets = between(r, 1, 3);
      for (let s = 0; s < nSets; s++) {
        user.adSets.push({
          id: `238${idFrom(r, 14)}`, campaignId: cid, name: `${pick(r, ["Broad", "Interests", "Lookalike 1%", "Website visitors"])} ${s + 1}`,
          status, dailyBudget: lifetime ? between(r, 5, 100) * 100 : null, lifetimeBudget: null, updated: `${dayAt(startDay)}T09:30:00+0000`,
        });
      }
    }
  }
  cache.set(slug, user);
  return user;
}

export const resetCache = () => cache.clear();

/** A Page's or IG account's daily insight values. */
export function socialDay(assetId: string, kind: "page" | "ig", i: number): Record<string, number> {
  const r = rng(seedOf(`meta-insights:${assetId}:${i}`));
  const trend = 0.8 + (0.4 * i) / HISTORY_DAYS;
  const base = (seedOf(assetId) % 4000) + 800;
  const views = Math.round(base * trend * (0.6 + 0.8 * r()));
  if (kind === "ig") return { reach: Math.round(views * (0.5 + 0.3 * r())), follower_count: between(r, 0, 40) };
  return {
    page_media_view: views,
    page_total_media_view_unique: Math.round(views * (0.55 + 0.25 * r())),
    page_post_engagements: Math.round(views * (0.02 + 0.06 * r())),
    page_follows: between(r, 0, 25),
  };
}

export type Post = {
  id: string; created: string; message: string; likes: number; comments: number; shares: number; reach: number; views: number; saved: number;
  /** IG: IMAGE | VIDEO | CAROUSEL_ALBUM (REELS as media_product_type); Page posts: photo | album | video. Absent: IMAGE / a status or photo. */
  mediaType?: string; productType?: string; children?: { id: string; mediaType: string }[];
};

/** postsOf's answers of today (every Graph call looks posts up by id; generating two years each time cost most of the sandbox's time). */
const postsCache = new Map<string, { day: string; posts: Post[] }>();

/** Posts of an asset, newest first (about three a week over two years). */
export function postsOf(assetId: string, kind: "page" | "ig"): Post[] {
  const key = `${assetId}|${kind}`;
  const day = isoDay(Date.now());
  const hit = postsCache.get(key);
  if (hit?.day === day) return hit.posts;
  const posts = generatePosts(assetId, kind);
  if (postsCache.size > 20_000) postsCache.clear();
  postsCache.set(key, { day, posts });
  return posts;
}

function generatePosts(assetId: string, kind: "page" | "ig"): Post[] {
  const out: Post[] = [];
  for (let i = 0; i < HISTORY_DAYS; i++) {
    const r = rng(seedOf(`meta-post:${assetId}:${i}`));
    if (r() > 0.42) continue;
    const hour = between(r, 7, 21);
    const views = between(r, 200, 9000);
    out.push({
      id: kind === "page" ? `${assetId}_${1000 + i}` : `179${assetId.slice(-6)}${String(i).padStart(5, "0")}`,
      created: `${dayAt(i)}T${String(hour).padStart(2, "0")}:15:00+0000`,
      message: pick(r, ["New arrivals are in!", "Behind the scenes today", "Weekend offer: 15% off", "Meet the team", "Thank you for 1k!"]),
      likes: Math.round(views * (0.02 + 0.05 * r())), comments: between(r, 0, 40), shares: between(r, 0, 25),
      reach: Math.round(views * (0.6 + 0.3 * r())), views, saved: between(r, 0, 30),
    });
  }
  return out.reverse();
}

export type AdDay = { spend: string; spendMinor: number; impressions: number; clicks: number; reach: number; purchases: number; valueMinor: number };

const digitsOf = (cur: string) => (cur === "JPY" ? 0 : 2);

/** One campaign's delivery on day i (null outside its flight). */
export function adDay(c: Campaign, currency: string, i: number): AdDay | null {
  if (i < c.startDay || i > c.endDay) return null;
  const r = rng(seedOf(`meta-ad:${c.id}:${i}`));
  const budget = c.dailyBudget ?? Math.round((c.lifetimeBudget ?? 10_000) / 30);
  const spendMinor = Math.round(budget * (0.55 + 0.45 * r()));
  const impressions = Math.round((spendMinor / 100) * between(r, 60, 140));
  const clicks = Math.round(impressions * (0.005 + 0.02 * r()));
  const purchases = Math.round(clicks * (0.01 + 0.05 * r()));
  const valueMinor = purchases * between(r, 2500, 9000);
  const d = digitsOf(currency);
  return { spend: (spendMinor / 10 ** d).toFixed(d), spendMinor, impressions, clicks, reach: Math.round(impressions * (0.6 + 0.3 * r())), purchases, valueMinor };
}
