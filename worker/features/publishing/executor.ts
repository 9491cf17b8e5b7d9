// The approval path's executor for publish_post: an approved (or autopiloted) action hands its
// post's waiting variants to the workspace's Publisher and reports what the providers answered.
// Idempotency lives in the variants (attempt id, step markers, provider ids): running the same
// action twice finds them published and posts nothing again.
import { and, eq, gte, inArray, isNull } from "drizzle-orm";
import type { ActionExecutor } from "../../core/actions";
import { publishPosts, publishVariants } from "../../db/schema";

export const publishExecutor: ActionExecutor = {
  kind: "publish_post",
  async execute({ ctx, action }) {
    const [post] = await ctx.db.select().from(publishPosts)
      .where(and(eq(publishPosts.id, action.subjectId), eq(publishPosts.orgId, action.orgId), eq(publishPosts.workspaceId, action.workspaceId))).limit(1);
    if (!post) return { ok: false, error: "The post was deleted", retry: false };
    const now = Date.now();
    await ctx.db.update(publishVariants).set({ dueAt: now, updatedAt: now })
      .where(and(eq(publishVariants.postId, post.id), eq(publishVariants.status, "scheduled"), isNull(publishVariants.dueAt)));
    await ctx.env.PUBLISHER.getByName(post.workspaceId).runDue(post.workspaceId);
    const rows = await ctx.db.select().from(publishVariants).where(eq(publishVariants.postId, post.id));
    const result = rows.map((v) => ({ accountId: v.accountId, network: v.network, status: v.status, providerPostId: v.providerPostId, permalink: v.permalink, error: v.error }));
    const open = rows.filter((v) => v.status === "scheduled" || v.status === "publishing");
    if (open.length) {
      const next = Math.min(...open.map((v) => v.dueAt ?? now + 60_000));
      return { ok: false, error: open.map((v) => `${v.network}: ${v.error ?? "still publishing"}`).join("; "), retry: true, retryAfterMs: Math.max(1000, next - Date.now()) };
    }
    const failed = rows.filter((v) => v.status === "failed");
    if (failed.length && !rows.some((v) => v.status === "published")) return { ok: false, error: failed.map((v) => `${v.network}: ${v.error}`).join("; "), retry: false };
    return { ok: true, result: { variants: result } };
  },
  /** Autopilot guardrail `postsPerDay`: at most that many posts per channel in 24 h. */
  async guard({ ctx, action, limits }) {
    const max = limits.postsPerDay;
    if (max === undefined) return null;
    const mine = await ctx.db.select({ accountId: publishVariants.accountId }).from(publishVariants).where(and(eq(publishVariants.postId, action.subjectId), eq(publishVariants.orgId, action.orgId)));
    if (!mine.length) return null;
    const since = Date.now() - 86_400_000;
    const recent = await ctx.db.select({ accountId: publishVariants.accountId }).from(publishVariants)
      .where(and(eq(publishVariants.orgId, action.orgId), eq(publishVariants.workspaceId, action.workspaceId), eq(publishVariants.status, "published"), gte(publishVariants.publishedAt, since), inArray(publishVariants.accountId, mine.map((m) => m.accountId))));
    for (const { accountId } of mine) {
      const n = recent.filter((r) => r.accountId === accountId).length;
      if (n + 1 > max) return `Channel ${accountId} already has ${n} posts in the last 24 h (autopilot allows ${max})`;
    }
    return null;
  },
};
