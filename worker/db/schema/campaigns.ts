import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { integrations } from "./integrations";
import { organizations, workspaces } from "./tenancy";

export const campaignStates = ["draft", "test_sent", "scheduled", "sent", "failed"] as const;
export type CampaignState = (typeof campaignStates)[number];

/**
 * An email campaign written in QWEB and sent through a connected Klaviyo or Mailchimp account.
 * The provider's ids are stored the moment it answers; `createAttempt` marks a creation under way
 * so a retry looks the campaign up at the provider (by `providerRef` in its internal name) instead
 * of creating a second one. Results come back through the sync (`email_campaigns`).
 */
export const campaignDrafts = sqliteTable(
  "campaign_drafts",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    provider: text().notNull(),
    name: text().notNull(),
    subject: text().notNull(),
    preheader: text().notNull().default(""),
    fromName: text().notNull(),
    replyTo: text().notNull(),
    bodyHtml: text().notNull(),
    bodyText: text().notNull(),
    listId: text().notNull(),
    listName: text().notNull(),
    /** The AI content item it was made from, if any. */
    contentId: text(),
    state: text({ enum: campaignStates }).notNull(),
    /** Bumped by every edit; `pushedVersion` is the version the provider has. */
    version: integer().notNull().default(1),
    pushedVersion: integer().notNull().default(0),
    providerRef: text().notNull(),
    createAttempt: text(),
    createAttemptAt: integer(),
    providerCampaignId: text(),
    providerMessageId: text(),
    providerTemplateId: text(),
    scheduledFor: integer(),
    sentAt: integer(),
    testSentTo: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    testSentAt: integer(),
    lastError: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("campaign_drafts_ws_idx").on(t.workspaceId, t.createdAt), index("campaign_drafts_integration_idx").on(t.integrationId)],
);
declareData(campaignDrafts, {
  owners: {
    organization: "org_id",
    workspace: "workspace_id",
    integration: "integration_id",
    user: { column: "created_by", erase: { clear: ["created_by"] } },
  },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Email campaigns written in QWEB (subject, body, list, test addresses, schedule) and sent through a connected email tool",
});
