// Comments on the sandbox's Page posts and Instagram media: plausible generated comments (questions,
// complaints, praise, spam, with replies) on each asset's newest posts, the Graph edges
// GET /{post-id}/comments (Facebook: filter=stream lists replies flat with `parent`; Instagram
// nests `replies`), GET /{comment-id}/comments | /replies, POST /{comment-id}/comments (FB reply),
// POST /{ig-comment-id}/replies (IG reply), POST /{comment-id} with is_hidden (FB) / hide (IG),
// cursor pagination and Graph errors. The control `comments/deliver` adds a comment and delivers
// it to the app as Meta would: a `feed` (item=comment) or `comments` webhook signed with
// X-Hub-Signature-256.
import { createHmac } from "node:crypto";
import { between, json, pick, readForm, rng, seedOf, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { postsOf, userOf, type MetaUser, type Post } from "./meta-data.ts";

export type SbComment = { id: string; postId: string; assetId: string; network: "facebook" | "instagram"; parentId: string | null; message: string; from: { id: string; name: string }; createdMs: number; hidden: boolean };

/** How many of an asset's newest posts carry generated comments. */
export const COMMENTED_POSTS = 6;
const added = new Map<string, SbComment>();
const hiddenState = new Map<string, boolean>();
/** Comments deleted (by their author, the Page, or the test control): gone from every edge. */
const deleted = new Set<string>();
/** Page size caps per asset (tests of pagination), and "lost answer" faults for replies. */
const pageCaps = new Map<string, number>();
const lostAnswers: { match: string; count: number }[] = [];
let seq = 0;
persisted("meta-comments", {
  save: () => ({ added: entries(added), hidden: entries(hiddenState), caps: entries(pageCaps), deleted: [...deleted], seq }),
  load: (d) => {
    refill(added, d.added);
    deleted.clear();
    for (const id of d.deleted ?? []) deleted.add(id);
    refill(hiddenState, d.hidden);
    refill(pageCaps, d.caps);
    seq = Number(d.seq ?? 0);
  },
});

const PEOPLE = [
  ["Jamie Rivera", "jamie.rvr"], ["Priya Shah", "priya_eats"], ["Tom Becker", "tombecker88"], ["Lena Fischer", "lena.fi"], ["Ana Costa", "anacosta.travels"],
  ["Omar Haddad", "omar.h"], ["Grace Kim", "gracek_"], ["Luca Moretti", "lucamoretti"],
] as const;
const TOP = [
  "Do you ship to Canada? Would love to order a few of these.",
  "What time do you open on Sundays?",
  "Is this available in size M? Can't find it on the website.",
  "My order #4411 arrived damaged and nobody answers my emails. Very disappointed.",
  "Waited two weeks for my refund, still nothing. Please fix this.",
  "The link in your bio is broken, just so you know.",
  "Love this! 😍 Best shop in town.",
  "Amazing service last weekend, thank you to the whole team!",
  "Crypto giveaway 💰 send 0.1 BTC, get 1 BTC back! DM me bit.ly/free-cash-now",
  "You have won a free iPhone 🔥 claim your prize 👉 bit.ly/win-now",
] as const;
const REPLIES = ["Same question here!", "+1, also waiting for an answer.", "Agreed, they are great 👏", "Happened to me too last month."] as const;

const isoOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
const nextId = () => String(Date.now()).slice(-8) + String(++seq).padStart(4, "0");
const ok = (body: unknown) => json(200, body, { "x-app-usage": JSON.stringify({ call_count: 2, total_cputime: 1, total_time: 1 }) });
const graphErr = (status: number, code: number, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { error: { message, type: code === 190 ? "OAuthException" : "GraphMethodException", code, ...extra, fbtrace_id: `Cmt${seq.toString(36)}` } });

type Asset = { id: string; network: "facebook" | "instagram"; name: string };
const assetsOf = (user: MetaUser): Asset[] =>
  user.pages.flatMap((p) => [{ id: p.id, network: "facebook" as const, name: p.name }, ...(p.ig ? [{ id: p.ig.id, network: "instagram" as const, name: p.ig.username }] : [])]);

/** The asset's posts that have comments: its newest COMMENTED_POSTS generated posts. */
const commentedPosts = (a: Asset): Post[] => postsOf(a.id, a.network === "facebook" ? "page" : "ig").slice(0, COMMENTED_POSTS);

const generatedCache = new Map<string, SbComment[]>();
function generated(a: Asset, post: Post): SbComment[] {
  const key = `${a.id}|${post.id}`;
  const hit = generatedCache.get(key);
  if (hit) return hit;
  const r = rng(seedOf(`meta-comments:${post.id}`));
  const base = Date.parse(post.created);
  const out: SbComment[] = [];
  const n = between(r, 1, 3);
  for (let k = 0; k < n; k++) {
    const who = pick(r, PEOPLE);
    const id = a.network === "facebook" ? `${post.id.split("_")[1]}${a.id.slice(-4)}_${100 + k}` : `180${post.id.slice(-10)}${k}`;
    const createdMs = Math.min(Date.now() - 60_000, base + between(r, 10, 600) * 60_000);
    out.push({ id, postId: post.id, assetId: a.id, network: a.network, parentId: null, message: pick(r, TOP), from: { id: `${seedOf(who[0]) % 1e9}${a.network === "facebook" ? 1 : 2}`, name: a.network === "facebook" ? who[0] : who[1] }, createdMs, hidden: false });
    if (r() < 0.35) {
      const other = pick(r, PEOPLE);
      out.push({ id: a.network === "facebook" ? `${id}1` : `${id}1`, postId: post.id, assetId: a.id, network: a.network, parentId: id, message: pick(r, REPLIES), from: { id: `${seedOf(other[0]) % 1e9}${a.network === "facebook" ? 1 : 2}`, name: a.network === "facebook" ? other[0] : other[1] }, createdMs: Math.min(Date.now() - 30_000, createdMs + 45 * 60_000), hidden: false });
    }
  }
  generatedCache.set(key, out);
  return out;
}

/** A deleted comment is gone, and so are the replies of a deleted top-level comment (as on Facebook and Instagram). */
const alive = (c: SbComment) => !deleted.has(c.id) && !(c.parentId && deleted.has(c.parentId));

/** Every comment of a post (generated and added), oldest first, with the current hidden state. */
function commentsOfPost(a: Asset, postId: string): SbComment[] {
  const post = commentedPosts(a).find((p) => p.id === postId);
  const list = [...(post ? generated(a, post) : []), ...[...added.values()].filter((c) => c.postId === postId)].filter(alive);
  return list.map((c) => ({ ...c, hidden: hiddenState.get(c.id) ?? c.hidden })).sort((x, y) => x.createdMs - y.createdMs);
}

function findPost(user: MetaUser, id: string): { asset: Asset; post: Post } | null {
  for (const a of assetsOf(user)) {
    const post = commentedPosts(a).find((p) => p.id === id) ?? (postsOf(a.id, a.network === "facebook" ? "page" : "ig").find((p) => p.id === id));
    if (post) return { asset: a, post };
  }
  return null;
}

function findComment(user: MetaUser, id: string): { asset: Asset; comment: SbComment } | null {
  const found = findAny(user, id);
  return found && alive(found.comment) ? found : null;
}

function findAny(user: MetaUser, id: string): { asset: Asset; comment: SbComment } | null {
  const extra = added.get(id);
  for (const a of assetsOf(user)) {
    if (extra && extra.assetId === a.id) return { asset: a, comment: { ...extra, hidden: hiddenState.get(id) ?? extra.hidden } };
    for (const p of commentedPosts(a)) {
      const c = generated(a, p).find((x) => x.id === id);
      if (c) return { asset: a, comment: { ...c, hidden: hiddenState.get(id) ?? c.hidden } };
    }
  }
  return null;
}

const fbShape = (c: SbComment) => ({ id: c.id, message: c.message, from: c.from, created_time: isoOf(c.createdMs), is_hidden: c.hidden, ...(c.parentId ? { parent: { id: c.parentId } } : {}) });
const igShape = (c: SbComment) => ({ id: c.id, text: c.message, username: c.from.name, from: { id: c.from.id, username: c.from.name }, timestamp: isoOf(c.createdMs), hidden: c.hidden });

/** Offsets as base64 `after` cursors; `next` only while more remain (Graph omits it on the last page). */
function paged(req: SandboxRequest, assetId: string, all: unknown[]) {
  const q = req.url.searchParams;
  const limit = Math.min(Number(q.get("limit") ?? 25) || 25, pageCaps.get(assetId) ?? 100);
  const after = q.get("after");
  const from = after ? Number(Buffer.from(after, "base64url").toString()) : 0;
  if (!Number.isInteger(from) || from < 0) return graphErr(400, 100, "(#100) Invalid cursor: the 'after' parameter is malformed");
  const data = all.slice(from, from + limit);
  const more = from + data.length < all.length;
  const next = new URL(`https://graph.facebook.com${req.path}`);
  for (const [k, v] of q) next.searchParams.set(k, v);
  next.searchParams.set("after", Buffer.from(String(from + data.length)).toString("base64url"));
  return ok({ data, paging: { cursors: { before: Buffer.from(String(from)).toString("base64url"), after: Buffer.from(String(from + data.length)).toString("base64url") }, ...(more ? { next: next.toString() } : {}) } });
}

function addComment(a: Asset, p: { postId: string; parentId: string | null; message: string; from: { id: string; name: string } }): SbComment {
  const c: SbComment = { id: a.network === "facebook" ? `${p.postId.split("_")[1] ?? "0"}_${nextId()}` : `181${nextId()}`, postId: p.postId, assetId: a.id, network: a.network, parentId: p.parentId, message: p.message, from: p.from, createdMs: Date.now(), hidden: false };
  added.set(c.id, c);
  changed();
  return c;
}

/**
 * Comment requests; null when the path is not one (meta.ts goes on). `pageToken`: the Page id a
 * Page token was issued for, else null (IG is read and written with the user token).
 */
export function handleComments(req: SandboxRequest, user: MetaUser, pageToken: string | null, path: string): SandboxResponse | null {
  const [id, edge, ...rest] = path.split("/");
  if (!id || rest.length) return null;
  const needsPageToken = (a: Asset) => a.network === "facebook" && pageToken !== a.id;
  const post = !edge || edge === "comments" ? findPost(user, id) : null;
  if (post && (edge === "comments" || req.method === "GET")) {
    if (needsPageToken(post.asset)) return graphErr(400, 190, "(#190) This method must be called with a Page Access Token");
    if (!edge) {
      const p = post.post;
      return ok(post.asset.network === "facebook"
        ? { id: p.id, message: p.message, created_time: p.created, permalink_url: `https://www.facebook.com/${p.id}` }
        : { id: p.id, caption: p.message, timestamp: p.created, permalink: `https://www.instagram.com/p/${p.id}/`, media_type: "IMAGE" });
    }
    if (req.method !== "GET") return graphErr(400, 200, "(#200) The sandbox takes new comments on a post through /_sandbox/meta/comments/deliver");
    const all = commentsOfPost(post.asset, id);
    if (post.asset.network === "facebook") {
      const stream = req.url.searchParams.get("filter") === "stream";
      return paged(req, post.asset.id, (stream ? all : all.filter((c) => !c.parentId)).map(fbShape));
    }
    return paged(req, post.asset.id, all.filter((c) => !c.parentId).map((c) => ({ ...igShape(c), replies: { data: all.filter((r) => r.parentId === c.id).map(igShape) } })));
  }
  const found = findComment(user, id);
  if (!found) return null;
  const { asset, comment } = found;
  if (needsPageToken(asset)) return graphErr(400, 190, "(#190) This method must be called with a Page Access Token");
  const replyEdge = asset.network === "facebook" ? "comments" : "replies";
  if (edge === replyEdge && req.method === "GET") return paged(req, asset.id, commentsOfPost(asset, comment.postId).filter((c) => c.parentId === (comment.parentId ?? comment.id)).map((c): unknown => (asset.network === "facebook" ? fbShape(c) : igShape(c))));
  if (edge === replyEdge && req.method === "POST") {
    const p = readForm(req);
    if (!p.message?.trim()) return graphErr(400, 100, "(#100) Missing message");
    if (p.message.length > 8000) return graphErr(400, 100, "(#100) The message is too long");
    // Facebook threads one level deep: a reply to a reply joins the top-level comment.
    const reply = addComment(asset, { postId: comment.postId, parentId: comment.parentId ?? comment.id, message: p.message, from: { id: asset.id, name: asset.name } });
    const i = lostAnswers.findIndex((f) => `${req.path} ${p.message}`.includes(f.match));
    if (i >= 0) {
      if (--lostAnswers[i]!.count <= 0) lostAnswers.splice(i, 1);
      return { status: 502, headers: { "content-type": "text/html" }, body: "<html><body><h1>502 Bad Gateway</h1></body></html>" };
    }
    return ok({ id: reply.id });
  }
  if (!edge && req.method === "POST") {
    const p = { ...Object.fromEntries(req.url.searchParams), ...readForm(req) };
    const field = asset.network === "facebook" ? "is_hidden" : "hide";
    if (p[field] !== "true" && p[field] !== "false") return graphErr(400, 100, `(#100) Param ${field} must be a boolean`);
    if (comment.from.id === asset.id) return graphErr(400, 100, "(#100) A comment made by the Page or account itself cannot be hidden");
    hiddenState.set(comment.id, p[field] === "true");
    changed();
    return ok({ success: true });
  }
  if (!edge && req.method === "GET") return ok(asset.network === "facebook" ? fbShape(comment) : igShape(comment));
  if (!edge && req.method === "DELETE") {
    deleted.add(comment.id);
    changed();
    return ok({ success: true });
  }
  return null;
}

/**
 * The webhook Meta would send for a new comment: Page `feed` (item=comment) or Instagram
 * `comments`; for a deleted Page comment, `feed` with verb "remove" (Instagram sends none).
 */
function webhookOf(c: SbComment, verb: "add" | "remove" = "add") {
  const time = Math.floor(c.createdMs / 1000);
  if (verb === "remove") {
    return {
      object: "page",
      entry: [{ id: c.assetId, time: Math.floor(Date.now() / 1000), changes: [{ field: "feed", value: {
        from: c.from, post_id: c.postId, comment_id: c.id, created_time: Math.floor(Date.now() / 1000), item: "comment", parent_id: c.parentId ?? c.postId, verb: "remove",
      } }] }],
    };
  }
  if (c.network === "facebook") {
    return {
      object: "page",
      entry: [{ id: c.assetId, time, changes: [{ field: "feed", value: {
        from: c.from, post: { status_type: "mobile_status_update", is_published: true, id: c.postId, permalink_url: `https://www.facebook.com/${c.postId}` },
        message: c.message, post_id: c.postId, comment_id: c.id, created_time: time, item: "comment", parent_id: c.parentId ?? c.postId, verb: "add",
      } }] }],
    };
  }
  return { object: "instagram", entry: [{ id: c.assetId, time, changes: [{ field: "comments", value: { from: { id: c.from.id, username: c.from.name }, media: { id: c.postId, media_product_type: "FEED" }, id: c.id, ...(c.parentId ? { parent_id: c.parentId } : {}), text: c.message } }] }] };
}

export const signBody = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** POSTs a signed delivery to the app (the given target, or the app started beside this sandbox). */
async function deliverTo(body: Record<string, any>, payload: string, signature: string): Promise<{ status: number } | null> {
  const target = body.target ?? (process.env.SANDBOX_APP_URL ? `${process.env.SANDBOX_APP_URL.replace(/\/$/, "")}/api/webhooks/meta` : null);
  if (!target || body.deliver === false) return null;
  const res = await fetch(target, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body: payload }).catch(() => null);
  await res?.body?.cancel();
  return res ? { status: res.status } : { status: 0 };
}

/** /_sandbox/meta/comments/… controls; null for other actions. */
export async function commentsControl(req: SandboxRequest, action: string, body: Record<string, any>, slug: string, appSecret: string): Promise<SandboxResponse | null> {
  if (!action.startsWith("comments/")) return null;
  const user = userOf(slug);
  const q = req.url.searchParams;
  if (action === "comments/list") {
    const assetId = String(q.get("asset") ?? "");
    const a = assetsOf(user).find((x) => x.id === assetId);
    if (!a) return json(404, { error: "unknown asset" });
    const posts = commentedPosts(a).map((p) => ({ id: p.id, message: p.message, comments: commentsOfPost(a, p.id) }));
    const extra = [...new Set([...added.values()].filter((c) => c.assetId === a.id && !posts.some((p) => p.id === c.postId)).map((c) => c.postId))].map((id) => ({ id, message: null, comments: commentsOfPost(a, id) }));
    return json(200, { posts: [...posts, ...extra] });
  }
  if (action === "comments/config" && req.method === "POST") {
    if (body.maxPage) pageCaps.set(String(body.asset), Number(body.maxPage));
    else pageCaps.delete(String(body.asset));
    return json(200, { ok: true });
  }
  if (action === "comments/lose-answer" && req.method === "POST") {
    lostAnswers.push({ match: String(body.match ?? ""), count: Number(body.count ?? 1) });
    return json(200, { ok: true });
  }
  if (action === "comments/deliver" && req.method === "POST") {
    const a = assetsOf(user).find((x) => x.id === String(body.asset ?? "")) ?? assetsOf(user)[0]!;
    const postId = String(body.postId ?? commentedPosts(a)[0]?.id ?? "");
    if (!findPost(user, postId)) return json(400, { error: "unknown post of this asset" });
    const who = pick(rng(seedOf(`deliver:${seq}`)), PEOPLE);
    const from = body.from ?? { id: `${seedOf(who[0]) % 1e9}${a.network === "facebook" ? 1 : 2}`, name: a.network === "facebook" ? who[0] : who[1] };
    const c = addComment(a, { postId, parentId: body.parentId ?? null, message: String(body.message ?? "Hi! Is this still available?"), from });
    const payload = JSON.stringify(webhookOf(c));
    const signature = signBody(appSecret, payload);
    const delivered = await deliverTo(body, payload, signature);
    return json(201, { comment: c, payload, signature, delivered });
  }
  // The author (or the Page) deleted a comment: gone from the Graph edges; a Page comment's
  // deletion is delivered as a `feed` change with verb "remove", an Instagram one is not delivered.
  if (action === "comments/delete" && req.method === "POST") {
    const found = findAny(user, String(body.id ?? ""));
    if (!found) return json(404, { error: "unknown comment" });
    deleted.add(found.comment.id);
    changed();
    if (found.asset.network !== "facebook") return json(200, { comment: found.comment, payload: null, signature: null, delivered: null });
    const payload = JSON.stringify(webhookOf(found.comment, "remove"));
    const signature = signBody(appSecret, payload);
    return json(200, { comment: found.comment, payload, signature, delivered: await deliverTo(body, payload, signature) });
  }
  return null;
}
