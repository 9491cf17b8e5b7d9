import { sqliteTable, text, integer, real, index, uniqueIndex, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const integrationStatuses = ["active", "needs_reconnect", "error", "disconnected"] as const;
export type IntegrationStatus = (typeof integrationStatuses)[number];

/**
 * A connected third-party account of a workspace. The root of the "integration" subject: 30 days
 * after `disconnected_at` the retention run deletes it and every row linked to it.
 */
export const integrations = sqliteTable(
  "integrations",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text().notNull(),
    status: text({ enum: integrationStatuses }).notNull(),
    label: text().notNull(),
    /** The provider account's identity (shop domain, store URL, property, list…): webhooks and reconnects find the row by it. */
    accountKey: text().notNull(),
    /** JSON of non-secret account coordinates. */
    account: text({ mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    /** Granted scopes. */
    scopes: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    tokenExpiresAt: integer(),
    connectedBy: text().references(() => users.id, { onDelete: "set null" }),
    lastSyncAt: integer(),
    rowsSynced: integer().notNull().default(0),
    lastError: text(),
    syncIntervalMinutes: integer().notNull().default(60),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    disconnectedAt: integer(),
  },
  (t) => [
    index("integrations_ws_idx").on(t.workspaceId, t.provider),
    index("integrations_account_idx").on(t.provider, t.accountKey),
    index("integrations_disconnected_idx").on(t.disconnectedAt),
  ],
);
declareData(integrations, {
  owners: {
    integration: "id",
    organization: "org_id",
    workspace: "workspace_id",
    user: { column: "connected_by", erase: { clear: ["connected_by"] } },
  },
  retention: { rule: "purge-after", days: 30, column: "disconnected_at" },
  export: {},
  purpose: "Which third-party accounts a workspace connected, their status and sync health",
});

/** Secret fields of an integration, only as vault envelopes (AES-256-GCM, AAD org|integration|field). */
export const integrationCredentials = sqliteTable(
  "integration_credentials",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    field: text().notNull(),
    ciphertext: text().notNull(),
    keyId: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.field] }), index("integration_credentials_key_idx").on(t.keyId)],
);
declareData(integrationCredentials, {
  owners: { integration: "integration_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "Encrypted access tokens and API keys of connected accounts; deleted at disconnect",
});

/** A pending OAuth authorization: single use, 10 minutes, bound to the user and workspace. */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    id: text().primaryKey(),
    stateHash: text().notNull(),
    userId: text().notNull().references(() => users.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text().notNull(),
    /** JSON of the inputs asked before the redirect (e.g. the shop domain). */
    account: text({ mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    /** PKCE verifier as a vault envelope (AAD org|state id|codeVerifier). */
    codeVerifier: text(),
    /** SHA-256 of the nonce in the starting browser's cookie: the callback must come from that browser. */
    browserHash: text(),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
    usedAt: integer(),
  },
  (t) => [uniqueIndex("oauth_states_hash_uq").on(t.stateHash), index("oauth_states_expires_idx").on(t.expiresAt)],
);
declareData(oauthStates, {
  owners: { user: "user_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: false,
  purpose: "Short-lived OAuth state (hashed) and PKCE verifier of a connect in progress",
});

export const syncRunStatuses = ["running", "succeeded", "failed", "cancelled"] as const;
export type SyncRunStatus = (typeof syncRunStatuses)[number];
export const syncReasons = ["initial", "manual", "scheduled"] as const;
export type SyncReason = (typeof syncReasons)[number];

/** One sync of one integration: progress while it runs, outcome and figures once it ends. */
export const syncRuns = sqliteTable(
  "sync_runs",
  {
    id: text().primaryKey(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    reason: text({ enum: syncReasons }).notNull(),
    status: text({ enum: syncRunStatuses }).notNull(),
    stream: text(),
    streamsDone: integer().notNull().default(0),
    streamsTotal: integer().notNull().default(0),
    pages: integer().notNull().default(0),
    rowsFetched: integer().notNull().default(0),
    rowsWritten: integer().notNull().default(0),
    retries: integer().notNull().default(0),
    /** What the run is waiting for (rate limit, retry), shown beside the progress bar. */
    detail: text(),
    error: text(),
    startedAt: integer().notNull(),
    finishedAt: integer(),
    durationMs: integer(),
  },
  (t) => [index("sync_runs_integration_idx").on(t.integrationId, t.startedAt), index("sync_runs_ws_idx").on(t.workspaceId, t.startedAt)],
);
declareData(syncRuns, {
  owners: { integration: "integration_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "History of data syncs: when, how many rows, outcome",
});

/** Webhook deliveries already applied: a replayed or duplicated delivery changes nothing. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    eventId: text().notNull(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    provider: text().notNull(),
    topic: text().notNull(),
    receivedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.eventId] }), index("webhook_events_received_idx").on(t.receivedAt)],
);
declareData(webhookEvents, {
  owners: { integration: "integration_id", organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "rolling", months: 3, column: "received_at" },
  export: false,
  purpose: "Ids of applied webhook deliveries, to ignore replays",
});

// ---- Normalized synced data: keyed by (integration, provider id); money in minor units + currency.

export const synced = { integration: "integration_id", organization: "org_id", workspace: "workspace_id" } as const;

/** The key columns every synced entity starts with (fresh builders per table). */
export const syncedEntityKeys = () => ({
  integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
  providerId: text().notNull(),
  orgId: text().notNull(),
  workspaceId: text().notNull(),
  source: text().notNull(),
});

export const dailyMetrics = sqliteTable(
  "daily_metrics",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    source: text().notNull(),
    metric: text().notNull(),
    /** "" for the total, otherwise e.g. "channel". */
    dimension: text().notNull(),
    dimensionValue: text().notNull(),
    /** YYYY-MM-DD in the account's reporting time zone. */
    date: text().notNull(),
    value: real().notNull(),
    currency: text(),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.metric, t.dimension, t.dimensionValue, t.date] }),
    index("daily_metrics_ws_idx").on(t.workspaceId, t.metric, t.date),
  ],
);
declareData(dailyMetrics, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Daily figures synced from analytics, shops and email tools (sessions, revenue, opens…)",
});

export const orders = sqliteTable(
  "orders",
  {
    ...syncedEntityKeys(),
    number: text().notNull(),
    status: text().notNull(),
    currency: text().notNull(),
    totalMinor: integer().notNull(),
    subtotalMinor: integer().notNull(),
    discountMinor: integer().notNull(),
    refundedMinor: integer().notNull(),
    customerId: text(),
    /** The provider's creation and last-update times (ms UTC). */
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("orders_ws_idx").on(t.workspaceId, t.createdAt)],
);
declareData(orders, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Orders synced from connected shops (amounts, status, the shop's customer id)",
});

export const orderLines = sqliteTable(
  "order_lines",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orderId: text().notNull(),
    lineNo: integer().notNull(),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    productId: text().notNull(),
    title: text().notNull(),
    quantity: integer().notNull(),
    totalMinor: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.orderId, t.lineNo] })],
);
declareData(orderLines, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Line items of synced orders",
});

export const products = sqliteTable(
  "products",
  {
    ...syncedEntityKeys(),
    title: text().notNull(),
    sku: text(),
    priceMinor: integer().notNull(),
    currency: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("products_ws_idx").on(t.workspaceId)],
);
declareData(products, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Products synced from connected shops",
});

export const emailCampaigns = sqliteTable(
  "email_campaigns",
  {
    ...syncedEntityKeys(),
    name: text().notNull(),
    kind: text({ enum: ["campaign", "flow"] }).notNull(),
    status: text().notNull(),
    sentAt: integer(),
    recipients: integer().notNull(),
    delivered: integer().notNull(),
    opens: integer().notNull(),
    clicks: integer().notNull(),
    bounces: integer().notNull(),
    unsubscribes: integer().notNull(),
    revenueMinor: integer().notNull(),
    currency: text(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("email_campaigns_ws_idx").on(t.workspaceId, t.sentAt)],
);
declareData(emailCampaigns, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Email campaigns and flows with their results, synced from email-marketing tools",
});

export const audiences = sqliteTable(
  "audiences",
  {
    ...syncedEntityKeys(),
    name: text().notNull(),
    kind: text({ enum: ["list", "segment", "audience"] }).notNull(),
    memberCount: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("audiences_ws_idx").on(t.workspaceId)],
);
declareData(audiences, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Lists, segments and audiences (names and sizes) synced from email-marketing tools",
});
