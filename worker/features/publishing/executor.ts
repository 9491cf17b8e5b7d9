// The approval path's executor for publish_post: approving the action (a person, or autopilot)
// hands its post's waiting variants to the workspace's Publisher for the post's time (handoff), so
// the Publisher's alarm fires the post without waiting on the runner, and records the action's
// outcome itself when the post settles (settleActions). The runner runs the executor only as the
// safety net, HANDOFF_GRACE_MS after the time: it hands the post over again (which repeats nothing)
// and reports what the providers answered.
// Idempotency lives in the variants (attempt id, step markers, provider ids): running the same
// action twice finds them published and posts nothing again.
import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { ActionExecutor, ActionOutcome, ActionRecord } from "../../core/actions";
import type { Ctx } from "../../core/context";
import { inChunks } from "../../db/chunk";
import { actions, publishPosts, publishVariants } from "../../db/schema";

/** What an outcome reads of a variant (the narrow select of outcomeColumns). */
type VariantRow = Pick<typeof publishVariants.$inferSelect, "postId" | "accountId" | "network" | "status" | "providerPostId" | "permalink" | "error" | "dueAt">;
export const outcomeColumns = {
  postId: publishVariants.postId, accountId: publishVariants.accountId, network: publishVariants.network, status: publishVariants.status,
  providerPostId: publishVariants.providerPostId, permalink: publishVariants.permalink, error: publishVariants.error, dueAt: publishVariants.dueAt,
};

/**
 * The Publisher fires an approved post at its time by itself (handoff); the runner looks at the
 * action this much later, only in case the post has not settled by then (it then hands the post
 * over again, which repeats nothing, and waits for its outcome as before).
 */
export const HANDOFF_GRACE_MS = 2 * 60_000;

/** When nothing wakes it sooner, the action looks at its queued post again after this. */
const SAFETY_MS = 10 * 60_000;
const DAY = 86_400_000;

/** What the providers answered for one post's variants, as the action's outcome. */
export function outcomeOf(rows: VariantRow[], now: number): ActionOutcome {
  const result = rows.map((v) => ({ accountId: v.accountId, network: v.network, status: v.status, providerPostId: v.providerPostId, permalink: v.permalink, error: v.error }));
  const open = rows.filter((v) => v.status === "scheduled" || v.status === "publishing");
  if (open.length) {
    // Due now: the Publisher wakes the action when the post settles; this is only the safety net.
    const next = Math.min(...open.map((v) => (v.dueAt !== null && v.dueAt > now + 1000 ? v.dueAt : now + SAFETY_MS)));
    // The variants carry their own attempts (and Meta's waits); the action waits for them without spending its own.
    return { ok: false, error: open.map((v) => `${v.network}: ${v.error ?? "still publishing"}`).join("; "), retry: true, pending: true, retryAfterMs: Math.max(1000, next - now) };
  }
  const failed = rows.filter((v) => v.status === "failed");
  if (failed.length && !rows.some((v) => v.status === "published")) return { ok: false, error: failed.map((v) => `${v.network}: ${v.error}`).join("; "), retry: false };
  return { ok: true, result: { variants: result } };
}

/** The posts' waiting variants become due at `at` and the workspace's Publisher's alarm is set no later than that. */
async function handToPublisher(ctx: Ctx, scope: { orgId: string; workspaceId: string }, postIds: string[], at: number) {
  if (!postIds.length) return;
  for (const ids of inChunks(postIds, 5)) {
    await ctx.db.update(publishVariants).set({ dueAt: at, updatedAt: Date.now() })
      .where(and(inArray(publishVariants.postId, ids), eq(publishVariants.orgId, scope.orgId), eq(publishVariants.workspaceId, scope.workspaceId), eq(publishVariants.status, "scheduled"), isNull(publishVariants.dueAt)));
  }
  await ctx.env.PUBLISHER.getByName(scope.workspaceId).wake(scope.workspaceId, at);
}

/**
 * Hands the posts' waiting variants to the workspace's Publisher (due now, its alarm set) and
 * reads back what the providers answered so far. Every action is of the same workspace (the runner's).
 */
async function publishPostsOf(ctx: Ctx, list: ActionRecord[]): Promise<ActionOutcome[]> {
  const workspaceId = list[0]!.workspaceId;
  const posts = new Map<string, { id: string }>();
  for (const ids of inChunks(list.map((a) => a.subjectId), 2)) {
    for (const p of await ctx.db.select({ id: publishPosts.id }).from(publishPosts).where(and(eq(publishPosts.orgId, list[0]!.orgId), eq(publishPosts.workspaceId, workspaceId), inArray(publishPosts.id, ids)))) posts.set(p.id, p);
  }
  const found = [...posts.keys()];
  const now = Date.now();
  // Handed to the Publisher (its alarm, through the fleet's gate); it wakes these actions when their posts settle.
  await handToPublisher(ctx, { orgId: list[0]!.orgId, workspaceId }, found, now);
  const rows: VariantRow[] = [];
  for (const ids of inChunks(found, 0)) rows.push(...(await ctx.db.select(outcomeColumns).from(publishVariants).where(inArray(publishVariants.postId, ids))));
  return list.map((a) => (posts.has(a.subjectId) ? outcomeOf(rows.filter((v) => v.postId === a.subjectId), now) : { ok: false, error: "The post was deleted", retry: false }));
}

export const publishExecutor: ActionExecutor = {
  kind: "publish_post",
  async execute({ ctx, action }) {
    return (await publishPostsOf(ctx, [action]))[0]!;
  },
  executeMany: ({ ctx, actions }) => publishPostsOf(ctx, actions),
  /** Approved: the post's waiting variants become due at its time and the workspace's Publisher's alarm is set to it. */
  handoff: {
    graceMs: HANDOFF_GRACE_MS,
    arm: ({ ctx, action, dueAt }) => handToPublisher(ctx, action, [action.subjectId], dueAt),
  },
  /**
   * Autopilot guardrail `postsPerDay`: at most that many posts per channel a day. It counts, within
   * 24 hours of this post's time, the channel's posts already out and those on their way (publishing,
   * or scheduled under an approved publish action), so posts scheduled ahead cannot together pass it.
   */
  async guard({ ctx, action, limits }) {
    const max = limits.postsPerDay;
    if (max === undefined) return null;
    const mine = await ctx.db.select({ accountId: publishVariants.accountId }).from(publishVariants)
      .where(and(eq(publishVariants.postId, action.subjectId), eq(publishVariants.orgId, action.orgId), eq(publishVariants.workspaceId, action.workspaceId), eq(publishVariants.status, "scheduled")));
    if (!mine.length) return null;
    const after = action.after;
    const at = after && typeof after === "object" && !Array.isArray(after) && typeof after.scheduledFor === "number" ? after.scheduledFor : ctx.now;
    const when = sql<number>`CASE ${publishVariants.status} WHEN 'published' THEN ${publishVariants.publishedAt} WHEN 'publishing' THEN COALESCE(${publishVariants.startedAt}, ${publishVariants.dueAt}, ${publishPosts.scheduledFor}) ELSE COALESCE(${publishVariants.dueAt}, ${publishPosts.scheduledFor}) END`;
    const approved = sql`EXISTS (SELECT 1 FROM ${actions} WHERE ${actions.workspaceId} = ${action.workspaceId} AND ${actions.subjectType} = 'post' AND ${actions.subjectId} = ${publishVariants.postId} AND ${actions.kind} = 'publish_post' AND ${actions.state} IN ('approved', 'scheduled', 'running'))`;
    const near = await ctx.db.select({ accountId: publishVariants.accountId, n: sql<number>`COUNT(*)` }).from(publishVariants)
      .innerJoin(publishPosts, eq(publishPosts.id, publishVariants.postId))
      .where(and(
        eq(publishVariants.orgId, action.orgId), eq(publishVariants.workspaceId, action.workspaceId), ne(publishVariants.postId, action.subjectId),
        inArray(publishVariants.accountId, [...new Set(mine.map((m) => m.accountId))]),
        or(inArray(publishVariants.status, ["published", "publishing"]), and(eq(publishVariants.status, "scheduled"), approved)),
        sql`${when} > ${at - DAY}`, sql`${when} < ${at + DAY}`,
      ))
      .groupBy(publishVariants.accountId);
    for (const { accountId, n } of near) {
      if (Number(n) + 1 > max) return `Channel ${accountId} already has ${n} post${Number(n) === 1 ? "" : "s"} published or scheduled within 24 hours of this one (autopilot allows ${max} a day)`;
    }
    return null;
  },
};
