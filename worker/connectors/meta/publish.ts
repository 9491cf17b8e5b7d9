// Meta's write calls for publishing: Page posts (feed, photos, multi-photo via unpublished photos
// and attached_media, videos), Instagram's container flow (create → status_code → media_publish,
// carousels: a child container per item, then the CAROUSEL parent), first comments, and the
// reads a retry uses to find what an earlier, unanswered try already created (Graph has no
// idempotency keys).
import { ProviderError, providerUrl } from "../http";
import type { ConnectorRuntime } from "../types";
import { GRAPH_BASE, graphError, graphGet, type GraphError, type Paged } from "./graph";

/** Meta's "duplicate status message": the same text was just posted on this Page. */
export const DUPLICATE_POST = 506;
/** Instagram's content_publishing_limit: posts per rolling 24 h per account. */
export const IG_DAILY_LIMIT = 50;

export class GraphWriteError extends ProviderError {
  constructor(readonly inner: ProviderError, readonly code: number | null, readonly subcode: number | null) {
    super(inner.kind, inner.message, inner.opts);
  }
}

/** POST a Graph edge with form parameters; every failure becomes a GraphWriteError carrying Meta's code. */
export async function graphPost<T>(rt: ConnectorRuntime, path: string, params: Record<string, string>, token: string, what: string): Promise<T> {
  let res: Response;
  try {
    res = await rt.fetch(providerUrl(rt, "meta", `${GRAPH_BASE}/${path}`), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(rt.timeoutMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    throw new GraphWriteError(new ProviderError("transient", `meta ${what}: ${timedOut ? "timed out" : "network error"}`, { provider: "meta" }), null, null);
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    // Cut off mid-answer: the write may or may not have happened (a retry looks before it writes again).
    throw new GraphWriteError(new ProviderError("transient", `meta ${what}: answer lost (cut off)`, { status: res.status, provider: "meta" }), null, null);
  }
  let body: { error?: GraphError } & Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    // A gateway page instead of Graph's JSON: the call may or may not have happened.
    throw new GraphWriteError(new ProviderError("transient", `meta ${what}: answer lost (HTTP ${res.status})`, { status: res.status, provider: "meta" }), null, null);
  }
  if (!res.ok || body?.error) {
    const e = body?.error;
    throw new GraphWriteError(graphError(res.status, e, res.headers, what), Number(e?.code) || null, Number(e?.error_subcode) || null);
  }
  return body as T;
}

export type PagePostInput = { pageId: string; message: string; link?: string | null; imageUrl?: string | null; altText?: string | null; attachedMedia?: string[] };

/**
 * A Page post: a photo post when there is one image, a feed post carrying `attached_media` when
 * there are several (photos uploaded unpublished first), else a feed post (with its link).
 */
export async function createPagePost(rt: ConnectorRuntime, token: string, p: PagePostInput): Promise<{ id: string }> {
  if (p.imageUrl) {
    // A Page photo's own alt text is `alt_text_custom` (Graph's `alt_text` is the one Meta generates).
    const params: Record<string, string> = { url: p.imageUrl, caption: p.message };
    if (p.altText) params.alt_text_custom = p.altText;
    const body = await graphPost<{ id: string; post_id?: string }>(rt, `${p.pageId}/photos`, params, token, "publish photo");
    return { id: body.post_id ?? body.id };
  }
  const params: Record<string, string> = { message: p.message };
  if (p.link) params.link = p.link;
  (p.attachedMedia ?? []).forEach((fbid, i) => (params[`attached_media[${i}]`] = JSON.stringify({ media_fbid: fbid })));
  return graphPost<{ id: string }>(rt, `${p.pageId}/feed`, params, token, "publish post");
}

/** A photo uploaded to the Page without a post of its own (`published=false`), to attach to a multi-photo post. */
export async function uploadUnpublishedPhoto(rt: ConnectorRuntime, token: string, pageId: string, url: string, altText?: string | null): Promise<string> {
  const params: Record<string, string> = { url, published: "false" };
  if (altText) params.alt_text_custom = altText;
  const body = await graphPost<{ id: string }>(rt, `${pageId}/photos`, params, token, "upload photo");
  return body.id;
}

/**
 * A Page video from a URL Meta fetches (`file_url`): the simple, non-resumable upload, which
 * suits files Meta downloads itself (the resumable session API is for bytes we would push).
 */
export async function createPageVideo(rt: ConnectorRuntime, token: string, pageId: string, fileUrl: string, description: string): Promise<string> {
  const body = await graphPost<{ id: string }>(rt, `${pageId}/videos`, { file_url: fileUrl, description }, token, "publish video");
  return body.id;
}

type VideoRow = { id: string; description?: string; created_time?: string; permalink_url?: string };

/** A Page video with exactly this description created at or after `sinceMs` (a lost answer's video). */
export async function findPageVideo(rt: ConnectorRuntime, token: string, pageId: string, description: string, sinceMs: number): Promise<VideoRow | null> {
  const body = await graphGet<Paged<VideoRow>>(rt, `${pageId}/videos`, { fields: "id,description,created_time,permalink_url", limit: "100" }, token, "find video");
  return (body.data ?? []).find((r) => r.description === description && (!r.created_time || Date.parse(r.created_time) >= Math.floor(sinceMs / 1000) * 1000)) ?? null;
}

/** Graph answers a video's permalink_url relative to facebook.com ("/page/videos/123/"). */
export const absoluteFacebookUrl = (url: string) => (url.startsWith("/") ? `https://www.facebook.com${url}` : url);

type FeedRow = { id: string; message?: string; created_time?: string; permalink_url?: string };

/** A post on the Page with exactly this message, created at or after `sinceMs` (a lost answer's post). */
export async function findPagePost(rt: ConnectorRuntime, token: string, pageId: string, message: string, sinceMs: number): Promise<FeedRow | null> {
  const body = await graphGet<Paged<FeedRow>>(rt, `${pageId}/feed`, { fields: "id,message,created_time,permalink_url", since: String(Math.floor(sinceMs / 1000)), limit: "100" }, token, "find post");
  return (body.data ?? []).find((r) => r.message === message) ?? null;
}

export async function permalinkOf(rt: ConnectorRuntime, token: string, id: string, field: "permalink_url" | "permalink"): Promise<string | null> {
  const body = await graphGet<Record<string, string>>(rt, id, { fields: field }, token, "permalink");
  return body[field] ?? null;
}

export async function createComment(rt: ConnectorRuntime, token: string, objectId: string, message: string): Promise<{ id: string }> {
  return graphPost<{ id: string }>(rt, `${objectId}/comments`, { message }, token, "first comment");
}

export async function findComment(rt: ConnectorRuntime, token: string, objectId: string, message: string): Promise<string | null> {
  const body = await graphGet<Paged<{ id: string; message?: string; text?: string }>>(rt, `${objectId}/comments`, { fields: "id,message,text", limit: "100" }, token, "find comment");
  return (body.data ?? []).find((c) => (c.message ?? c.text) === message)?.id ?? null;
}

/** How many posts the account published in the last 24 h, and its limit. */
export async function igQuota(rt: ConnectorRuntime, token: string, igId: string): Promise<{ usage: number; total: number }> {
  const body = await graphGet<Paged<{ quota_usage?: number; config?: { quota_total?: number } }>>(rt, `${igId}/content_publishing_limit`, { fields: "quota_usage,config" }, token, "publishing limit");
  const row = body.data?.[0];
  return { usage: Number(row?.quota_usage ?? 0), total: Number(row?.config?.quota_total ?? IG_DAILY_LIMIT) };
}

export type IgMediaInput = { igId: string; caption: string; imageUrl?: string | null; videoUrl?: string | null; altText?: string | null };

export async function createContainer(rt: ConnectorRuntime, token: string, m: IgMediaInput): Promise<string> {
  const params: Record<string, string> = { caption: m.caption };
  if (m.videoUrl) Object.assign(params, { media_type: "REELS", video_url: m.videoUrl });
  else if (m.imageUrl) params.image_url = m.imageUrl;
  if (m.altText && !m.videoUrl) params.alt_text = m.altText;
  const body = await graphPost<{ id: string }>(rt, `${m.igId}/media`, params, token, "create container");
  return body.id;
}

/** A carousel item's container: an image, or a video (`media_type=VIDEO` inside a carousel; REELS is for single videos). */
export async function createCarouselItem(rt: ConnectorRuntime, token: string, m: { igId: string; imageUrl?: string | null; videoUrl?: string | null; altText?: string | null }): Promise<string> {
  const params: Record<string, string> = { is_carousel_item: "true" };
  if (m.videoUrl) Object.assign(params, { media_type: "VIDEO", video_url: m.videoUrl });
  else if (m.imageUrl) params.image_url = m.imageUrl;
  // alt_text is for images (not Reels, stories or videos), a carousel's image items included.
  if (m.altText && !m.videoUrl) params.alt_text = m.altText;
  const body = await graphPost<{ id: string }>(rt, `${m.igId}/media`, params, token, "create carousel item");
  return body.id;
}

/** The carousel's parent container: its children (2–10 item containers, in order) and the caption. */
export async function createCarouselContainer(rt: ConnectorRuntime, token: string, m: { igId: string; caption: string; children: string[] }): Promise<string> {
  const body = await graphPost<{ id: string }>(rt, `${m.igId}/media`, { media_type: "CAROUSEL", children: m.children.join(","), caption: m.caption }, token, "create carousel");
  return body.id;
}

export type ContainerStatus = "IN_PROGRESS" | "FINISHED" | "ERROR" | "EXPIRED" | "PUBLISHED";

export async function containerStatus(rt: ConnectorRuntime, token: string, containerId: string): Promise<{ code: ContainerStatus; status: string | null }> {
  const body = await graphGet<{ status_code?: ContainerStatus; status?: string }>(rt, containerId, { fields: "status_code,status" }, token, "container status");
  return { code: body.status_code ?? "IN_PROGRESS", status: body.status ?? null };
}

export async function publishContainer(rt: ConnectorRuntime, token: string, igId: string, containerId: string): Promise<string> {
  const body = await graphPost<{ id: string }>(rt, `${igId}/media_publish`, { creation_id: containerId }, token, "media_publish");
  return body.id;
}

/** The account's media with this caption since `sinceMs` (a published container whose answer was lost). */
export async function findMedia(rt: ConnectorRuntime, token: string, igId: string, caption: string, sinceMs: number): Promise<{ id: string; permalink?: string } | null> {
  const body = await graphGet<Paged<{ id: string; caption?: string; timestamp?: string; permalink?: string }>>(rt, `${igId}/media`, { fields: "id,caption,timestamp,permalink", limit: "50" }, token, "find media");
  return (body.data ?? []).find((m) => m.caption === caption && (!m.timestamp || Date.parse(m.timestamp) >= Math.floor(sinceMs / 1000) * 1000)) ?? null;
}
