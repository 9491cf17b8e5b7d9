// Comments of Page posts and Instagram media for the team inbox: the recent posts, their comments
// with replies (cursor pagination by `after`), replying (FB: POST /{comment-id}/comments, IG:
// POST /{ig-comment-id}/replies), hiding (FB is_hidden, IG hide), and the comment changes of a
// Meta webhook delivery (Page `feed` with item=comment, Instagram `comments`).
import { ProviderError } from "../http";
import type { ConnectorRuntime } from "../types";
import { afterOf, graphGet, type Paged } from "./graph";
import { graphPost } from "./publish";

export type Network = "facebook" | "instagram";

export type GraphPost = { id: string; message: string | null; permalink: string | null; imageUrl: string | null; publishedAt: number | null };
export type GraphComment = {
  id: string;
  postId: string;
  /** The top-level comment this one replies to (null for a top-level comment). */
  parentId: string | null;
  message: string;
  from: { id: string | null; name: string | null };
  createdAt: number;
  hidden: boolean;
};

/** How many of an asset's newest posts have their comments read. */
export const RECENT_POSTS = 25;
const COMMENT_PAGE = 50;

type FbPostRow = { id: string; message?: string; permalink_url?: string; full_picture?: string; created_time?: string };
type IgMediaRow = { id: string; caption?: string; permalink?: string; media_url?: string; timestamp?: string };

const time = (s: string | number | undefined) => (typeof s === "number" ? s * 1000 : s ? Date.parse(s) || null : null);

/** The asset's newest posts (Page posts with the page token, IG media with the user token). */
export async function recentPosts(rt: ConnectorRuntime, token: string, network: Network, assetId: string, limit = RECENT_POSTS): Promise<GraphPost[]> {
  if (network === "facebook") {
    const body = await graphGet<Paged<FbPostRow>>(rt, `${assetId}/posts`, { fields: "id,message,permalink_url,full_picture,created_time", limit: String(limit) }, token, "page posts");
    return (body.data ?? []).map((p) => ({ id: p.id, message: p.message ?? null, permalink: p.permalink_url ?? null, imageUrl: p.full_picture ?? null, publishedAt: time(p.created_time) }));
  }
  const body = await graphGet<Paged<IgMediaRow>>(rt, `${assetId}/media`, { fields: "id,caption,permalink,media_url,timestamp", limit: String(limit) }, token, "ig media");
  return (body.data ?? []).map((m) => ({ id: m.id, message: m.caption ?? null, permalink: m.permalink ?? null, imageUrl: m.media_url ?? null, publishedAt: time(m.timestamp) }));
}

/** One post, for a webhook's comment on a post not seen yet. */
export async function postOf(rt: ConnectorRuntime, token: string, network: Network, postId: string): Promise<GraphPost> {
  if (network === "facebook") {
    const p = await graphGet<FbPostRow>(rt, postId, { fields: "id,message,permalink_url,full_picture,created_time" }, token, "post");
    return { id: p.id ?? postId, message: p.message ?? null, permalink: p.permalink_url ?? null, imageUrl: p.full_picture ?? null, publishedAt: time(p.created_time) };
  }
  const m = await graphGet<IgMediaRow>(rt, postId, { fields: "id,caption,permalink,media_url,timestamp" }, token, "ig media item");
  return { id: m.id ?? postId, message: m.caption ?? null, permalink: m.permalink ?? null, imageUrl: m.media_url ?? null, publishedAt: time(m.timestamp) };
}

type FbCommentRow = { id: string; message?: string; from?: { id?: string; name?: string }; created_time?: string; parent?: { id?: string }; is_hidden?: boolean };
type IgCommentRow = { id: string; text?: string; username?: string; from?: { id?: string; username?: string }; timestamp?: string; hidden?: boolean; replies?: { data?: IgCommentRow[] } };

const fbComment = (postId: string, c: FbCommentRow): GraphComment => ({
  id: c.id, postId, parentId: c.parent?.id ?? null, message: c.message ?? "", from: { id: c.from?.id ?? null, name: c.from?.name ?? null },
  createdAt: time(c.created_time) ?? 0, hidden: !!c.is_hidden,
});
const igComment = (postId: string, c: IgCommentRow, parentId: string | null): GraphComment => ({
  id: c.id, postId, parentId, message: c.text ?? "", from: { id: c.from?.id ?? null, name: c.from?.username ?? c.username ?? null },
  createdAt: time(c.timestamp) ?? 0, hidden: !!c.hidden,
});

/**
 * One page of a post's comments, oldest first, replies included: Facebook's `filter=stream` lists
 * them flat with their `parent`; Instagram nests them under each comment's `replies`.
 */
export async function commentsPage(rt: ConnectorRuntime, token: string, network: Network, postId: string, after: string | null): Promise<{ comments: GraphComment[]; after: string | null }> {
  if (network === "facebook") {
    const params: Record<string, string> = { fields: "id,message,from{id,name},created_time,parent{id},is_hidden", filter: "stream", order: "chronological", limit: String(COMMENT_PAGE) };
    if (after) params.after = after;
    const body = await graphGet<Paged<FbCommentRow>>(rt, `${postId}/comments`, params, token, "comments");
    return { comments: (body.data ?? []).map((c) => fbComment(postId, c)), after: afterOf(body) };
  }
  const params: Record<string, string> = { fields: "id,text,username,from{id,username},timestamp,hidden,replies{id,text,username,from{id,username},timestamp,hidden}", limit: String(COMMENT_PAGE) };
  if (after) params.after = after;
  const body = await graphGet<Paged<IgCommentRow>>(rt, `${postId}/comments`, params, token, "ig comments");
  const out: GraphComment[] = [];
  for (const c of body.data ?? []) {
    out.push(igComment(postId, c, null));
    for (const r of c.replies?.data ?? []) out.push(igComment(postId, r, c.id));
  }
  return { comments: out, after: afterOf(body) };
}

/** Replies to a top-level comment (to find a reply whose answer was lost before posting again). */
export async function repliesOf(rt: ConnectorRuntime, token: string, network: Network, commentId: string): Promise<{ id: string; message: string; fromId: string | null }[]> {
  const edge = network === "facebook" ? "comments" : "replies";
  const out: { id: string; message: string; fromId: string | null }[] = [];
  // Every page (Meta may answer fewer than `limit` per page): the lost reply can be on any of them.
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const params: Record<string, string> = { fields: network === "facebook" ? "id,message,from{id}" : "id,text,from{id}", limit: "100", ...(after ? { after } : {}) };
    const body = await graphGet<Paged<{ id: string; message?: string; text?: string; from?: { id?: string } }>>(rt, `${commentId}/${edge}`, params, token, "replies");
    for (const r of body.data ?? []) out.push({ id: r.id, message: r.message ?? r.text ?? "", fromId: r.from?.id ?? null });
    after = afterOf(body);
    if (!after || !(body.data ?? []).length) break;
  }
  return out;
}

/**
 * Whether a comment still exists: Graph answers a deleted (or no longer visible) object with
 * error #100 ("Object with ID … does not exist"). Other failures go up.
 */
export async function commentExists(rt: ConnectorRuntime, token: string, commentId: string): Promise<boolean> {
  try {
    await graphGet<{ id?: string }>(rt, commentId, { fields: "id" }, token, "comment");
    return true;
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "permanent" && /\(#100(\/\d+)?\)/.test(err.message)) return false;
    throw err;
  }
}

/** A public reply on the thread: Facebook comments on the comment, Instagram posts to its replies edge. */
export async function replyToComment(rt: ConnectorRuntime, token: string, network: Network, commentId: string, message: string): Promise<{ id: string }> {
  return graphPost<{ id: string }>(rt, `${commentId}/${network === "facebook" ? "comments" : "replies"}`, { message }, token, "reply to comment");
}

/** Hides (or shows again) a comment: Facebook `is_hidden`, Instagram `hide`. */
export async function setCommentHidden(rt: ConnectorRuntime, token: string, network: Network, commentId: string, hidden: boolean): Promise<void> {
  await graphPost<{ success?: boolean }>(rt, commentId, { [network === "facebook" ? "is_hidden" : "hide"]: String(hidden) }, token, hidden ? "hide comment" : "unhide comment");
}

export type CommentChange = {
  network: Network;
  /** The Page id or IG business account id the delivery's entry is for. */
  assetId: string;
  verb: "add" | "edited" | "remove" | "hide" | "unhide";
  comment: GraphComment;
};

type Change = { field?: string; value?: Record<string, any> };
type Delivery = { object?: string; entry?: { id?: string; time?: number; changes?: Change[] }[] };

/**
 * The comment changes of a (signature-checked) delivery: Page `feed` changes with item=comment
 * (comment_id, post_id, parent_id = the post for a top-level comment), Instagram `comments`
 * (id, media.id, parent_id for a reply). Other changes are ignored. A deleted Page comment comes
 * as verb "remove"; Instagram sends nothing for a deleted comment (the poll finds it gone).
 */
export function commentChanges(rawBody: Uint8Array): CommentChange[] {
  let p: Delivery;
  try {
    p = JSON.parse(new TextDecoder().decode(rawBody)) as Delivery;
  } catch {
    return [];
  }
  const out: CommentChange[] = [];
  for (const e of p.entry ?? []) {
    if (!e.id) continue;
    for (const ch of e.changes ?? []) {
      const v = ch.value;
      if (!v || typeof v !== "object") continue;
      if (p.object === "page" && ch.field === "feed" && v.item === "comment" && typeof v.comment_id === "string" && typeof v.post_id === "string") {
        const parent = typeof v.parent_id === "string" && v.parent_id !== v.post_id ? v.parent_id : null;
        const verb = ["add", "edited", "remove", "hide", "unhide"].includes(v.verb) ? v.verb : "add";
        out.push({
          network: "facebook", assetId: e.id, verb,
          comment: {
            id: v.comment_id, postId: v.post_id, parentId: parent, message: String(v.message ?? ""), from: { id: v.from?.id ?? null, name: v.from?.name ?? null },
            createdAt: time(v.created_time) ?? (e.time ?? 0) * 1000, hidden: verb === "hide",
          },
        });
      } else if (p.object === "instagram" && ch.field === "comments" && typeof v.id === "string" && typeof v.media?.id === "string") {
        out.push({
          network: "instagram", assetId: e.id, verb: "add",
          comment: {
            id: v.id, postId: v.media.id, parentId: typeof v.parent_id === "string" ? v.parent_id : null, message: String(v.text ?? ""),
            from: { id: v.from?.id ?? null, name: v.from?.username ?? null }, createdAt: (e.time ?? 0) * 1000, hidden: false,
          },
        });
      }
    }
  }
  return out;
}
