import { sqliteTable, text, integer, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData, declareStore, type DataDeclaration } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const mailboxStatuses = ["active", "needs_reconnect", "error", "disconnected"] as const;
export type MailboxStatus = (typeof mailboxStatuses)[number];
export const mailboxProviders = ["gmail", "outlook", "icloud", "facebook", "instagram"] as const;
export type MailboxProvider = (typeof mailboxProviders)[number];

/** What the Mailbox Durable Object reports about its last sync (the cursor itself lives in the DO). */
export type MailboxSyncSummary = {
  phase: "idle" | "initial" | "incremental" | "full-resync" | "waiting";
  fetched: number;
  /** The provider's estimate of messages in the initial window, while an initial sync runs. */
  estimate: number | null;
  historyId: string | null;
  waitingUntil: number | null;
  /** Where the sync's time went since the last full sync began (features/inbox/timing.ts). */
  timings?: SyncTimings;
};

export type SyncTimings = {
  steps: number;
  messages: number;
  listMs: number;
  fetchMs: number;
  parseMs: number;
  storeMs: number;
  triageMs: number;
  classified: number;
  aiProviderMs: number;
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

export const inboxCategories = ["lead", "client_request", "support", "billing", "newsletter", "spam", "other"] as const;
export type InboxCategory = (typeof inboxCategories)[number];
export const slaStates = ["ok", "at_risk", "breached"] as const;

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
    transport: text({ enum: ["email", "facebook", "instagram"] }).notNull().default("email"),
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
    /** Classification (rules first, AI where no rule decided): category, one-line summary, why and by what. */
    category: text({ enum: inboxCategories }),
    summary: text(),
    categoryReason: text(),
    categoryModel: text(),
    /** SLA: the current due time, its state (from the 15-minute cron) and the notices already sent. */
    slaDueAt: integer(),
    slaState: text({ enum: slaStates }),
    slaNotices: text({ mode: "json" }).$type<string[]>().notNull().default([]),
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

/**
 * The declaration of a table that belongs to a mailbox's mail (messages and what hangs off them):
 * owned by the mailbox, its organization and workspace, kept while the mailbox is, exported.
 * `user` names the column of a person the row also belongs to (an author), cleared on their erasure.
 */
const mailboxOwned = (purpose: string, user?: string): DataDeclaration => ({
  owners: { mailbox: "mailbox_id", organization: "org_id", workspace: "workspace_id", ...(user ? { user: { column: user, erase: { clear: [user] } } } : {}) },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose,
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
    /** When the provider said it left the inbox without being deleted (Gmail INBOX label removed, moved to Archive). */
    archivedAt: integer(),
    /** IMAP only: where it was seen, `folderKind:UIDVALIDITY:UID`, to notice it disappear (EXPUNGE, moved). */
    providerRef: text(),
  },
  (t) => [uniqueIndex("inbox_messages_provider_uq").on(t.mailboxId, t.providerId), index("inbox_messages_conv_idx").on(t.conversationId, t.date)],
);
declareData(inboxMessages, mailboxOwned("Emails synced from connected mailboxes (headers, participants, subject, body) to route and answer them"));

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
declareData(inboxAttachments, mailboxOwned("Names, types and sizes of attachments of synced emails"));

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
declareData(inboxNotes, mailboxOwned("Internal notes your team writes on inbox conversations", "author_id"));

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
declareData(inboxDrafts, mailboxOwned("Replies drafted in the team inbox (also saved to the mailbox's drafts)", "author_id"));

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

/** How one inbound message was classified: by a rule (no AI) or by the AI engine (provider, model). */
export const inboxClassifications = sqliteTable(
  "inbox_classifications",
  {
    messageId: text().primaryKey().references(() => inboxMessages.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    mailboxId: text().notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    category: text({ enum: inboxCategories }).notNull(),
    priority: text({ enum: priorities }).notNull(),
    summary: text().notNull(),
    source: text({ enum: ["rule", "ai"] }).notNull(),
    reason: text().notNull(),
    /** "rule:<id>" for a rule, else the provider's model id. */
    model: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("inbox_classifications_conv_idx").on(t.conversationId)],
);
declareData(inboxClassifications, mailboxOwned("The category, priority and one-line summary given to each synced email, and why"));

export type RuleCondition = { field: "from" | "to" | "subject" | "body" | "category"; op: "contains" | "equals" | "domain"; value: string };
export type RuleAction =
  | { type: "workspace"; workspaceId: string }
  | { type: "person"; userId: string }
  | { type: "team"; teamId: string }
  | { type: "none" };

/** A routing rule of the organization: conditions (all must hold), then assign and/or set a category. */
export const inboxRules = sqliteTable(
  "inbox_rules",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    position: integer().notNull(),
    enabled: integer({ mode: "boolean" }).notNull().default(true),
    conditions: text({ mode: "json" }).$type<RuleCondition[]>().notNull(),
    action: text({ mode: "json" }).$type<RuleAction>().notNull(),
    /** When set, the rule decides the category itself and no AI classifies the message. */
    setCategory: text({ enum: inboxCategories }),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("inbox_rules_org_idx").on(t.orgId, t.position)],
);
declareData(inboxRules, {
  owners: { organization: "org_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "The inbox routing rules your team set up",
});

/** Every executed rule, with why it fired and what it did. */
export const inboxRuleRuns = sqliteTable(
  "inbox_rule_runs",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    ruleId: text().references(() => inboxRules.id, { onDelete: "set null" }),
    conversationId: text().notNull().references(() => conversations.id, { onDelete: "cascade" }),
    messageId: text(),
    reason: text().notNull(),
    outcome: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("inbox_rule_runs_conv_idx").on(t.conversationId, t.createdAt), index("inbox_rule_runs_org_idx").on(t.orgId, t.createdAt)],
);
declareData(inboxRuleRuns, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Which routing rule acted on which conversation, and why",
});

/** A team of the organization: round-robin assignment with a cap of open conversations per person. */
export const inboxTeams = sqliteTable(
  "inbox_teams",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    name: text().notNull(),
    maxOpenPerPerson: integer().notNull().default(20),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("inbox_teams_org_idx").on(t.orgId)],
);
declareData(inboxTeams, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Inbox teams and their per-person caps",
});

export const inboxTeamMembers = sqliteTable(
  "inbox_team_members",
  {
    teamId: text().notNull().references(() => inboxTeams.id, { onDelete: "cascade" }),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    lastAssignedAt: integer(),
    createdAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);
declareData(inboxTeamMembers, {
  owners: { organization: "org_id", user: "user_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Who is in which inbox team, and when each was last assigned a conversation",
});

export type BusinessHours = { days: number[]; start: string; end: string };

/** A workspace's SLA: targets in business minutes, within its business hours and time zone. */
export const inboxSlas = sqliteTable("inbox_slas", {
  workspaceId: text().primaryKey().references(() => workspaces.id, { onDelete: "cascade" }),
  orgId: text().notNull(),
  firstResponseMinutes: integer().notNull(),
  resolutionMinutes: integer().notNull(),
  /** At risk once this share of the target has elapsed (percent). */
  atRiskPercent: integer().notNull().default(75),
  timeZone: text().notNull(),
  hours: text({ mode: "json" }).$type<BusinessHours>().notNull(),
  updatedAt: integer().notNull(),
});
declareData(inboxSlas, {
  owners: { organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "A workspace's inbox response targets and business hours",
});
