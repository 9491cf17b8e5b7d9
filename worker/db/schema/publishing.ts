// Social publishing: posts composed once with a variant per channel, the media library (R2), and
// each variant's publish state (attempt id, step markers, provider ids) that makes publishing
// exactly-once across retries, redeliveries and restarts.
import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { workspaces } from "./tenancy";

export const postStatuses = ["draft", "scheduled", "publishing", "published", "partial", "failed", "cancelled"] as const;
export type PostStatus = (typeof postStatuses)[number];
export const variantStatuses = ["draft", "scheduled", "publishing", "published", "failed", "cancelled"] as const;
export type VariantStatus = (typeof variantStatuses)[number];
export const channelNetworks = ["facebook", "instagram"] as const;
export type ChannelNetwork = (typeof channelNetworks)[number];

/** A post: what is published when, for several channels. */
export const publishPosts = sqliteTable(
  "publish_posts",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    title: text().notNull(),
    status: text({ enum: postStatuses }).notNull(),
    /** When it goes out (ms UTC); null for a draft. */
    scheduledFor: integer(),
    contentId: text(),
    /** The publish_post action (the approval path) that publishes it; the latest one. */
    actionId: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("publish_posts_ws_idx").on(t.workspaceId, t.scheduledFor)],
);
declareData(publishPosts, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Social posts composed for publishing and their schedule",
});

/** One channel's version of a post, and where its publishing stands. */
export const publishVariants = sqliteTable(
  "publish_variants",
  {
    id: text().primaryKey(),
    postId: text().notNull().references(() => publishPosts.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    integrationId: text().notNull(),
    /** The Page id or Instagram business account id (social_accounts.provider_id). */
    accountId: text().notNull(),
    network: text({ enum: channelNetworks }).notNull(),
    text: text().notNull(),
    mediaIds: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    /** Alt text per attached image, by media id (Instagram `alt_text`, Facebook photos `alt_text_custom`). */
    altTexts: text({ mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    firstComment: text(),
    link: text(),
    status: text({ enum: variantStatuses }).notNull(),
    /** When the publisher should next try it (the schedule, or a retry's backoff). */
    dueAt: integer(),
    /** The same id for every try of this publish: step markers below belong to it. */
    attemptId: text(),
    attempts: integer().notNull().default(0),
    /** Steps begun (before their provider call) and finished: a retry looks before it re-creates. */
    steps: text({ mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    /** When the first try began: the provider is searched from here for a lost answer. */
    startedAt: integer(),
    containerId: text(),
    /** Per media item, in order, the provider's id the moment it answered: IG carousel child containers, FB unpublished photos. */
    partIds: text({ mode: "json" }).$type<(string | null)[]>().notNull().default([]),
    providerPostId: text(),
    permalink: text(),
    commentId: text(),
    error: text(),
    publishedAt: integer(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("publish_variants_post_idx").on(t.postId), index("publish_variants_due_idx").on(t.workspaceId, t.status, t.dueAt)],
);
declareData(publishVariants, {
  owners: { organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Per-channel text, media and publish results of social posts",
});

/** A file of the workspace's media library (bytes in R2 under publishing/{workspace}/). */
export const publishMedia = sqliteTable(
  "publish_media",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    key: text().notNull(),
    name: text().notNull(),
    type: text().notNull(),
    bytes: integer().notNull(),
    uploadedBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
  },
  (t) => [index("publish_media_ws_idx").on(t.workspaceId, t.createdAt)],
);
declareData(publishMedia, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "uploaded_by", erase: { clear: ["uploaded_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Images and videos uploaded to a workspace's media library for social posts",
});

declareStore({
  store: "r2",
  name: "publishing media",
  binding: "FILES",
  owners: { workspace: "publishing/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Image and video files of the workspace's media library",
});

declareStore({
  store: "durable-object",
  name: "Publisher",
  binding: "PUBLISHER",
  owners: { workspace: "{id}" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "A workspace's publishing alarm: when its next scheduled post is due (no personal data)",
});
