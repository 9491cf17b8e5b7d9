// Facebook Page and Instagram comments as inbox conversations. Each connected Page or IG account
// is a "mailbox" of the inbox (provider facebook / instagram) so conversations, routing, SLAs,
// drafts and the 30-day purge after a disconnect work as for mail; these tables add what a
// comment has that an email has not: the post it is on, its comment id, parent and hidden state.
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { conversations, inboxMessages, mailboxes } from "./inbox";

export const commentNetworks = ["facebook", "instagram"] as const;
export type CommentNetwork = (typeof commentNetworks)[number];

/** Which Meta connection and asset (Page id / IG business account id) a comment mailbox reads. */
export const commentSources = sqliteTable(
  "comment_sources",
  {
    mailboxId: text().primaryKey().references(() => mailboxes.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    /** The Meta integration whose token reads and writes (no FK: a disconnect of it stops the source). */
    integrationId: text().notNull(),
    network: text({ enum: commentNetworks }).notNull(),
    assetId: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("comment_sources_asset_uq").on(t.workspaceId, t.network, t.assetId), index("comment_sources_asset_idx").on(t.assetId)],
);
declareData(commentSources, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Which Facebook Pages and Instagram accounts feed their comments into the team inbox",
});

/** A post (or IG media item) that comment conversations are on: its text and link, for the preview. */
export const inboxCommentPosts = sqliteTable(
  "inbox_comment_posts",
  {
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    postId: text().notNull(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    message: text(),
    permalink: text(),
    imageUrl: text(),
    publishedAt: integer(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.postId] })],
);
declareData(inboxCommentPosts, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Text and links of the posts that inbox comment conversations are on",
});

/** One comment (a message of its conversation): the Graph ids, the commenter, and moderation state. */
export const inboxComments = sqliteTable(
  "inbox_comments",
  {
    messageId: text().primaryKey().references(() => inboxMessages.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    commentId: text().notNull(),
    /** The top-level comment this one answers (null for the thread's first comment). */
    parentId: text(),
    postId: text().notNull(),
    /** The commenter's Meta id (page-scoped / IG-scoped), and their name or @username. */
    authorId: text(),
    authorName: text(),
    hidden: integer({ mode: "boolean" }).notNull().default(false),
    hiddenAt: integer(),
    hiddenBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("inbox_comments_comment_uq").on(t.mailboxId, t.commentId), index("inbox_comments_conv_idx").on(t.conversationId)],
);
declareData(inboxComments, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id", user: { column: "hidden_by", erase: { clear: ["hidden_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Comments on the workspace's Facebook and Instagram posts (commenter, text via the message) to answer and moderate them",
});

/**
 * A comment removed at the network (a `remove` webhook, or found gone by a sync): Meta never
 * reuses a comment id, so a late or redelivered `add` of it, or a listing that still shows it,
 * must not bring it back. Kept with the comment source.
 */
export const inboxCommentTombstones = sqliteTable(
  "inbox_comment_tombstones",
  {
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    commentId: text().notNull(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    removedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.commentId] })],
);
declareData(inboxCommentTombstones, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Ids of comments deleted on Facebook or Instagram, so that a late webhook does not re-add them",
});
