import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const mailboxStatuses = ["active", "needs_reconnect", "error", "disconnected"] as const;
export type MailboxStatus = (typeof mailboxStatuses)[number];
export const mailboxProviders = ["gmail", "outlook", "icloud"] as const;
export type MailboxProvider = (typeof mailboxProviders)[number];

/** What the Mailbox Durable Object reports about its last sync (the cursor itself lives in the DO). */
export type MailboxSyncSummary = {
  phase: "idle" | "initial" | "incremental" | "full-resync" | "waiting";
  fetched: number;
  /** The provider's estimate of messages in the initial window, while an initial sync runs. */
  estimate: number | null;
  historyId: string | null;
  waitingUntil: number | null;
};

/**
 * A connected email account of a workspace. Root of the "mailbox" subject: 30 days after
 * `disconnected_at` the retention run deletes it, its mail, attachments (R2) and its Durable Object.
 */
export const mailboxes = sqliteTable(
  "mailboxes",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text({ enum: mailboxProviders }).notNull(),
    address: text().notNull(),
    status: text({ enum: mailboxStatuses }).notNull(),
    scopes: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    tokenExpiresAt: integer(),
    sync: text({ mode: "json" }).$type<MailboxSyncSummary>().notNull().default({ phase: "idle", fetched: 0, estimate: null, historyId: null, waitingUntil: null }),
    messagesSynced: integer().notNull().default(0),
    lastSyncAt: integer(),
    lastError: text(),
    connectedBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    disconnectedAt: integer(),
  },
  (t) => [index("mailboxes_ws_idx").on(t.workspaceId), index("mailboxes_address_idx").on(t.provider, t.address), index("mailboxes_disconnected_idx").on(t.disconnectedAt)],
);
declareData(mailboxes, {
  owners: { mailbox: "id", organization: "org_id", workspace: "workspace_id", user: { column: "connected_by", erase: { clear: ["connected_by"] } } },
  retention: { rule: "purge-after", days: 30, column: "disconnected_at" },
  export: {},
  purpose: "Which email accounts a workspace connected to its team inbox, their status and sync health",
});

/** A mailbox's OAuth tokens, only as vault envelopes (AAD org|mailbox|field); deleted at disconnect. */
export const mailboxCredentials = sqliteTable(
  "mailbox_credentials",
  {
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    field: text().notNull(),
    ciphertext: text().notNull(),
    keyId: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.field] }), index("mailbox_credentials_key_idx").on(t.keyId)],
);
declareData(mailboxCredentials, {
  owners: { mailbox: "mailbox_id", organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Encrypted access and refresh tokens of connected mailboxes; deleted at disconnect",
});

export const conversationStatuses = ["open", "pending", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];
export const priorities = ["low", "normal", "high", "urgent"] as const;
export type Participant = { name: string | null; address: string };

/** One conversation, whatever the transport (an email thread now; page comments later). */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    transport: text({ enum: ["email"] }).notNull().default("email"),
    /** The provider's thread id (Gmail threadId, Graph conversationId, iCloud: the thread's root Message-ID). */
    threadKey: text().notNull(),
    subject: text().notNull(),
    snippet: text().notNull().default(""),
    status: text({ enum: conversationStatuses }).notNull().default("open"),
    snoozedUntil: integer(),
    priority: text({ enum: priorities }).notNull().default("normal"),
    assigneeId: text().references(() => users.id, { onDelete: "set null" }),
    labels: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    participants: text({ mode: "json" }).$type<Participant[]>().notNull().default([]),
    unreadCount: integer().notNull().default(0),
    messageCount: integer().notNull().default(0),
    /** Since when the last inbound message waits for an answer (null once answered). */
    waitingSince: integer(),
    firstResponseAt: integer(),
    resolvedAt: integer(),
    lastMessageAt: integer().notNull(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("conversations_thread_uq").on(t.mailboxId, t.threadKey),
    index("conversations_ws_idx").on(t.orgId, t.workspaceId, t.status, t.lastMessageAt),
    index("conversations_assignee_idx").on(t.assigneeId, t.status),
  ],
);
declareData(conversations, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id", user: { column: "assignee_id", erase: { clear: ["assignee_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Team-inbox conversations of a connected mailbox: status, assignee, labels, participants",
});

export type Address = { name: string | null; address: string };

/** One email of a conversation, parsed from the raw MIME; `html` is already sanitized. */
export const inboxMessages = sqliteTable(
  "inbox_messages",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    providerId: text().notNull(),
    threadKey: text().notNull(),
    rfcMessageId: text(),
    inReplyTo: text(),
    references: text(),
    from: text({ mode: "json" }).$type<Address>().notNull(),
    to: text({ mode: "json" }).$type<Address[]>().notNull().default([]),
    cc: text({ mode: "json" }).$type<Address[]>().notNull().default([]),
    subject: text().notNull(),
    html: text(),
    text: text().notNull().default(""),
    snippet: text().notNull().default(""),
    /** Remote images the sanitizer held back (shown only when the reader allows the sender). */
    remoteImages: integer().notNull().default(0),
    headers: text({ mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    labelIds: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    direction: text({ enum: ["in", "out"] }).notNull(),
    unread: integer({ mode: "boolean" }).notNull().default(false),
    date: integer().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("inbox_messages_provider_uq").on(t.mailboxId, t.providerId), index("inbox_messages_conv_idx").on(t.conversationId, t.date)],
);
declareData(inboxMessages, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Emails synced from connected mailboxes (headers, participants, subject, body) to route and answer them",
});

/** An attachment's metadata; its bytes are in R2 under `mailboxes/{mailboxId}/`. */
export const inboxAttachments = sqliteTable(
  "inbox_attachments",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    messageId: text().notNull().references(() => inboxMessages.id, { onDelete: "cascade" }),
    filename: text().notNull(),
    /** The type sniffed from the bytes (not the sender's claim). */
    contentType: text().notNull(),
    size: integer().notNull(),
    r2Key: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("inbox_attachments_msg_idx").on(t.messageId)],
);
declareData(inboxAttachments, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Names, types and sizes of attachments of synced emails",
});

/** Internal notes on a conversation (never sent). */
export const inboxNotes = sqliteTable(
  "inbox_notes",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    authorId: text().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("inbox_notes_conv_idx").on(t.conversationId, t.createdAt)],
);
declareData(inboxNotes, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id", user: { column: "author_id", erase: { clear: ["author_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Internal notes your team writes on inbox conversations",
});

/** A reply being written: saved to the provider's drafts, then sent. */
export const inboxDrafts = sqliteTable(
  "inbox_drafts",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    authorId: text().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    providerDraftId: text(),
    status: text({ enum: ["draft", "sending", "sent"] }).notNull().default("draft"),
    sentProviderId: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("inbox_drafts_conv_idx").on(t.conversationId)],
);
declareData(inboxDrafts, {
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id", user: { column: "author_id", erase: { clear: ["author_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Replies drafted in the team inbox (also saved to the mailbox's drafts)",
});

/** Senders whose remote images a user chose to show. */
export const inboxImageSenders = sqliteTable(
  "inbox_image_senders",
  {
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    sender: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.sender] })],
);
declareData(inboxImageSenders, {
  owners: { user: "user_id", organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Senders whose remote images you allowed in the inbox",
});

declareStore({
  store: "r2",
  name: "mailbox-attachments",
  binding: "FILES",
  owners: { mailbox: "mailboxes/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Attachments of synced emails",
});
declareStore({
  store: "durable-object",
  name: "Mailbox",
  binding: "MAILBOX",
  owners: { mailbox: "{id}" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "A mailbox's sync cursor (Gmail historyId), its schedule and pending work",
});
