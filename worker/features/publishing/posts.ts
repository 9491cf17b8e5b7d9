// Posts: compose, schedule, reschedule, cancel, retry, and the calendar / queue / published /
// stuck views in the workspace's time zone.
import { and, asc, desc, eq, gte, inArray, lt, or, isNotNull } from "drizzle-orm";
import type { Ctx, TenantCtx } from "../../core/context";
import { actions, publishPosts, publishVariants, socialAccounts, socialPosts, workspaces } from "../../db/schema";
import { cancelAction, proposeAction } from "../actions";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { inChunks } from "../../db/chunk";
import { checkVariants, contentOf, listChannels, variantsFromContent } from "./compose";
import { postStatusOf, refreshPostStatus } from "./engine";
import type { PostView, VariantInput } from "./schemas";

/** A post still not out this long after its time shows on the Stuck list. */
export const STUCK_AFTER_MS = 10 * 60_000;
const SCHEDULE_SLACK_MS = 60_000;

type Post = typeof publishPosts.$inferSelect;
type Variant = typeof publishVariants.$inferSelect;

/** Wakes the workspace's Publisher so its alarm matches the earliest due post. */
export async function wakePublisher(ctx: Ctx, workspaceId: string) {
  await ctx.env.PUBLISHER.getByName(workspaceId).wake(workspaceId);
}

const OPEN_ACTION = ["proposed", "approved", "scheduled"] as const;

/**
 * The one entry point that sends a post to be published at `at` (every scheduled, rescheduled or
 * retried post goes through here). It proposes a `publish_post` action (the approval path): its
 * variants wait (scheduled, no due time) until the action is approved; approval hands them to the
 * workspace's Publisher for `at` (the executor's handoff), whose alarm publishes them then. An open earlier action of the post is
 * cancelled first (a reschedule replaces it).
 */
export async function requestPublish(ctx: TenantCtx, post: Post, at: number, variantIds?: string[]) {
  if (post.actionId) {
    const [open] = await ctx.db.select({ id: actions.id }).from(actions)
      .where(and(eq(actions.id, post.actionId), eq(actions.orgId, post.orgId), eq(actions.workspaceId, post.workspaceId), inArray(actions.state, [...OPEN_ACTION]))).limit(1);
    if (open) await cancelAction({ ctx, input: { id: open.id, note: "Replaced: the post was rescheduled or retried" } });
  }
  const where = and(eq(publishVariants.postId, post.id), variantIds ? inArray(publishVariants.id, variantIds) : inArray(publishVariants.status, ["draft", "scheduled"]));
  await ctx.db.batch([
    ctx.db.update(publishVariants).set({ status: "scheduled", dueAt: null, updatedAt: ctx.now }).where(where),
    ctx.db.update(publishPosts).set({ scheduledFor: post.scheduledFor && variantIds ? post.scheduledFor : at, updatedAt: ctx.now }).where(eq(publishPosts.id, post.id)),
  ]);
  const waiting = await ctx.db.select().from(publishVariants).where(and(eq(publishVariants.postId, post.id), eq(publishVariants.status, "scheduled")));
  const channels = waiting.map((v) => ({ accountId: v.accountId, network: v.network, text: v.text.slice(0, 500), media: v.mediaIds.length, firstComment: v.firstComment, link: v.link }));
  const action = await proposeAction({
    ctx,
    input: {
      kind: "publish_post", subjectType: "post", subjectId: post.id, scheduledFor: at,
      summary: `Publish "${post.title}" to ${waiting.map((v) => `${v.network === "instagram" ? "Instagram" : "Facebook"} ${v.accountId}`).join(", ")}`,
      before: { status: post.status, scheduledFor: post.scheduledFor },
      after: { status: "published", scheduledFor: at, channels },
    },
  });
  await ctx.db.update(publishPosts).set({ actionId: action.id }).where(eq(publishPosts.id, post.id));
  await refreshPostStatus(ctx, post.id);
}

export async function getPostRow(ctx: TenantCtx, id: string): Promise<Post> {
  const [row] = await ctx.db.select().from(publishPosts)
    .where(and(eq(publishPosts.id, id), eq(publishPosts.orgId, ctx.tenant.orgId), eq(publishPosts.workspaceId, ctx.tenant.workspaceId))).limit(1);
  if (!row) throw notFound("Post");
  return row;
}

const variantRows = (v: Awaited<ReturnType<typeof checkVariants>>[number], post: { id: string; orgId: string; workspaceId: string }, now: number) => ({
  id: newId(), postId: post.id, orgId: post.orgId, workspaceId: post.workspaceId, integrationId: v.channel.integrationId, accountId: v.accountId, network: v.channel.network,
  text: v.text, mediaIds: v.mediaIds, altTexts: v.altTexts ?? {}, firstComment: v.firstComment ?? null, link: v.link ?? null, status: "draft" as const, updatedAt: now,
});

function assertFuture(ctx: Ctx, at: number) {
  if (at < ctx.now - SCHEDULE_SLACK_MS) throw new ApiError("VALIDATION_FAILED", "Pick a time in the future", { details: [{ path: "scheduledFor", message: "In the past" }] });
  if (at > ctx.now + 2 * 365 * 86_400_000) throw new ApiError("VALIDATION_FAILED", "Schedule at most two years ahead", { details: [{ path: "scheduledFor", message: "Too far ahead" }] });
}

export async function createPost({ ctx, input }: { ctx: TenantCtx; input: { title?: string; variants: VariantInput[]; scheduledFor?: number; contentId?: string } }) {
  const checked = await checkVariants(ctx, input.variants);
  if (input.scheduledFor !== undefined) assertFuture(ctx, input.scheduledFor);
  if (input.contentId) await contentOf(ctx, input.contentId);
  const post: Post = {
    id: newId(), orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, title: input.title ?? (checked[0]!.text.split("\n")[0]!.slice(0, 80) || "Untitled post"),
    status: "draft", scheduledFor: null, contentId: input.contentId ?? null, actionId: null, createdBy: ctx.tenant.userId, createdAt: ctx.now, updatedAt: ctx.now,
  };
  await ctx.db.batch([ctx.db.insert(publishPosts).values(post), ctx.db.insert(publishVariants).values(checked.map((v) => variantRows(v, post, ctx.now)))]);
  if (input.scheduledFor !== undefined) await requestPublish(ctx, post, input.scheduledFor);
  return postView(ctx, await getPostRow(ctx, post.id));
}

export async function createFromContent({ ctx, input }: { ctx: TenantCtx; input: { contentId: string; accountIds: string[] } }) {
  const { title, variants } = await variantsFromContent(ctx, input.contentId, input.accountIds);
  // Instagram variants need an image the user picks next: saved unchecked as a draft is not allowed,
  // so the draft carries only the channels whose variant is valid without media.
  const channels = new Map((await listChannels({ ctx })).map((c) => [c.accountId, c]));
  const ready = variants.filter((v) => channels.get(v.accountId)?.network !== "instagram");
  if (!ready.length) throw new ApiError("UNPROCESSABLE", "Instagram needs an image: compose the post and attach one", { details: [{ path: "accountIds", message: "Only Instagram accounts picked" }] });
  return createPost({ ctx, input: { title, variants: ready, contentId: input.contentId } });
}

/** Replaces the variants of a post that has not started publishing. */
export async function updatePost({ ctx, input }: { ctx: TenantCtx; input: { id: string; title?: string; variants: VariantInput[]; scheduledFor?: number } }) {
  const post = await getPostRow(ctx, input.id);
  const current = await ctx.db.select().from(publishVariants).where(eq(publishVariants.postId, post.id));
  if (current.some((v) => v.status === "publishing" || v.status === "published" || v.attemptId)) throw new ApiError("CONFLICT", "This post has started publishing; it can no longer be edited");
  const checked = await checkVariants(ctx, input.variants);
  if (input.scheduledFor !== undefined) assertFuture(ctx, input.scheduledFor);
  await ctx.db.batch([
    ctx.db.delete(publishVariants).where(eq(publishVariants.postId, post.id)),
    ctx.db.insert(publishVariants).values(checked.map((v) => variantRows(v, post, ctx.now))),
    ctx.db.update(publishPosts).set({ title: input.title ?? post.title, status: "draft", scheduledFor: null, updatedAt: ctx.now }).where(eq(publishPosts.id, post.id)),
  ]);
  const at = input.scheduledFor ?? post.scheduledFor;
  if (at !== null && at !== undefined) await requestPublish(ctx, post, at);
  return postView(ctx, await getPostRow(ctx, post.id));
}

/** Schedule or reschedule (drag on the calendar): the variants not yet out move to `at`. */
export async function schedulePost({ ctx, input }: { ctx: TenantCtx; input: { id: string; scheduledFor: number } }) {
  const post = await getPostRow(ctx, input.id);
  assertFuture(ctx, input.scheduledFor);
  const rows = await ctx.db.select().from(publishVariants).where(eq(publishVariants.postId, post.id));
  const movable = rows.filter((v) => v.status === "draft" || v.status === "scheduled");
  if (!movable.length) throw new ApiError("CONFLICT", "Nothing of this post is waiting to be published");
  await requestPublish(ctx, { ...post, scheduledFor: null }, input.scheduledFor, movable.map((v) => v.id));
  return postView(ctx, await getPostRow(ctx, post.id));
}

/** Cancel what has not gone out; a variant mid-publish cannot be cancelled (it may be posted already). */
export async function cancelPost({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const post = await getPostRow(ctx, input.id);
  const rows = await ctx.db.select().from(publishVariants).where(eq(publishVariants.postId, post.id));
  if (rows.some((v) => v.status === "publishing")) throw new ApiError("CONFLICT", "This post is being published right now; wait a moment");
  const ids = rows.filter((v) => v.status === "draft" || v.status === "scheduled" || v.status === "failed").map((v) => v.id);
  if (!ids.length) throw new ApiError("CONFLICT", "Nothing of this post can be cancelled");
  await ctx.db.update(publishVariants).set({ status: "cancelled", dueAt: null, updatedAt: ctx.now }).where(and(eq(publishVariants.postId, post.id), inArray(publishVariants.id, ids)));
  if (post.actionId) {
    const [open] = await ctx.db.select({ id: actions.id }).from(actions).where(and(eq(actions.id, post.actionId), eq(actions.orgId, post.orgId), inArray(actions.state, [...OPEN_ACTION]))).limit(1);
    if (open) await cancelAction({ ctx, input: { id: open.id, note: "The post was cancelled" } });
  }
  await refreshPostStatus(ctx, post.id);
  return postView(ctx, await getPostRow(ctx, post.id));
}

/**
 * Retry the failed and stuck variants now. Their attempt id, step markers and container stay, so a
 * variant the provider already has is found there, never posted again.
 */
export async function retryPost({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const post = await getPostRow(ctx, input.id);
  const rows = await ctx.db.select().from(publishVariants).where(eq(publishVariants.postId, post.id));
  const ids = rows.filter((v) => v.status === "failed" || (v.status === "scheduled" && stuckOf(post, v, ctx.now))).map((v) => v.id);
  if (!ids.length) throw new ApiError("CONFLICT", "Nothing of this post failed or is stuck");
  await ctx.db.update(publishVariants).set({ attempts: 0, error: null, updatedAt: ctx.now }).where(inArray(publishVariants.id, ids));
  await requestPublish(ctx, post, ctx.now, ids);
  return postView(ctx, await getPostRow(ctx, post.id));
}

export async function deletePost({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const post = await getPostRow(ctx, input.id);
  const rows = await ctx.db.select({ status: publishVariants.status }).from(publishVariants).where(eq(publishVariants.postId, post.id));
  if (rows.some((v) => v.status === "publishing" || v.status === "published")) throw new ApiError("CONFLICT", "A published post stays in the history; cancel what is left instead");
  await ctx.db.delete(publishPosts).where(eq(publishPosts.id, post.id));
}

function stuckOf(post: Post, v: Variant, now: number, approval?: Approval | null): { since: number; reason: string } | null {
  if (v.status === "failed") return { since: v.updatedAt, reason: v.error ?? "Publishing failed" };
  const due = post.scheduledFor ?? v.dueAt;
  if ((v.status === "scheduled" || v.status === "publishing") && due !== null && due < now - STUCK_AFTER_MS) {
    const waiting = approval?.state === "proposed" ? "Not approved yet: it waits for an approver" : approval?.state === "rejected" ? "The approver rejected it" : approval?.state === "cancelled" ? "Its publish action was cancelled" : null;
    const reason = v.status === "publishing" ? `Publishing started ${Math.round((now - v.updatedAt) / 60_000)} min ago and has not finished` : (v.error ?? waiting ?? "Not published yet: the publisher has not reached it");
    return { since: due, reason };
  }
  return null;
}

type Approval = { actionId: string; state: string; error: string | null };

async function views(ctx: TenantCtx, posts: Post[]): Promise<PostView[]> {
  if (!posts.length) return [];
  const approvals = new Map<string, Approval>();
  for (const ids of inChunks(posts.map((p) => p.actionId).filter((x): x is string => !!x), 2)) {
    for (const a of await ctx.db.select({ id: actions.id, state: actions.state, error: actions.error }).from(actions).where(and(eq(actions.orgId, ctx.tenant.orgId), eq(actions.workspaceId, ctx.tenant.workspaceId), inArray(actions.id, ids)))) approvals.set(a.id, { actionId: a.id, state: a.state, error: a.error });
  }
  const vars: Variant[] = [];
  for (const ids of inChunks(posts.map((p) => p.id), 0)) vars.push(...(await ctx.db.select().from(publishVariants).where(inArray(publishVariants.postId, ids))));
  const names = new Map((await ctx.db.select({ id: socialAccounts.providerId, name: socialAccounts.name }).from(socialAccounts).where(and(eq(socialAccounts.orgId, ctx.tenant.orgId), eq(socialAccounts.workspaceId, ctx.tenant.workspaceId)))).map((r) => [r.id, r.name]));
  // A Page video is answered by its video id; its feed post (where the sync finds metrics) is {page-id}_{video-id}.
  const feedIdOf = (v: Variant) => (v.network === "facebook" && v.providerPostId && !v.providerPostId.includes("_") ? `${v.accountId}_${v.providerPostId}` : v.providerPostId);
  const providerIds = vars.map(feedIdOf).filter((x): x is string => !!x);
  const metrics = new Map<string, typeof socialPosts.$inferSelect>();
  for (const ids of inChunks(providerIds, 2)) {
    for (const m of await ctx.db.select().from(socialPosts).where(and(eq(socialPosts.orgId, ctx.tenant.orgId), eq(socialPosts.workspaceId, ctx.tenant.workspaceId), inArray(socialPosts.providerId, ids)))) metrics.set(m.providerId, m);
  }
  return posts.map((p) => {
    const vs = vars.filter((v) => v.postId === p.id).sort((a, b) => a.network.localeCompare(b.network) || a.accountId.localeCompare(b.accountId));
    const approval = p.actionId ? (approvals.get(p.actionId) ?? null) : null;
    const stuck = vs.map((v) => stuckOf(p, v, ctx.now, approval)).find(Boolean) ?? null;
    return {
      id: p.id, title: p.title, status: p.status, scheduledFor: p.scheduledFor, contentId: p.contentId, createdAt: p.createdAt, updatedAt: p.updatedAt, stuck, approval,
      variants: vs.map((v) => {
        const feedId = feedIdOf(v);
        const m = feedId ? metrics.get(feedId) : undefined;
        return {
          id: v.id, accountId: v.accountId, accountName: names.get(v.accountId) ?? v.accountId, network: v.network, text: v.text, mediaIds: v.mediaIds, altTexts: v.altTexts, firstComment: v.firstComment, link: v.link,
          status: v.status, dueAt: v.dueAt, attempts: v.attempts, providerPostId: v.providerPostId, permalink: v.permalink, commentId: v.commentId, error: v.error, publishedAt: v.publishedAt,
          metrics: m ? { reach: m.reach, views: m.views, likes: m.likes, comments: m.comments, shares: m.shares, engagement: m.engagement, updatedAt: m.updatedAt } : null,
        };
      }),
    };
  });
}

export async function postView(ctx: TenantCtx, post: Post) {
  return (await views(ctx, [post]))[0]!;
}

export async function workspaceTimeZone(ctx: TenantCtx) {
  const [ws] = await ctx.db.select({ tz: workspaces.timeZone }).from(workspaces).where(and(eq(workspaces.id, ctx.tenant.workspaceId), eq(workspaces.orgId, ctx.tenant.orgId))).limit(1);
  return ws?.tz ?? "UTC";
}

/** The UTC instant a local wall-clock date's midnight falls on in `tz`. */
export function zonedMidnight(day: string, tz: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(guess));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asLocal = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const offset = asLocal - guess;
  return guess - offset;
}

const scope = (ctx: TenantCtx) => and(eq(publishPosts.orgId, ctx.tenant.orgId), eq(publishPosts.workspaceId, ctx.tenant.workspaceId));

/** Calendar: posts scheduled from the `from` day to the `to` day (inclusive) in the workspace's time zone. */
export async function calendar({ ctx, input }: { ctx: TenantCtx; input: { from: string; to: string } }) {
  const timeZone = await workspaceTimeZone(ctx);
  const start = zonedMidnight(input.from, timeZone);
  const end = zonedMidnight(new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10), timeZone);
  if (!(end > start) || end - start > 62 * 86_400_000) throw new ApiError("VALIDATION_FAILED", "Ask for at most 62 days, `from` before `to`", { details: [{ path: "to", message: "Bad range" }] });
  const rows = await ctx.db.select().from(publishPosts).where(and(scope(ctx), gte(publishPosts.scheduledFor, start), lt(publishPosts.scheduledFor, end))).orderBy(asc(publishPosts.scheduledFor)).limit(1000);
  return { posts: await views(ctx, rows), timeZone };
}

export async function listPosts({ ctx, input }: { ctx: TenantCtx; input: { list: "queue" | "published" | "stuck" | "drafts"; limit: number } }) {
  const timeZone = await workspaceTimeZone(ctx);
  let rows: Post[];
  if (input.list === "queue") rows = await ctx.db.select().from(publishPosts).where(and(scope(ctx), inArray(publishPosts.status, ["scheduled", "publishing"]))).orderBy(asc(publishPosts.scheduledFor)).limit(input.limit);
  else if (input.list === "published") rows = await ctx.db.select().from(publishPosts).where(and(scope(ctx), inArray(publishPosts.status, ["published", "partial"]))).orderBy(desc(publishPosts.scheduledFor)).limit(input.limit);
  else if (input.list === "drafts") rows = await ctx.db.select().from(publishPosts).where(and(scope(ctx), eq(publishPosts.status, "draft"))).orderBy(desc(publishPosts.updatedAt)).limit(input.limit);
  else {
    rows = await ctx.db.select().from(publishPosts)
      .where(and(scope(ctx), or(inArray(publishPosts.status, ["failed", "partial"]), and(inArray(publishPosts.status, ["scheduled", "publishing"]), isNotNull(publishPosts.scheduledFor), lt(publishPosts.scheduledFor, ctx.now - STUCK_AFTER_MS)))))
      .orderBy(asc(publishPosts.scheduledFor)).limit(input.limit);
  }
  const out = await views(ctx, rows);
  return { posts: input.list === "stuck" ? out.filter((p) => p.stuck) : out, timeZone };
}

export { postStatusOf };
