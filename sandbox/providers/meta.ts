// Meta Graph API (graph.facebook.com/v24.0) and Facebook Login (www.facebook.com dialog):
// long-lived user tokens, page tokens, Pages/IG insights, posts, media, ad accounts, campaigns,
// ad sets and ads insights over generated data; Meta's error bodies and usage headers.
import { createHmac } from "node:crypto";
import {
  checkToken, consentPage, expireTokens, header, html, issueCode, issueTokens, json, redeemCode, redirect,
  type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse,
} from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { adDay, dayAt, HISTORY_DAYS, indexOf, pageOwner, postsOf, resetCache, socialDay, userOf, type MetaUser } from "./meta-data.ts";
import { handlePublish, publishControl, publishedPostsOf } from "./meta-publish.ts";
import { commentsControl, handleComments } from "./meta-comments.ts";

export const META_APP = { id: "qweb-sandbox-client", secret: "qweb-sandbox-secret" };
const CALLBACK_PATH = "/api/integrations/oauth/callback";
const SHORT_TTL = 5400;
const LONG_TTL = 5183944;
const DEFAULT_USER = "sandbox-meta-user";
const DEPRECATED = new Set(["page_impressions", "page_impressions_unique", "page_fans", "impressions", "plays", "video_views", "post_impressions_unique"]);

/** Settings per user slug: long-lived token lifetime (s), page size cap. */
/** Per user: long-lived token lifetime (s); page caps for entity lists (maxPage) and for posts/insights (maxDataPage). */
const settings = new Map<string, { ttl?: number; maxPage?: number; maxDataPage?: number }>();
/** Writes through the Marketing API (status, budgets) per campaign or ad set id, applied over the generated data; and how many writes each object took. */
type Override = { status?: string; dailyBudget?: number; lifetimeBudget?: number; updated?: string };
const overrides = new Map<string, Override>();
const writes = new Map<string, number>();
persisted("meta", {
  save: () => ({ settings: entries(settings), owners: entries(pageOwner), overrides: entries(overrides), writes: entries(writes) }),
  load: (d) => { refill(settings, d.settings); refill(pageOwner, d.owners); refill(overrides, d.overrides); refill(writes, d.writes); resetCache(); },
});
const withOverride = <T extends { id: string; status: string; dailyBudget: number | null; lifetimeBudget: number | null; updated: string }>(o: T): T => {
  const w = overrides.get(o.id);
  return w ? { ...o, ...(w.status ? { status: w.status } : {}), ...(w.dailyBudget !== undefined ? { dailyBudget: w.dailyBudget } : {}), ...(w.lifetimeBudget !== undefined ? { lifetimeBudget: w.lifetimeBudget } : {}), updated: w.updated ?? o.updated } : o;
};

/** POST /{campaign-id} or /{adset-id}: status and budgets as form fields (or query), {"success": true}. */
function updateObject(req: SandboxRequest, user: MetaUser, id: string): SandboxResponse | null {
  const campaign = user.campaigns.find((c) => c.id === id);
  const adSet = user.adSets.find((s) => s.id === id);
  const target = campaign ?? adSet;
  if (!target) return null;
  const p: Record<string, string> = { ...Object.fromEntries(req.url.searchParams), ...Object.fromEntries(new URLSearchParams(req.body.toString("utf8"))) };
  delete p.access_token;
  const current = withOverride(target as any) as { status: string; dailyBudget: number | null; lifetimeBudget: number | null };
  const next: Override = { ...overrides.get(id) };
  if (p.status !== undefined) {
    if (!["ACTIVE", "PAUSED", "DELETED", "ARCHIVED"].includes(p.status)) return metaError(400, 100, "(#100) Param status must be one of {ACTIVE, PAUSED, DELETED, ARCHIVED}");
    next.status = p.status;
  }
  for (const [field, key] of [["daily_budget", "dailyBudget"], ["lifetime_budget", "lifetimeBudget"]] as const) {
    if (p[field] === undefined) continue;
    const v = Number(p[field]);
    if (!Number.isInteger(v) || v <= 0) return metaError(400, 100, `(#100) Param ${field} must be a positive integer`);
    if (key === "dailyBudget" && current.dailyBudget === null) {
      return metaError(400, 100, "Invalid parameter", { error_subcode: 1885621, error_user_title: "Budget type can't be changed", error_user_msg: "This object has no daily budget: its budget is set at another level or as a lifetime budget." });
    }
    if (key === "lifetimeBudget" && current.lifetimeBudget === null) return metaError(400, 100, "Invalid parameter", { error_subcode: 1885621, error_user_title: "Budget type can't be changed" });
    if (v < 100) return metaError(400, 100, "Invalid parameter", { error_subcode: 1885272, error_user_title: "Your budget is too low", error_user_msg: "The minimum budget is 1.00." });
    next[key] = v;
  }
  if (Object.keys(p).every((k) => !["status", "daily_budget", "lifetime_budget"].includes(k))) return metaError(400, 100, "(#100) No fields to update");
  next.updated = new Date().toISOString().replace(/\.\d{3}Z$/, "+0000");
  overrides.set(id, next);
  writes.set(id, (writes.get(id) ?? 0) + 1);
  changed();
  return ok({ success: true });
}

let trace = 0;
export const metaError = (status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  json(status, { error: { message, type: "OAuthException", code, ...extra, fbtrace_id: `AsbX${(++trace).toString(36)}Qw` } }, headers);

export function metaFault(f: Fault): SandboxResponse | null {
  const minutes = Math.max(1, Math.ceil((f.retryAfter ?? 60) / 60));
  switch (f.kind) {
    case "429":
      return metaError(400, 4, "(#4) Application request limit reached", { is_transient: true }, { "x-app-usage": JSON.stringify({ call_count: 100, total_cputime: 40, total_time: 45 }) });
    case "throttled":
      return metaError(400, 80000, "(#80000) There have been too many calls from this ad-account. Wait a bit and try again.", { error_subcode: 2446079 }, {
        "x-business-use-case-usage": JSON.stringify({ "1234567890": [{ type: "ads_insights", call_count: 100, total_cputime: 30, total_time: 30, estimated_time_to_regain_access: minutes, ads_api_access_tier: "standard_access" }] }),
      });
    case "500":
      return metaError(500, 1, "An unknown error has occurred.", { is_transient: true });
    case "503":
      return metaError(503, 2, "Service temporarily unavailable", { is_transient: true });
    case "token-expired":
      return metaError(400, 190, "Error validating access token: Session has expired on Tuesday, 01-Dec-26 10:00:00 PST.", { error_subcode: 463 });
    default:
      return null;
  }
}

const usageHeaders = () => ({ "x-app-usage": JSON.stringify({ call_count: 3, total_cputime: 1, total_time: 2 }) });
const ok = (body: unknown) => json(200, body, usageHeaders());

function backTo(uri: string, params: Record<string, string | undefined>) {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return redirect(u.toString());
}

function dialog(req: SandboxRequest): SandboxResponse {
  const p: Record<string, string> = req.method === "POST" ? Object.fromEntries(new URLSearchParams(req.body.toString("utf8"))) : Object.fromEntries(req.url.searchParams);
  if (p.client_id !== META_APP.id) return html(400, "<h1>Invalid App ID</h1>");
  let okUri = false;
  try {
    okUri = new URL(p.redirect_uri ?? "").pathname === CALLBACK_PATH;
  } catch {}
  if (!okUri) return html(400, "<h1>URL blocked: this redirect failed because the redirect URI is not whitelisted</h1>");
  const slug = (p.login_hint || DEFAULT_USER).toLowerCase();
  const scopes = (p.scope ?? "").split(",").filter(Boolean);
  if (req.method === "POST" && p.decision !== "approve") return backTo(p.redirect_uri!, { error: "access_denied", error_reason: "user_denied", error_description: "Permissions error", state: p.state });
  if (!(p.prompt === "none" || req.method === "POST")) {
    const hidden = { ...p };
    delete hidden.decision;
    return consentPage({ providerName: "Facebook", account: `${userOf(slug).name} (${userOf(slug).pages.map((x) => x.name).join(", ")})`, scopes, action: req.url.pathname, hidden });
  }
  userOf(slug);
  changed();
  const code = issueCode({ provider: "meta", account: slug, scopes, redirectUri: p.redirect_uri!, clientId: p.client_id });
  return backTo(p.redirect_uri!, { code, state: p.state });
}

function accessToken(req: SandboxRequest): SandboxResponse {
  const q = Object.fromEntries(req.url.searchParams);
  if (q.client_id !== META_APP.id || q.client_secret !== META_APP.secret) return metaError(400, 101, "Error validating client secret.");
  if (q.grant_type === "fb_exchange_token") {
    const t = checkToken("meta", q.fb_exchange_token);
    if (!t) return metaError(400, 190, "Error validating access token: The session has been invalidated.", { error_subcode: 460 });
    const ttl = settings.get(t.account)?.ttl ?? LONG_TTL;
    const long = issueTokens("meta", t.account, t.scopes, ttl, "EAAL");
    return ok({ access_token: long.accessToken, token_type: "bearer", expires_in: ttl });
  }
  const g = redeemCode("meta", q.code ?? "", { clientId: q.client_id, redirectUri: q.redirect_uri });
  if ("error" in g) return metaError(400, 100, "This authorization code has been used.", { error_subcode: 36009 });
  const short = issueTokens("meta", g.account, g.scopes, SHORT_TTL, "EAAS");
  return ok({ access_token: short.accessToken, token_type: "bearer", expires_in: SHORT_TTL });
}

const tokenOf = (req: SandboxRequest) => /^Bearer (.+)$/i.exec(header(req, "authorization") ?? "")?.[1] ?? req.url.searchParams.get("access_token") ?? undefined;

/** Pages a list with `after` cursors (base64 offsets) and a `next` URL when more remain. */
function paged<T>(req: SandboxRequest, user: MetaUser, all: T[], defaultLimit = 25, dataEdge = false) {
  const q = req.url.searchParams;
  const cap = dataEdge ? settings.get(user.slug)?.maxDataPage : settings.get(user.slug)?.maxPage;
  const limit = Math.min(Number(q.get("limit") ?? defaultLimit) || defaultLimit, cap ?? 5000);
  const from = Number(Buffer.from(q.get("after") ?? "", "base64url").toString() || 0);
  const data = all.slice(from, from + limit);
  const before = Buffer.from(String(from)).toString("base64url");
  const after = Buffer.from(String(from + data.length)).toString("base64url");
  const more = from + data.length < all.length;
  const next = new URL(`https://graph.facebook.com${req.path}`);
  for (const [k, v] of q) next.searchParams.set(k, v);
  next.searchParams.set("after", after);
  return ok({ data, paging: { cursors: { before, after }, ...(more ? { next: next.toString() } : {}) } });
}

const insightValues = (assetId: string, kind: "page" | "ig", metrics: string[], since: string, until: string) =>
  metrics.map((name) => {
    const values: { value: number; end_time: string }[] = [];
    for (let i = Math.max(0, indexOf(since)); i < Math.min(HISTORY_DAYS, indexOf(until)); i++) {
      // end_time closes the day: the value of day D carries end_time D+1 08:00 (Pacific midnight).
      values.push({ value: socialDay(assetId, kind, i)[name] ?? 0, end_time: `${isoNext(dayAt(i))}T08:00:00+0000` });
    }
    return { name, period: "day", values, title: name, description: name, id: `${assetId}/insights/${name}/day` };
  });

const isoNext = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

function insights(req: SandboxRequest, user: MetaUser, assetId: string, kind: "page" | "ig"): SandboxResponse {
  const q = req.url.searchParams;
  const metrics = (q.get("metric") ?? "").split(",").filter(Boolean);
  if (!metrics.length) return metaError(400, 3001, "Invalid query", { error_subcode: 1504028 });
  const bad = metrics.find((m) => DEPRECATED.has(m) || !(m in socialDay(assetId, kind, 0)));
  if (bad) return metaError(400, 100, `(#100) The value must be a valid insights metric: ${bad}`);
  const since = q.get("since") ?? dayAt(HISTORY_DAYS - 2);
  const until = q.get("until") ?? dayAt(HISTORY_DAYS - 1);
  const span = (Date.parse(until) - Date.parse(since)) / 86_400_000;
  if (!(span > 0) || span > (kind === "page" ? 93 : 30)) return metaError(400, 100, `(#100) There cannot be more than ${kind === "page" ? 93 : 30} days between since and until`);
  return ok({ data: insightValues(assetId, kind, metrics, since, until) });
}

function posts(req: SandboxRequest, user: MetaUser, assetId: string, kind: "page" | "ig") {
  const list = [...publishedPostsOf(assetId), ...postsOf(assetId, kind)].map((p) =>
    kind === "page"
      ? {
          id: p.id, message: p.message, created_time: p.created, permalink_url: `https://www.facebook.com/${p.id}`, shares: { count: p.shares },
          reactions: { data: [], summary: { total_count: p.likes } }, comments: { data: [], summary: { total_count: p.comments } },
          ...(p.mediaType ? { attachments: { data: [{ media_type: p.mediaType, ...(p.children ? { subattachments: { data: p.children.map((c) => ({ target: { id: c.id }, media_type: c.mediaType })) } } : {}) }] } } : {}),
          insights: { data: [{ name: "post_media_view", period: "lifetime", values: [{ value: p.views }] }, { name: "post_total_media_view_unique", period: "lifetime", values: [{ value: p.reach }] }] },
        }
      : {
          id: p.id, caption: p.message, permalink: `https://www.instagram.com/p/${p.id}/`, timestamp: p.created, like_count: p.likes, comments_count: p.comments,
          media_type: p.mediaType ?? "IMAGE", media_product_type: p.productType ?? "FEED", ...(p.children ? { children: { data: p.children.map((c) => ({ id: c.id, media_type: c.mediaType })) } } : {}),
          insights: { data: ["reach", "views", "shares", "saved", "total_interactions"].map((name) => ({ name, period: "lifetime", values: [{ value: name === "total_interactions" ? p.likes + p.comments + p.shares + p.saved : (p as any)[name] }] })) },
        },
  );
  return paged(req, user, list, 25, true);
}

function adInsights(req: SandboxRequest, user: MetaUser, acct: string): SandboxResponse {
  const q = req.url.searchParams;
  let range: { since?: string; until?: string };
  try {
    range = JSON.parse(q.get("time_range") ?? "{}");
  } catch {
    return metaError(400, 100, "(#100) param time_range must be a JSON object");
  }
  if (q.get("level") !== "campaign" || q.get("time_increment") !== "1" || !range.since || !range.until) return metaError(400, 100, "(#100) The sandbox serves level=campaign, time_increment=1 with a time_range");
  const currency = user.adAccounts.find((a) => a.id === acct)!.currency;
  const rows: unknown[] = [];
  for (let i = Math.max(0, indexOf(range.since)); i <= Math.min(HISTORY_DAYS - 1, indexOf(range.until)); i++) {
    for (const c of user.campaigns.filter((x) => x.account === acct)) {
      const d = adDay(c, currency, i);
      if (!d) continue;
      const value = (d.valueMinor / 100).toFixed(2);
      rows.push({
        account_id: acct.slice(4), campaign_id: c.id, spend: d.spend, impressions: String(d.impressions), clicks: String(d.clicks), reach: String(d.reach),
        ...(d.purchases ? {
          actions: [{ action_type: "link_click", value: String(d.clicks) }, { action_type: "purchase", value: String(d.purchases) }, { action_type: "omni_purchase", value: String(d.purchases) }, { action_type: "offsite_conversion.fb_pixel_purchase", value: String(d.purchases) }],
          action_values: [{ action_type: "purchase", value }, { action_type: "omni_purchase", value }, { action_type: "offsite_conversion.fb_pixel_purchase", value }],
        } : {}),
        date_start: dayAt(i), date_stop: dayAt(i),
      });
    }
  }
  return paged(req, user, rows, 25, true);
}

function handle(req: SandboxRequest): SandboxResponse | null {
  if (req.host === "www.facebook.com" && /^\/v\d+\.0\/dialog\/oauth$/.test(req.path)) return dialog(req);
  if (req.host !== "graph.facebook.com") return null;
  const m = /^\/v\d+\.0\/(.+)$/.exec(req.path);
  if (!m) return metaError(400, 2500, "Unknown path components");
  const path = m[1]!;
  if (path === "oauth/access_token") return accessToken(req);
  const t = checkToken("meta", tokenOf(req)) ?? checkToken("meta-page", tokenOf(req));
  if (!t) return metaError(400, 190, "Invalid OAuth access token - Cannot parse access token", { error_subcode: 463 });
  const pageTokenFor = checkToken("meta-page", tokenOf(req)) ? t.scopes[0] : null;
  const slug = t.account;
  const user = userOf(slug);
  const comments = handleComments(req, user, pageTokenFor ?? null, path);
  if (comments) return comments;
  const published = handlePublish(req, user, pageTokenFor ?? null, path);
  if (published) return published;
  if (path === "me" && req.method === "GET") return ok({ id: user.id, name: user.name });
  if (path === "me/permissions" && req.method === "DELETE") {
    expireTokens("meta", slug);
    return ok({ success: true });
  }
  if (path === "me/accounts") {
    return paged(req, user, user.pages.map((p) => ({
      id: p.id, name: p.name, category: "Retail Company", followers_count: p.followers, tasks: ["ANALYZE", "ADVERTISE", "CREATE_CONTENT"],
      ...(p.ig ? { instagram_business_account: { id: p.ig.id, username: p.ig.username, followers_count: p.ig.followers } } : {}),
    })));
  }
  if (path === "me/adaccounts") return paged(req, user, user.adAccounts.map((a) => ({ id: a.id, account_id: a.id.slice(4), name: a.name, currency: a.currency, timezone_name: a.timezone, account_status: 1 })), 25);
  const [id, edge] = path.split("/");
  if (req.method === "POST" && id && !edge) {
    const updated = updateObject(req, user, id);
    if (updated) return updated;
  }
  const page = user.pages.find((p) => p.id === id);
  const ig = user.pages.find((p) => p.ig?.id === id)?.ig;
  const acct = user.adAccounts.find((a) => a.id === id);
  if (!page && !ig && !acct) return metaError(400, 100, `(#100) Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`, { error_subcode: 33 });
  if (page && !edge) {
    if (pageTokenFor) return ok({ id: page.id, name: page.name });
    const pt = issueTokens("meta-page", slug, [page.id], null, "EAAP");
    return ok({ id: page.id, name: page.name, access_token: pt.accessToken });
  }
  if (page && (edge === "insights" || edge === "posts") && pageTokenFor !== page.id) return metaError(400, 190, "(#190) This method must be called with a Page Access Token");
  if (page && edge === "insights") return insights(req, user, page.id, "page");
  if (page && edge === "posts") return posts(req, user, page.id, "page");
  if (ig && edge === "insights") return insights(req, user, ig.id, "ig");
  if (ig && edge === "media") return posts(req, user, ig.id, "ig");
  if (acct && edge === "campaigns") {
    return paged(req, user, user.campaigns.filter((c) => c.account === acct.id).map(withOverride).map((c) => ({
      id: c.id, name: c.name, status: c.status, effective_status: c.status, objective: c.objective, updated_time: c.updated,
      ...(c.dailyBudget ? { daily_budget: String(c.dailyBudget) } : {}), ...(c.lifetimeBudget ? { lifetime_budget: String(c.lifetimeBudget) } : {}),
    })), 25);
  }
  if (acct && edge === "adsets") {
    const ids = new Set(user.campaigns.filter((c) => c.account === acct.id).map((c) => c.id));
    return paged(req, user, user.adSets.filter((s) => ids.has(s.campaignId)).map(withOverride).map((s) => ({
      id: s.id, name: s.name, campaign_id: s.campaignId, status: s.status, effective_status: s.status, updated_time: s.updated,
      ...(s.dailyBudget ? { daily_budget: String(s.dailyBudget) } : {}),
    })), 25);
  }
  if (acct && edge === "insights") return adInsights(req, user, acct.id);
  return metaError(400, 2500, `Unknown path components: /${path}`);
}

/** Signs a webhook body the way Meta does (X-Hub-Signature-256). */
export const metaSignature = (body: string) => `sha256=${createHmac("sha256", META_APP.secret).update(body).digest("hex")}`;

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const q = req.url.searchParams;
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  const slug = String(q.get("user") ?? body.user ?? DEFAULT_USER).toLowerCase();
  const user = userOf(slug);
  const pub = publishControl(req, action, body);
  if (pub) return pub;
  const comments = await commentsControl(req, action, body, slug, META_APP.secret);
  if (comments) return comments;
  if (action === "user") return json(200, { ...user, campaigns: user.campaigns.map(withOverride), adSets: user.adSets.map(withOverride) });
  // How many Marketing API writes each campaign / ad set received (exactly-once proofs).
  if (action === "writes") return json(200, Object.fromEntries(writes));
  // Long-lived token lifetime and page-size cap for this user.
  if (action === "config" && req.method === "POST") {
    settings.set(slug, { ttl: body.ttl ?? undefined, maxPage: body.maxPage ?? undefined, maxDataPage: body.maxDataPage ?? undefined });
    return json(200, { ok: true });
  }
  if (action === "expire" && req.method === "POST") {
    expireTokens("meta", slug);
    return json(200, { ok: true });
  }
  // Exact figures for a date range [start, end] (inclusive).
  if (action === "stats") {
    const start = q.get("start") ?? dayAt(0);
    const end = q.get("end") ?? dayAt(HISTORY_DAYS - 1);
    const lo = Math.max(0, indexOf(start));
    const hi = Math.min(HISTORY_DAYS - 1, indexOf(end));
    const social: Record<string, Record<string, number>> = {};
    const assets = user.pages.flatMap((p) => [[p.id, "page"], ...(p.ig ? [[p.ig.id, "ig"]] : [])] as [string, "page" | "ig"][]);
    for (const [id, kind] of assets) {
      const sums: Record<string, number> = { rows: 0 };
      for (let i = lo; i <= hi; i++) for (const [k, v] of Object.entries(socialDay(id, kind, i))) { sums[k] = (sums[k] ?? 0) + v; sums.rows!++; }
      social[id] = { ...sums, posts: postsOf(id, kind).length };
    }
    const ads: Record<string, { rows: number; spendMinor: number; impressions: number; clicks: number; purchases: number; valueMinor: number }> = {};
    for (const a of user.adAccounts) {
      const s = { rows: 0, spendMinor: 0, impressions: 0, clicks: 0, purchases: 0, valueMinor: 0 };
      for (const c of user.campaigns.filter((x) => x.account === a.id)) {
        for (let i = lo; i <= hi; i++) {
          const d = adDay(c, a.currency, i);
          if (!d) continue;
          s.rows++; s.spendMinor += d.spendMinor; s.impressions += d.impressions; s.clicks += d.clicks; s.purchases += d.purchases; s.valueMinor += d.valueMinor;
        }
      }
      ads[a.id] = s;
    }
    return json(200, { social, ads });
  }
  if (action === "sign" && req.method === "POST") return json(200, { signature: metaSignature(String(body.body ?? "")) });
  return null;
}

export const meta: ProviderModule = { id: "meta", handle, control, renderFault: (f) => metaFault(f) };
