// Facebook Page and Instagram comments as inbox conversations. Each connected Page / IG account
// of a workspace's Meta connection becomes a comment "mailbox" (its Mailbox DO polls the recent
// posts' comments); each top-level comment is a conversation, its replies the thread. Comments
// also arrive in real time from the signed Meta webhook. Ingest is idempotent on the comment id.
// Replies go out through the usual send_reply path; hiding a comment is a moderation call.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { commentSources, conversations, inboxComments, inboxCommentPosts, inboxCommentTombstones, inboxDrafts, inboxMessages, integrations, mailboxes, socialAccounts, type CommentNetwork } from "../../db/schema";
import type { Ctx, TenantCtx } from "../../core/context";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { ProviderError } from "../../connectors/http";
import { pageToken } from "../../connectors/meta/social";
import { commentChanges, commentExists, commentsPage, postOf, recentPosts, repliesOf, replyToComment, setCommentHidden, type GraphComment, type GraphPost } from "../../connectors/meta/comments";
import type { ConnectorRuntime } from "../../connectors/types";
import { listOf } from "../../connectors/meta/graph";
import { openContext } from "../integrations";
import { getConversation } from "./conversations";
import type { MailboxRow } from "./ingest";
import { mailboxStub, mailboxView } from "./mailboxes";
import { removeByProvider } from "./removals";
import { triageMessage } from "./routing";
import { chunkRows, columnsOf, inChunks } from "../../db/chunk";
import { MailboxNeedsReconnect } from "./tokens";
import type { CommentsState, MailTransport, TransportCursor, TransportStep } from "./transport";

type Source = typeof commentSources.$inferSelect;
const LOCAL_DRAFT = "comment-draft:";

const excerpt = (s: string | null | undefined, n = 60) => {
  const t = (s ?? "").replace(/\s+/g, " ").trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};
export const commenterAddress = (network: CommentNetwork, from: GraphComment["from"]) =>
  network === "facebook" ? `fb:${from.id ?? "unknown"}` : `ig:${(from.name ?? from.id ?? "unknown").toLowerCase()}`;

async function sourceOf(ctx: Ctx, mailboxId: string): Promise<Source | null> {
  const [row] = await ctx.db.select().from(commentSources).where(eq(commentSources.mailboxId, mailboxId)).limit(1);
  return row ?? null;
}

async function needsReconnect(ctx: Ctx, mailboxId: string, reason: string): Promise<never> {
  await ctx.db.update(mailboxes).set({ status: "needs_reconnect", lastError: reason, updatedAt: ctx.now }).where(eq(mailboxes.id, mailboxId));
  throw new MailboxNeedsReconnect(reason);
}

/** The Meta connection's runtime and the token for this asset (the Page's own token; the user token for IG). */
async function metaAccess(ctx: Ctx, source: Source): Promise<{ rt: ConnectorRuntime; token: string }> {
  const sc = await openContext(ctx.env, source.integrationId);
  if (!sc || sc.unreadable || sc.integration.status === "needs_reconnect") {
    return needsReconnect(ctx, source.mailboxId, sc?.unreadable ?? "The Meta connection of this workspace was disconnected or needs reconnecting; reconnect it to read comments");
  }
  try {
    const token = source.network === "facebook" ? await pageToken(sc.rt, sc.secrets, source.assetId) : String(sc.secrets.accessToken ?? "");
    if (!token) return needsReconnect(ctx, source.mailboxId, "No Meta access token is stored; reconnect Meta");
    return { rt: sc.rt, token };
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "unauthorized" || err.kind === "permanent")) return needsReconnect(ctx, source.mailboxId, `Meta refused the stored authorization (${err.message}); reconnect Meta`);
    throw err;
  }
}

/** Unauthorized answers of a read stop the source until Meta is reconnected. */
async function guarded<T>(ctx: Ctx, source: Source, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "unauthorized") return needsReconnect(ctx, source.mailboxId, `Meta refused the stored authorization (${err.message}); reconnect Meta`);
    throw err;
  }
}

async function savePost(ctx: Ctx, mailbox: MailboxRow, p: GraphPost) {
  const set = { message: p.message, permalink: p.permalink, imageUrl: p.imageUrl, publishedAt: p.publishedAt, updatedAt: ctx.now };
  await ctx.db.insert(inboxCommentPosts).values({ mailboxId: mailbox.id, postId: p.id, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, ...set })
    .onConflictDoUpdate({ target: [inboxCommentPosts.mailboxId, inboxCommentPosts.postId], set });
}

async function knownPost(ctx: Ctx, mailboxId: string, postId: string) {
  const [row] = await ctx.db.select().from(inboxCommentPosts).where(and(eq(inboxCommentPosts.mailboxId, mailboxId), eq(inboxCommentPosts.postId, postId))).limit(1);
  return row ?? null;
}

/**
 * Stores one comment (idempotent on its id: a re-sync or a redelivered webhook changes nothing but
 * the hidden state). A top-level comment opens a conversation; a reply joins its parent's.
 */
export async function ingestComment({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; source: Source; comment: GraphComment } }): Promise<boolean> {
  const { db } = ctx;
  const { mailbox, source, comment: c } = input;
  const [seen] = await db.select({ id: inboxComments.messageId, hidden: inboxComments.hidden }).from(inboxComments)
    .where(and(eq(inboxComments.mailboxId, mailbox.id), eq(inboxComments.commentId, c.id))).limit(1);
  if (seen) {
    if (seen.hidden !== c.hidden) await db.update(inboxComments).set({ hidden: c.hidden }).where(eq(inboxComments.messageId, seen.id));
    return false;
  }
  // Removed at the network already (a late or redelivered `add`, a listing behind the delete): it stays removed, and so do replies to it.
  const [gone] = await db.select({ id: inboxCommentTombstones.commentId }).from(inboxCommentTombstones)
    .where(and(eq(inboxCommentTombstones.mailboxId, mailbox.id), inArray(inboxCommentTombstones.commentId, c.parentId ? [c.id, c.parentId] : [c.id]))).limit(1);
  if (gone) return false;
  const threadKey = c.parentId ?? c.id;
  const outbound = c.from.id === source.assetId;
  const date = c.createdAt || ctx.now;
  const post = await knownPost(ctx, mailbox.id, c.postId);
  const subject = `Comment on “${excerpt(post?.message) || (source.network === "facebook" ? "a Page post" : "an Instagram post")}”`;
  const from = { name: c.from.name ? (source.network === "instagram" ? `@${c.from.name}` : c.from.name) : null, address: commenterAddress(source.network, c.from) };
  const snippet = excerpt(c.message, 200);

  await db.insert(conversations).values({
    id: newId(), orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, transport: source.network, threadKey, subject, snippet,
    participants: [], unreadCount: 0, messageCount: 0, waitingSince: null, firstResponseAt: null, lastMessageAt: date, createdAt: ctx.now, updatedAt: ctx.now,
  }).onConflictDoNothing();
  const [conv] = await db.select().from(conversations).where(and(eq(conversations.mailboxId, mailbox.id), eq(conversations.threadKey, threadKey))).limit(1);
  if (!conv) return false;

  const messageId = newId();
  const inserted = await db.insert(inboxMessages).values({
    id: messageId, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, conversationId: conv.id, providerId: c.id, threadKey,
    from, to: [], cc: [], subject, html: null, text: c.message.slice(0, 20_000), snippet, headers: {}, labelIds: outbound ? ["SENT"] : [],
    direction: outbound ? "out" : "in", unread: !outbound, date, createdAt: ctx.now,
  }).onConflictDoNothing().returning({ id: inboxMessages.id });
  // Stored meanwhile by the other path (webhook vs. poll).
  if (!inserted.length) return false;
  await db.insert(inboxComments).values({
    messageId, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, mailboxId: mailbox.id, conversationId: conv.id, commentId: c.id, parentId: c.parentId, postId: c.postId,
    authorId: c.from.id, authorName: c.from.name, hidden: c.hidden, createdAt: ctx.now,
  }).onConflictDoNothing();

  const newer = date >= conv.lastMessageAt || conv.messageCount === 0;
  const participants = outbound || conv.participants.some((p) => p.address === from.address) ? conv.participants : [...conv.participants, from].slice(0, 50);
  await db.update(conversations).set({
    participants,
    unreadCount: conv.unreadCount + (outbound ? 0 : 1),
    messageCount: conv.messageCount + 1,
    lastMessageAt: Math.max(conv.lastMessageAt, date),
    snippet: newer ? snippet : conv.snippet,
    ...(outbound
      ? { waitingSince: newer ? null : conv.waitingSince, firstResponseAt: conv.firstResponseAt ?? date }
      : { waitingSince: conv.waitingSince ?? date, ...(newer && conv.messageCount > 0 && conv.status !== "open" && conv.status !== "pending" ? { status: "open" as const, snoozedUntil: null, resolvedAt: null } : {}) }),
    updatedAt: ctx.now,
  }).where(eq(conversations.id, conv.id));
  if (!outbound) await triageMessage({ ctx, input: { messageId } }).catch((err) => console.error(JSON.stringify({ level: "error", event: "inbox-triage-failed", error: String(err) })));
  return true;
}

const cursorOf = (phase: TransportCursor["phase"], state: CommentsState, fetched: number, estimate: number | null): TransportCursor => ({
  transport: "comments", phase, reason: "initial", fetched, estimate, state,
});

async function step(ctx: Ctx, mailbox: MailboxRow, cursor: TransportCursor | null): Promise<TransportStep> {
  const source = await sourceOf(ctx, mailbox.id);
  if (!source) return needsReconnect(ctx, mailbox.id, "This comment source is no longer configured");
  const { rt, token } = await metaAccess(ctx, source);
  const phase = cursor?.phase ?? "initial";
  const st = cursor?.transport === "comments" ? (cursor.state as CommentsState) : null;
  // A new round: the asset's newest posts (their previews stored), then each post's comments.
  if (!st || !st.posts.length || st.post >= st.posts.length) {
    if (st && st.posts.length && st.post >= st.posts.length) return { cursor: cursorOf("incremental", { posts: [], post: 0, after: null }, 0, null), done: true, stored: 0 };
    const posts = await guarded(ctx, source, () => recentPosts(rt, token, source.network, source.assetId));
    for (const p of posts) await savePost(ctx, mailbox, p);
    if (!posts.length) return { cursor: cursorOf("incremental", { posts: [], post: 0, after: null }, 0, 0), done: true, stored: 0 };
    return { cursor: cursorOf(phase, { posts: posts.map((p) => p.id), post: 0, after: null }, 0, posts.length), done: false, stored: 0 };
  }
  const postId = st.posts[st.post]!;
  const since = st.since ?? ctx.now;
  const page = await guarded(ctx, source, () => commentsPage(rt, token, source.network, postId, st.after));
  let stored = 0;
  for (const c of page.comments) if (await ingestComment({ ctx, input: { mailbox, source, comment: c } })) stored++;
  const seen = [...(st.seen ?? []), ...page.comments.map((c) => c.id)];
  if (page.after) return { cursor: cursorOf(phase, { ...st, after: page.after, seen, since }, st.post, st.posts.length), done: false, stored };
  // The post's whole list was read: what is stored of it (from before this pass) and was not listed is checked, and mirrored if deleted.
  await guarded(ctx, source, () => mirrorDeleted(ctx, mailbox, { rt, token }, postId, new Set(seen), since));
  const next: CommentsState = { ...st, post: st.post + 1, after: null, seen: [], since: ctx.now };
  return { cursor: cursorOf(phase, next, next.post, st.posts.length), done: false, stored };
}

/** At most this many unlisted comments are looked up per post and pass (each is one Graph call). */
const DELETION_CHECKS = 50;

/**
 * Comments deleted at the network leave the inbox as deleted mail does (removals.ts): the
 * message goes, an emptied conversation goes with it. A deleted top-level comment takes its
 * replies (Facebook and Instagram delete them with it). Returns how many messages went.
 */
export async function removeComments({ ctx, input }: { ctx: Ctx; input: { mailbox: MailboxRow; commentIds: string[] } }): Promise<number> {
  const ids = new Set(input.commentIds);
  for (const chunk of inChunks([...ids], 1)) {
    const replies = await ctx.db.select({ id: inboxComments.commentId }).from(inboxComments).where(and(eq(inboxComments.mailboxId, input.mailbox.id), inArray(inboxComments.parentId, chunk)));
    for (const r of replies) ids.add(r.id);
  }
  // Remembered even when none of them was stored yet: the `remove` may arrive before its `add`.
  const { mailbox } = input;
  const tombstones = [...ids].map((commentId) => ({ mailboxId: mailbox.id, commentId, orgId: mailbox.orgId, workspaceId: mailbox.workspaceId, removedAt: ctx.now }));
  for (const rows of chunkRows(tombstones, columnsOf(inboxCommentTombstones))) await ctx.db.insert(inboxCommentTombstones).values(rows).onConflictDoNothing();
  return removeByProvider({ ctx, input: { mailbox: input.mailbox, providerIds: [...ids] } });
}

/** Stored comments of a post that a full listing did not return: each is asked for, and removed when Graph says it no longer exists. */
async function mirrorDeleted(ctx: Ctx, mailbox: MailboxRow, access: { rt: ConnectorRuntime; token: string }, postId: string, seen: Set<string>, since: number) {
  const stored = await ctx.db.select({ id: inboxComments.commentId, createdAt: inboxComments.createdAt }).from(inboxComments)
    .where(and(eq(inboxComments.mailboxId, mailbox.id), eq(inboxComments.postId, postId)));
  // Stored during this pass (a webhook, our own reply): possibly after its page was read.
  const missing = stored.filter((c) => !seen.has(c.id) && c.createdAt < since).slice(0, DELETION_CHECKS);
  const gone: string[] = [];
  for (const c of missing) if (!(await commentExists(access.rt, access.token, c.id))) gone.push(c.id);
  if (gone.length) await removeComments({ ctx, input: { mailbox, commentIds: gone } });
}

export const commentsTransport: MailTransport = {
  step,
  /** Comments have no provider drafts: the draft lives in QWEB until it is posted. */
  async createDraft() {
    return `${LOCAL_DRAFT}${newId()}`;
  },
  async sendDraft(ctx, mailbox, p) {
    const source = await sourceOf(ctx, mailbox.id);
    if (!source) throw new ApiError("CONFLICT", "This comment source is no longer configured");
    const [draft] = await ctx.db.select().from(inboxDrafts).where(and(eq(inboxDrafts.mailboxId, mailbox.id), eq(inboxDrafts.providerDraftId, p.providerDraftId))).limit(1);
    if (!draft) throw new ApiError("CONFLICT", "The draft no longer exists");
    const { rt, token } = await metaAccess(ctx, source);
    // Graph has no idempotency keys: a reply of ours with this text that QWEB has not stored is an
    // earlier try whose answer was lost, so it is taken instead of posting again.
    const existing = (await repliesOf(rt, token, source.network, p.threadKey)).filter((r) => r.fromId === source.assetId && r.message === draft.body);
    let id: string | null = null;
    if (existing.length) {
      const known = await ctx.db.select({ id: inboxComments.commentId }).from(inboxComments).where(and(eq(inboxComments.mailboxId, mailbox.id), inArray(inboxComments.commentId, existing.map((r) => r.id).slice(0, 90))));
      id = existing.find((r) => !known.some((k) => k.id === r.id))?.id ?? null;
    }
    if (!id) id = (await replyToComment(rt, token, source.network, p.threadKey, draft.body)).id;
    const [first] = await ctx.db.select({ postId: inboxComments.postId }).from(inboxComments).where(and(eq(inboxComments.mailboxId, mailbox.id), eq(inboxComments.commentId, p.threadKey))).limit(1);
    await ingestComment({ ctx, input: { mailbox, source, comment: { id, postId: first?.postId ?? "", parentId: p.threadKey, message: draft.body, from: { id: source.assetId, name: mailbox.address }, createdAt: ctx.now, hidden: false } } });
    return { id, threadId: p.threadKey, message: null };
  },
};

/** Comment changes of a signature-checked Meta delivery, into every workspace that reads that asset. */
export async function receiveCommentWebhook(ctx: Ctx, rawBody: Uint8Array): Promise<number> {
  let applied = 0;
  for (const ch of commentChanges(rawBody)) {
    const sources = await ctx.db.select({ s: commentSources, m: mailboxes }).from(commentSources).innerJoin(mailboxes, eq(mailboxes.id, commentSources.mailboxId))
      .where(and(eq(commentSources.network, ch.network), eq(commentSources.assetId, ch.assetId), isNull(mailboxes.disconnectedAt), eq(mailboxes.status, "active")));
    for (const { s, m } of sources) {
      if (ch.verb === "remove") {
        applied += await removeComments({ ctx, input: { mailbox: m, commentIds: [ch.comment.id] } });
        continue;
      }
      if (ch.verb === "hide" || ch.verb === "unhide") {
        await ctx.db.update(inboxComments).set({ hidden: ch.verb === "hide" }).where(and(eq(inboxComments.mailboxId, m.id), eq(inboxComments.commentId, ch.comment.id)));
        continue;
      }
      if (!(await knownPost(ctx, m.id, ch.comment.postId))) {
        const post = await metaAccess(ctx, s).then(({ rt, token }) => postOf(rt, token, s.network, ch.comment.postId)).catch(() => null);
        await savePost(ctx, m, post ?? { id: ch.comment.postId, message: null, permalink: null, imageUrl: null, publishedAt: null });
      }
      if (await ingestComment({ ctx, input: { mailbox: m, source: s, comment: ch.comment } })) applied++;
    }
  }
  return applied;
}

/**
 * Turns on comments in the inbox for each Page and IG account of the workspace's Meta connections
 * (idempotent): a comment mailbox per asset, its first sync started.
 */
export async function connectComments({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const { db, tenant } = ctx;
  const metas = await db.select().from(integrations).where(and(eq(integrations.orgId, tenant.orgId), eq(integrations.workspaceId, tenant.workspaceId), eq(integrations.provider, "meta"), isNull(integrations.disconnectedAt)));
  if (!metas.length) throw new ApiError("CONFLICT", "Connect Meta (Facebook and Instagram) to this workspace first");
  const have = await db.select({ s: commentSources, m: mailboxes }).from(commentSources).innerJoin(mailboxes, eq(mailboxes.id, commentSources.mailboxId))
    .where(and(eq(commentSources.orgId, tenant.orgId), eq(commentSources.workspaceId, tenant.workspaceId)));
  const out: MailboxRow[] = [];
  for (const i of metas) {
    const names = new Map((await db.select({ id: socialAccounts.providerId, name: socialAccounts.name }).from(socialAccounts).where(eq(socialAccounts.integrationId, i.id))).map((a) => [a.id, a.name]));
    const assets: [CommentNetwork, string][] = [...listOf(i.account.pages).map((id) => ["facebook", id] as [CommentNetwork, string]), ...listOf(i.account.igAccounts).map((id) => ["instagram", id] as [CommentNetwork, string])];
    for (const [network, assetId] of assets) {
      const found = have.find((h) => h.s.network === network && h.s.assetId === assetId);
      if (found && !found.m.disconnectedAt && found.m.status === "active") {
        out.push(found.m);
        continue;
      }
      if (found) await db.delete(commentSources).where(eq(commentSources.mailboxId, found.m.id));
      const name = names.get(assetId) ?? assetId;
      const row: MailboxRow = {
        id: newId(), orgId: tenant.orgId, workspaceId: tenant.workspaceId, provider: network, address: network === "instagram" ? `@${name}` : name, status: "active",
        scopes: [], tokenExpiresAt: null, sync: { phase: "initial", fetched: 0, estimate: null, historyId: null, waitingUntil: null }, messagesSynced: 0, lastSyncAt: null, lastError: null,
        connectedBy: tenant.userId, createdAt: ctx.now, updatedAt: ctx.now, disconnectedAt: null,
      };
      await db.batch([
        db.insert(mailboxes).values(row),
        db.insert(commentSources).values({ mailboxId: row.id, orgId: tenant.orgId, workspaceId: tenant.workspaceId, integrationId: i.id, network, assetId, createdAt: ctx.now }),
      ]);
      await mailboxStub(ctx.env, row.id).start(row.id);
      out.push(row);
    }
  }
  return out.map(mailboxView);
}

async function commentSourceOfConversation(ctx: TenantCtx, conv: typeof conversations.$inferSelect) {
  const [s] = await ctx.db.select().from(commentSources).where(and(eq(commentSources.mailboxId, conv.mailboxId), eq(commentSources.orgId, ctx.tenant.orgId))).limit(1);
  if (!s || conv.transport === "email") throw notFound("Comment thread");
  return s;
}

/** The post a comment conversation is on, and each comment's Graph id and moderation state. */
export async function commentThread({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const conv = await getConversation({ ctx, input });
  const source = await commentSourceOfConversation(ctx, conv);
  const rows = await ctx.db.select().from(inboxComments).where(and(eq(inboxComments.conversationId, conv.id), eq(inboxComments.orgId, ctx.tenant.orgId))).orderBy(asc(inboxComments.createdAt));
  const postId = rows[0]?.postId;
  const post = postId ? await knownPost(ctx, conv.mailboxId, postId) : null;
  return {
    network: source.network,
    post: post ? { id: post.postId, message: post.message, permalink: post.permalink, imageUrl: post.imageUrl, publishedAt: post.publishedAt } : null,
    comments: rows.map((r) => ({ messageId: r.messageId, commentId: r.commentId, parentId: r.parentId, authorName: r.authorName, hidden: r.hidden, hiddenAt: r.hiddenAt, own: r.authorId === source.assetId })),
  };
}

/** Hides a comment on Facebook / Instagram (or shows it again: the undo). */
export async function setHidden({ ctx, input }: { ctx: TenantCtx; input: { id: string; messageId: string; hidden: boolean } }) {
  const conv = await getConversation({ ctx, input });
  const source = await commentSourceOfConversation(ctx, conv);
  const [row] = await ctx.db.select().from(inboxComments).where(and(eq(inboxComments.messageId, input.messageId), eq(inboxComments.conversationId, conv.id), eq(inboxComments.orgId, ctx.tenant.orgId))).limit(1);
  if (!row) throw notFound("Comment");
  if (row.authorId === source.assetId) throw new ApiError("UNPROCESSABLE", "Your own replies cannot be hidden; delete them on the network instead");
  if (row.hidden !== input.hidden) {
    try {
      const { rt, token } = await metaAccess(ctx, source);
      await setCommentHidden(rt, token, source.network, row.commentId, input.hidden);
    } catch (err) {
      if (err instanceof MailboxNeedsReconnect) throw new ApiError("UNPROCESSABLE", err.message);
      if (err instanceof ProviderError) {
        if (err.kind === "rate-limited") throw new ApiError("RATE_LIMITED", "Meta asked to slow down; try again in a moment");
        if (err.kind === "permanent" || err.kind === "unauthorized") throw new ApiError("UNPROCESSABLE", `Meta refused: ${err.message}`);
        throw new ApiError("BAD_GATEWAY", "Meta could not be reached; try again");
      }
      throw err;
    }
    await ctx.db.update(inboxComments).set({ hidden: input.hidden, hiddenAt: input.hidden ? ctx.now : null, hiddenBy: input.hidden ? ctx.tenant.userId : null }).where(eq(inboxComments.messageId, row.messageId));
  }
  return { messageId: row.messageId, commentId: row.commentId, hidden: input.hidden };
}
