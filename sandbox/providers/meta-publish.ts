// Meta's publishing endpoints: Page posts (POST /{page-id}/feed, /{page-id}/photos — published=false
// uploads a photo to attach with attached_media[n]={"media_fbid":…} — /{page-id}/videos with
// file_url, GET feed and videos), Instagram's container flow (POST /{ig-user-id}/media → GET
// /{container-id}?fields=status_code → POST /{ig-user-id}/media_publish; REELS for a single
// video, carousels from is_carousel_item children and a media_type=CAROUSEL parent; videos stay
// IN_PROGRESS for some polls), content_publishing_limit (50 per rolling 24 h), comments,
// error 506 on a duplicate Page post. Published posts join the Page's posts / IG media lists
// (with metrics) so the next sync sees them. Tests count publishes per post text (exactly-once)
// and arm "lost answer" faults: the provider records the write, then the answer never arrives.
import { createHash } from "node:crypto";
import { json, readForm, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import type { MetaUser, Post } from "./meta-data.ts";

/** `altText`: a Page photo's alt_text_custom or an IG image's alt_text; `altTexts`: its children's, in order (album, carousel). */
type Published = Post & { kind: "page" | "ig"; assetId: string; createdMs: number; link: string | null; media: string | null; videoId?: string; altText?: string | null; altTexts?: (string | null)[]; comments_: { id: string; message: string; createdMs: number }[] };
type Container = {
  id: string; igId: string; caption: string; media: string; createdMs: number; polls: number; state: "IN_PROGRESS" | "FINISHED" | "ERROR" | "PUBLISHED"; mediaId: string | null;
  kind?: "single" | "item" | "carousel"; video?: boolean; children?: string[]; altText?: string | null;
};
/** A Page photo uploaded with published=false: no post of its own until a feed post attaches it. */
type Unpublished = { id: string; pageId: string; url: string; createdMs: number; attachedTo: string | null; altText?: string | null };
type Step = "feed" | "photos" | "videos" | "media" | "media_publish" | "comments";

const published = new Map<string, Published>();
const containers = new Map<string, Container>();
const unpublished = new Map<string, Unpublished>();
/** Writes that created something, per asset and text: `${assetId}|${sha(text)}` → count. */
const counts = new Map<string, number>();
/** Per IG account: polls answered IN_PROGRESS before FINISHED; posts already used in the window. */
const igSettings = new Map<string, { inProgressPolls?: number; videoPolls?: number; usedToday?: number; failContainer?: boolean }>();
const lostAnswers: { step: Step; match: string; count: number }[] = [];
let seq = 0;
persisted("meta-publish", {
  save: () => ({ published: entries(published), containers: entries(containers), unpublished: entries(unpublished), counts: entries(counts), igSettings: entries(igSettings), seq }),
  load: (d) => {
    refill(published, d.published);
    refill(containers, d.containers);
    refill(unpublished, d.unpublished ?? []);
    refill(counts, d.counts);
    refill(igSettings, d.igSettings);
    seq = Number(d.seq ?? 0);
  },
});

const DAY_MS = 86_400_000;
const sha = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 16);
const countKey = (assetId: string, text: string) => `${assetId}|${sha(text)}`;
const bump = (assetId: string, text: string) => counts.set(countKey(assetId, text), (counts.get(countKey(assetId, text)) ?? 0) + 1);
const nextId = (digits: number) => String(Date.now()).slice(-9) + String(++seq).padStart(digits, "0");
const graphErr = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { error: { message, type: code === 190 ? "OAuthException" : "GraphMethodException", code, ...extra, fbtrace_id: `Pub${seq.toString(36)}` } });
const ok = (body: unknown) => json(200, body, { "x-app-usage": JSON.stringify({ call_count: 4, total_cputime: 1, total_time: 2 }) });

/** After the write is recorded: the answer is lost (a gateway error page), when a test armed it. */
function answer(step: Step, subject: string, body: unknown): SandboxResponse {
  const i = lostAnswers.findIndex((f) => f.step === step && subject.includes(f.match));
  if (i >= 0) {
    if (--lostAnswers[i]!.count <= 0) lostAnswers.splice(i, 1);
    return { status: 502, headers: { "content-type": "text/html" }, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" };
  }
  return ok(body);
}

function metricsFor(id: string, createdMs: number) {
  const ageH = Math.max(1, (Date.now() - createdMs) / 3_600_000);
  const base = (Number.parseInt(sha(id).slice(0, 6), 16) % 400) + 100;
  const grow = Math.min(1, 0.3 + ageH / 48);
  const views = Math.round(base * 4 * grow);
  return { views, reach: Math.round(views * 0.7), likes: Math.round(views * 0.05), shares: Math.round(views * 0.01), saved: Math.round(views * 0.01) };
}

/** Published posts of an asset, newest first, in the generated posts' shape (for GET posts / media). */
export function publishedPostsOf(assetId: string): Post[] {
  return [...published.values()]
    .filter((p) => p.assetId === assetId)
    .sort((a, b) => b.createdMs - a.createdMs)
    .map((p) => ({ ...p, ...metricsFor(p.id, p.createdMs), comments: p.comments_.length }));
}

const isoOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");

/** A media URL Meta can fetch: absolute http(s), and not past a signed `exp` (seconds or ms). */
function mediaProblem(url: string | undefined): string | null {
  if (!url) return "missing";
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  if (!/^https?:$/.test(u.protocol)) return "not http(s)";
  const exp = Number(u.searchParams.get("expires"));
  if (exp && (exp < 1e12 ? exp * 1000 : exp) < Date.now()) return "expired";
  return null;
}

const subjectOf = (req: SandboxRequest, params: Record<string, string>) =>
  `${req.path} ${params.message ?? params.caption ?? params.description ?? ""} ${params.creation_id ?? ""} ${params.image_url ?? params.video_url ?? params.url ?? params.file_url ?? ""}`;
/** A media URL without its signature: the same file across tries (each try signs it anew). */
const fileOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};
const MAX_CHILDREN = 10;

/** attached_media[n]={"media_fbid":"…"}: the Page's own unpublished photos, each attached once; an error response when not. */
function attachedOf(p: Record<string, string>, pageId: string): Unpublished[] | SandboxResponse {
  const keys = Object.keys(p).filter((k) => /^attached_media\[\d+\]$/.test(k)).sort((a, b) => Number(a.slice(15, -1)) - Number(b.slice(15, -1)));
  const out: Unpublished[] = [];
  for (const k of keys) {
    let fbid: unknown;
    try {
      fbid = JSON.parse(p[k]!).media_fbid;
    } catch {
      return graphErr(400, 100, `(#100) param ${k} must be a JSON object with a media_fbid`);
    }
    const photo = unpublished.get(String(fbid ?? ""));
    if (!photo || photo.pageId !== pageId) return graphErr(400, 100, `(#100) param ${k} has an invalid media_fbid: ${String(fbid)} is not an unpublished photo of this Page`, { error_subcode: 1366046 });
    if (photo.attachedTo) return graphErr(400, 100, `(#100) The photo ${photo.id} is already attached to post ${photo.attachedTo}`, { error_subcode: 1366046 });
    out.push(photo);
  }
  return out;
}

function uploadUnpublished(req: SandboxRequest, pageId: string, p: Record<string, string>): SandboxResponse {
  const id = nextId(3);
  unpublished.set(id, { id, pageId, url: p.url!, createdMs: Date.now(), attachedTo: null, altText: p.alt_text_custom ?? null });
  bump(`${pageId}/unpublished`, fileOf(p.url!));
  changed();
  return answer("photos", subjectOf(req, p), { id });
}

function createPagePost(req: SandboxRequest, pageId: string, edge: "feed" | "photos", pageToken: string | null): SandboxResponse {
  if (pageToken !== pageId) return graphErr(403, 200, "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission");
  const p = readForm(req);
  const text = edge === "photos" ? (p.caption ?? "") : (p.message ?? "");
  const attached = edge === "feed" ? attachedOf(p, pageId) : [];
  if (!Array.isArray(attached)) return attached;
  if (edge === "feed" && !p.message && !p.link && !attached.length) return graphErr(400, 100, "(#100) Missing message or attachment");
  if (edge === "photos" && mediaProblem(p.url)) return graphErr(400, 324, `(#324) Missing or invalid image file (${mediaProblem(p.url)})`);
  if (edge === "photos" && p.published === "false") return uploadUnpublished(req, pageId, p);
  const now = Date.now();
  const dup = [...published.values()].some((x) => x.assetId === pageId && x.message === text && text && now - x.createdMs < DAY_MS);
  if (dup) return graphErr(400, 506, "(#506) Duplicate status message", { error_subcode: 1455006, error_user_title: "Duplicate post", error_user_msg: "This status update is identical to the last one you posted." });
  const id = `${pageId}_${nextId(4)}`;
  for (const photo of attached) photo.attachedTo = id;
  const mediaType = attached.length ? "album" : edge === "photos" ? "photo" : undefined;
  published.set(id, {
    id, kind: "page", assetId: pageId, created: isoOf(now), createdMs: now, message: text, link: p.link ?? null, media: p.url ?? (attached.map((a) => a.url).join(" ") || null),
    mediaType, children: attached.length ? attached.map((a) => ({ id: a.id, mediaType: "photo" })) : undefined,
    altText: edge === "photos" ? (p.alt_text_custom ?? null) : null, altTexts: attached.length ? attached.map((a) => a.altText ?? null) : undefined, comments_: [], likes: 0, comments: 0, shares: 0, reach: 0, views: 0, saved: 0,
  });
  bump(pageId, text);
  changed();
  return answer(edge, subjectOf(req, p), edge === "photos" ? { id: nextId(3), post_id: id } : { id });
}

/** POST /{page-id}/videos with file_url (Meta downloads it): answers the video id; its post joins the Page's feed as {page-id}_{video-id}. */
function createPageVideo(req: SandboxRequest, pageId: string, pageToken: string | null): SandboxResponse {
  if (pageToken !== pageId) return graphErr(403, 200, "(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission");
  const p = readForm(req);
  if (!p.file_url && !p.source) return graphErr(400, 100, "(#100) Missing file_url or source: a video needs a file");
  const problem = mediaProblem(p.file_url);
  if (problem) return graphErr(400, 389, `Unable to fetch video file from URL (${problem})`, { error_user_title: "Video upload failed" });
  const now = Date.now();
  const videoId = nextId(4);
  const id = `${pageId}_${videoId}`;
  published.set(id, { id, kind: "page", assetId: pageId, created: isoOf(now), createdMs: now, message: p.description ?? "", link: null, media: p.file_url!, mediaType: "video", videoId, comments_: [], likes: 0, comments: 0, shares: 0, reach: 0, views: 0, saved: 0 });
  bump(pageId, p.description ?? "");
  changed();
  return answer("videos", subjectOf(req, p), { id: videoId });
}

const videoOf = (videoId: string) => [...published.values()].find((x) => x.videoId === videoId);

function createContainer(req: SandboxRequest, igId: string): SandboxResponse {
  const p = readForm(req);
  if (p.media_type === "CAROUSEL") return createCarousel(req, igId, p);
  const item = p.is_carousel_item === "true";
  const media = p.video_url ?? p.image_url;
  if (!media) return graphErr(400, 9004, "Only photo or video can be accepted as media type.", { error_subcode: 2207052, error_user_title: "Media type not supported" });
  if (p.video_url && item && p.media_type !== "VIDEO") return graphErr(400, 100, "(#100) A carousel item video needs media_type=VIDEO");
  if (p.video_url && !item && p.media_type !== "REELS") return graphErr(400, 100, "(#100) The parameter media_type must be REELS for a video (VIDEO is deprecated)");
  const problem = mediaProblem(media);
  if (problem) return graphErr(400, 9004, `The media could not be fetched from this uri: ${media} (${problem})`, { error_subcode: 2207052, error_user_title: "Media download has failed" });
  if ((p.caption ?? "").length > 2200) return graphErr(400, 100, "(#100) The caption is longer than 2200 characters", { error_subcode: 2207010 });
  if (p.alt_text && p.video_url) return graphErr(400, 100, "(#100) alt_text is supported for images only (not Reels, videos or stories)");
  const id = `178${nextId(9)}`;
  const fail = igSettings.get(igId)?.failContainer;
  containers.set(id, { id, igId, caption: item ? "" : (p.caption ?? ""), media, createdMs: Date.now(), polls: 0, state: fail ? "ERROR" : "IN_PROGRESS", mediaId: null, kind: item ? "item" : "single", video: !!p.video_url, altText: p.alt_text ?? null });
  if (item) bump(`${igId}/items`, fileOf(media));
  changed();
  return answer("media", subjectOf(req, p), { id });
}

/** The carousel parent: 2–10 of this account's FINISHED item containers, in order. */
function createCarousel(req: SandboxRequest, igId: string, p: Record<string, string>): SandboxResponse {
  const ids = (p.children ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  if (ids.length < 2 || ids.length > MAX_CHILDREN) return graphErr(400, 100, `(#100) The parameter children must contain between 2 and ${MAX_CHILDREN} container ids; it has ${ids.length}`, { error_subcode: 2207050 });
  if (new Set(ids).size !== ids.length) return graphErr(400, 100, "(#100) The parameter children repeats a container id");
  for (const cid of ids) {
    const c = containers.get(cid);
    if (!c || c.igId !== igId) return graphErr(400, 100, `(#100) Param children has an invalid container id: ${cid} does not exist`, { error_subcode: 33 });
    if (c.kind !== "item") return graphErr(400, 100, `(#100) The container ${cid} was not created as a carousel item (is_carousel_item=true)`);
  }
  for (const cid of ids) {
    const c = containers.get(cid)!;
    if (c.state === "PUBLISHED") return graphErr(400, 9007, `The carousel item ${cid} has already been published`, { error_subcode: 2207001 });
    if (Date.now() - c.createdMs > DAY_MS) return graphErr(400, 9007, `The carousel item ${cid} has expired`, { error_subcode: 2207008 });
    if (c.state === "ERROR") return graphErr(400, 9007, `The carousel item ${cid} failed to process`, { error_subcode: 2207003 });
    if (c.state !== "FINISHED") return graphErr(400, 9007, `Media ID is not available: the carousel item ${cid} is still being processed`, { error_subcode: 2207027 });
  }
  if ((p.caption ?? "").length > 2200) return graphErr(400, 100, "(#100) The caption is longer than 2200 characters", { error_subcode: 2207010 });
  const id = `178${nextId(9)}`;
  containers.set(id, { id, igId, caption: p.caption ?? "", media: ids.map((c) => containers.get(c)!.media).join(" "), createdMs: Date.now(), polls: 0, state: "IN_PROGRESS", mediaId: null, kind: "carousel", children: ids });
  changed();
  return answer("media", subjectOf(req, p), { id });
}

function containerStatus(c: Container): SandboxResponse {
  if (c.state === "IN_PROGRESS") {
    c.polls++;
    // Videos are transcoded: they stay IN_PROGRESS longer than images.
    const polls = c.video ? (igSettings.get(c.igId)?.videoPolls ?? 2) : (igSettings.get(c.igId)?.inProgressPolls ?? 1);
    if (c.polls > polls) c.state = "FINISHED";
    changed();
  }
  const expired = c.state !== "PUBLISHED" && Date.now() - c.createdMs > DAY_MS;
  const code = expired ? "EXPIRED" : c.state;
  return ok({ status_code: code, status: code === "ERROR" ? "Error: Media upload has failed with error code 2207003" : code === "IN_PROGRESS" ? "In Progress: Media is still being processed." : code === "FINISHED" ? "Finished: Media has been uploaded and it is ready to be published." : code, id: c.id });
}

const usedToday = (igId: string) =>
  (igSettings.get(igId)?.usedToday ?? 0) + [...published.values()].filter((x) => x.assetId === igId && Date.now() - x.createdMs < DAY_MS).length;

function mediaPublish(req: SandboxRequest, igId: string): SandboxResponse {
  const p = { ...Object.fromEntries(req.url.searchParams), ...readForm(req) };
  const c = containers.get(p.creation_id ?? "");
  if (!c || c.igId !== igId) return graphErr(400, 100, `(#100) Unsupported post request. Object with ID '${p.creation_id}' does not exist`, { error_subcode: 33 });
  if (c.kind === "item") return graphErr(400, 100, "(#100) A carousel item container cannot be published on its own: publish its CAROUSEL container");
  if (c.state === "PUBLISHED") return graphErr(400, 9007, "The media has already been published", { error_subcode: 2207001 });
  if (c.state !== "FINISHED") return graphErr(400, 9007, "Media ID is not available: the media is not ready for publishing, please wait for a moment", { error_subcode: 2207027 });
  if (usedToday(igId) >= 50) return graphErr(400, 9, "(#9) Application request limit reached: the account has reached the maximum of 50 API-published posts in a 24-hour period", { error_subcode: 2207042, is_transient: false });
  const now = Date.now();
  const id = `179${nextId(9)}`;
  c.state = "PUBLISHED";
  c.mediaId = id;
  const children = (c.children ?? []).map((cid) => {
    const child = containers.get(cid)!;
    child.state = "PUBLISHED";
    child.mediaId = `179${nextId(9)}`;
    return { id: child.mediaId, mediaType: child.video ? "VIDEO" : "IMAGE" };
  });
  const mediaType = c.kind === "carousel" ? "CAROUSEL_ALBUM" : c.video ? "VIDEO" : "IMAGE";
  published.set(id, {
    id, kind: "ig", assetId: igId, created: isoOf(now), createdMs: now, message: c.caption, link: null, media: c.media, mediaType, productType: c.video ? "REELS" : "FEED",
    children: children.length ? children : undefined, altText: c.altText ?? null, altTexts: c.children ? c.children.map((cid) => containers.get(cid)!.altText ?? null) : undefined, comments_: [], likes: 0, comments: 0, shares: 0, reach: 0, views: 0, saved: 0,
  });
  bump(igId, c.caption);
  changed();
  return answer("media_publish", subjectOf(req, { ...p, caption: c.caption }), { id });
}

function comment(req: SandboxRequest, post: Published, pageToken: string | null): SandboxResponse {
  if (post.kind === "page" && pageToken !== post.assetId) return graphErr(403, 200, "(#200) Permissions error");
  if (req.method === "GET") return ok({ data: post.comments_.map((c) => (post.kind === "page" ? { id: c.id, message: c.message, created_time: isoOf(c.createdMs) } : { id: c.id, text: c.message, timestamp: isoOf(c.createdMs) })), paging: { cursors: { before: "MA", after: "MA" } } });
  const p = readForm(req);
  if (!p.message) return graphErr(400, 100, "(#100) Missing message");
  const id = post.kind === "page" ? `${post.id}_${nextId(3)}` : `180${nextId(9)}`;
  post.comments_.push({ id, message: p.message, createdMs: Date.now() });
  bump(`${post.id}/comments`, p.message);
  changed();
  return answer("comments", `${req.path} ${p.message}`, { id });
}

/**
 * Publishing requests of `user`; null when the path is not one of them (meta.ts goes on).
 * `pageToken`: the Page id a Page token was issued for, else null.
 */
export function handlePublish(req: SandboxRequest, user: MetaUser, pageToken: string | null, path: string): SandboxResponse | null {
  const [id, edge, ...rest] = path.split("/");
  if (!id || rest.length) return null;
  const page = user.pages.find((p) => p.id === id);
  const ig = user.pages.find((p) => p.ig?.id === id)?.ig;
  if (page && (edge === "feed" || edge === "photos") && req.method === "POST") return createPagePost(req, page.id, edge, pageToken);
  if (page && edge === "videos" && req.method === "POST") return createPageVideo(req, page.id, pageToken);
  if (page && edge === "videos" && req.method === "GET") {
    if (pageToken !== page.id) return graphErr(400, 190, "(#190) This method must be called with a Page Access Token");
    const rows = publishedPostsOf(page.id).map((p) => published.get(p.id)!).filter((p) => p.videoId);
    return ok({ data: rows.map((p) => ({ id: p.videoId, description: p.message, created_time: p.created, permalink_url: `/${page.id}/videos/${p.videoId}/` })), paging: { cursors: { before: "MA", after: "MA" } } });
  }
  if (page && edge === "feed" && req.method === "GET") {
    if (pageToken !== page.id) return graphErr(400, 190, "(#190) This method must be called with a Page Access Token");
    const since = Number(req.url.searchParams.get("since") ?? 0) * 1000;
    const rows = publishedPostsOf(page.id).filter((p) => (published.get(p.id)?.createdMs ?? 0) >= since);
    return ok({ data: rows.map((p) => ({ id: p.id, message: p.message, created_time: p.created, permalink_url: `https://www.facebook.com/${p.id}` })), paging: { cursors: { before: "MA", after: "MA" } } });
  }
  if (ig && edge === "media" && req.method === "POST") return createContainer(req, ig.id);
  if (ig && edge === "media_publish" && req.method === "POST") return mediaPublish(req, ig.id);
  if (ig && edge === "content_publishing_limit") return ok({ data: [{ quota_usage: usedToday(ig.id), config: { quota_total: 50, quota_duration: 86400 } }] });
  const owned = (assetId: string) => user.pages.some((p) => p.id === assetId || p.ig?.id === assetId);
  const post = published.get(id);
  if (post && owned(post.assetId)) {
    if (edge === "comments") return comment(req, post, pageToken);
    if (!edge && req.method === "GET") return ok(post.kind === "page" ? { id: post.id, permalink_url: `https://www.facebook.com/${post.id}`, message: post.message } : { id: post.id, permalink: `https://www.instagram.com/p/${post.id}/`, caption: post.message });
  }
  const video = videoOf(id);
  if (video && owned(video.assetId) && !edge && req.method === "GET") {
    if (pageToken !== video.assetId) return graphErr(400, 190, "(#190) This method must be called with a Page Access Token");
    return ok({ id, description: video.message, permalink_url: `/${video.assetId}/videos/${id}/`, post_id: video.id });
  }
  if (video && owned(video.assetId) && edge === "comments") return comment(req, video, pageToken);
  const c = containers.get(id);
  if (c && owned(c.igId) && !edge && req.method === "GET") return containerStatus(c);
  return null;
}

/** /_sandbox/meta/publish/… : counts, lost-answer faults, IG settings. Null for other actions. */
export function publishControl(req: SandboxRequest, action: string, body: Record<string, any>): SandboxResponse | null {
  if (action === "publish/count") {
    const asset = String(req.url.searchParams.get("asset") ?? body.asset ?? "");
    const text = String(req.url.searchParams.get("text") ?? body.text ?? "");
    return json(200, { count: counts.get(countKey(asset, text)) ?? 0 });
  }
  if (action === "publish/stats") {
    // Post-creating writes (Page posts and media_publish; not comments): the benchmark's exactly-once check.
    let writes = 0;
    let duplicates = 0;
    for (const [key, n] of counts) {
      if (key.includes("/comments|") || key.includes("/items|") || key.includes("/unpublished|")) continue;
      writes += n;
      if (n > 1) duplicates += n - 1;
    }
    return json(200, { writes, duplicates, distinct: [...counts.keys()].filter((k) => !k.includes("/comments|") && !k.includes("/items|") && !k.includes("/unpublished|")).length, containers: containers.size });
  }
  if (action === "publish/posts") {
    const asset = String(req.url.searchParams.get("asset") ?? "");
    return json(200, { posts: [...published.values()].filter((p) => p.assetId === asset).map((p) => ({ id: p.id, message: p.message, media: p.media, link: p.link, mediaType: p.mediaType ?? null, children: p.children ?? [], altText: p.altText ?? null, altTexts: p.altTexts ?? [], comments: p.comments_ })) });
  }
  if (action === "publish/lose-answer" && req.method === "POST") {
    lostAnswers.push({ step: body.step as Step, match: String(body.match ?? ""), count: Number(body.count ?? 1) });
    return json(200, { ok: true });
  }
  if (action === "publish/ig" && req.method === "POST") {
    igSettings.set(String(body.igId), { inProgressPolls: body.inProgressPolls, videoPolls: body.videoPolls, usedToday: body.usedToday, failContainer: body.failContainer });
    return json(200, { ok: true });
  }
  if (action === "publish/reset" && req.method === "DELETE") {
    lostAnswers.splice(0, lostAnswers.length);
    return json(200, { ok: true });
  }
  return null;
}
