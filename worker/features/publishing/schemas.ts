import { z } from "zod";
import { channelNetworks, postStatuses, variantStatuses } from "../../db/schema/publishing";

const id = z.string().min(1).max(64);
/** Alt text per image: Meta documents no limit for it; a description, not an essay. */
export const ALT_TEXT_MAX = 1000;
export const workspaceParam = z.object({ workspaceId: id });
export const postParam = z.object({ workspaceId: id, postId: id });
export const mediaParam = z.object({ workspaceId: id, mediaId: id });
export const variantParam = z.object({ workspaceId: id, postId: id, variantId: id });
export const publicMediaParam = z.object({ mediaId: id });
export const publicMediaQuery = z.object({ expires: z.coerce.number().int().positive(), sig: z.string().regex(/^[0-9a-f]{64}$/) });

export const variantInput = z.strictObject({
  /** The social account (social_accounts.provider_id): a Facebook Page or an Instagram account. */
  accountId: z.string().min(1).max(64),
  text: z.string().max(70_000).default(""),
  mediaIds: z.array(id).max(10).default([]),
  /** Alt text per attached image, by media id: what a screen reader says for it (Instagram `alt_text`, Facebook `alt_text_custom`). */
  altTexts: z.record(id, z.string().trim().max(ALT_TEXT_MAX, `Alt text can be at most ${ALT_TEXT_MAX} characters`))
    .refine((r) => Object.keys(r).length <= 10, "At most one alt text per attached file (10)")
    .default({}),
  firstComment: z.string().max(8000).nullish(),
  link: z.url({ protocol: /^https?$/ }).max(2000).nullish(),
});
export const composeBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  variants: z.array(variantInput).min(1).max(20),
  /** Schedule at once (ms UTC); absent: a draft. */
  scheduledFor: z.number().int().positive().optional(),
  /** The content item (AI studio) the text came from. */
  contentId: id.optional(),
});
export const fromContentBody = z.strictObject({ contentId: id, accountIds: z.array(z.string().min(1).max(64)).min(1).max(20) });
export const scheduleBody = z.strictObject({ scheduledFor: z.number().int().positive() });
export const rangeQuery = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
});
export const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(100) });

export const channelView = z.object({ accountId: z.string(), integrationId: z.string(), network: z.enum(channelNetworks), name: z.string(), followers: z.number(), parentId: z.string().nullable() });
export const channelListView = z.object({ channels: z.array(channelView), limits: z.record(z.string(), z.object({ text: z.number(), firstComment: z.number(), hashtags: z.number(), media: z.number(), needsMedia: z.boolean(), links: z.boolean(), mediaRule: z.string() })) });

export const mediaView = z.object({ id: z.string(), name: z.string(), type: z.string(), bytes: z.number(), createdAt: z.number() });
export const mediaListView = z.object({ media: z.array(mediaView) });

export const metricsView = z.object({ reach: z.number(), views: z.number(), likes: z.number(), comments: z.number(), shares: z.number(), engagement: z.number(), updatedAt: z.number() }).nullable();
export const variantView = z.object({
  id: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  network: z.enum(channelNetworks),
  text: z.string(),
  mediaIds: z.array(z.string()),
  altTexts: z.record(z.string(), z.string()),
  firstComment: z.string().nullable(),
  link: z.string().nullable(),
  status: z.enum(variantStatuses),
  dueAt: z.number().nullable(),
  attempts: z.number(),
  providerPostId: z.string().nullable(),
  permalink: z.string().nullable(),
  commentId: z.string().nullable(),
  error: z.string().nullable(),
  publishedAt: z.number().nullable(),
  metrics: metricsView,
});
export const postView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(postStatuses),
  scheduledFor: z.number().nullable(),
  contentId: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** Not published some minutes past its time (or failed): why, for the Stuck list. */
  stuck: z.object({ since: z.number(), reason: z.string() }).nullable(),
  /** Its publish_post action on the approval path (proposed → approved → scheduled → running → done). */
  approval: z.object({ actionId: z.string(), state: z.string(), error: z.string().nullable() }).nullable(),
  variants: z.array(variantView),
});
export const postResponse = z.object({ post: postView });
export const postListView = z.object({ posts: z.array(postView), timeZone: z.string() });
export const runDueView = z.object({ published: z.number(), failed: z.number(), deferred: z.number() });

export type VariantInput = z.infer<typeof variantInput>;
export type PostView = z.infer<typeof postView>;
