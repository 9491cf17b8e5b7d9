// Normalized social and ads data synced from Meta (Pages, Instagram, Marketing API) and Google Ads.
// Keyed like every synced table (integration, provider id); money in integer minor units + currency.
import { sqliteTable, text, integer, real, index, primaryKey } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { integrations, synced, syncedEntityKeys } from "./integrations";

/** A Facebook Page or Instagram business account of a connected Meta user. */
export const socialAccounts = sqliteTable(
  "social_accounts",
  {
    ...syncedEntityKeys(),
    kind: text({ enum: ["page", "ig"] }).notNull(),
    name: text().notNull(),
    /** The Page an Instagram account is linked to (null for a Page). */
    parentId: text(),
    followers: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("social_accounts_ws_idx").on(t.workspaceId)],
);
declareData(socialAccounts, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Facebook Pages and Instagram business accounts of connected Meta users (names, followers)",
});

/** Daily figures of a social account (views, reach, engagements, follows). */
export const socialInsightsDaily = sqliteTable(
  "social_insights_daily",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    source: text().notNull(),
    accountId: text().notNull(),
    metric: text().notNull(),
    /** YYYY-MM-DD (the day the provider's end_time closes). */
    date: text().notNull(),
    value: real().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.accountId, t.metric, t.date] }),
    index("social_insights_daily_ws_idx").on(t.workspaceId, t.metric, t.date),
  ],
);
declareData(socialInsightsDaily, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Daily insights of connected Facebook Pages and Instagram accounts",
});

/** A Page post or Instagram media item with its lifetime metrics. */
export const socialPosts = sqliteTable(
  "social_posts",
  {
    ...syncedEntityKeys(),
    accountId: text().notNull(),
    message: text(),
    permalink: text(),
    /** photo | video | carousel | link | text (SocialMediaType); null when the provider did not say. */
    mediaType: text({ enum: ["photo", "video", "carousel", "link", "text"] }),
    publishedAt: integer().notNull(),
    reach: integer().notNull(),
    views: integer().notNull(),
    likes: integer().notNull(),
    comments: integer().notNull(),
    shares: integer().notNull(),
    engagement: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("social_posts_ws_idx").on(t.workspaceId, t.publishedAt)],
);
declareData(socialPosts, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Posts and media of connected social accounts with their reach and engagement",
});

/** A Meta ad account (act_…) or a Google Ads customer. */
export const adAccounts = sqliteTable(
  "ad_accounts",
  {
    ...syncedEntityKeys(),
    channel: text({ enum: ["meta", "google"] }).notNull(),
    name: text().notNull(),
    currency: text().notNull(),
    timeZone: text(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("ad_accounts_ws_idx").on(t.workspaceId)],
);
declareData(adAccounts, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Advertising accounts of connected Meta and Google Ads users",
});

export const adCampaigns = sqliteTable(
  "ad_campaigns",
  {
    ...syncedEntityKeys(),
    channel: text({ enum: ["meta", "google"] }).notNull(),
    accountId: text().notNull(),
    name: text().notNull(),
    status: text().notNull(),
    objective: text(),
    dailyBudgetMinor: integer(),
    lifetimeBudgetMinor: integer(),
    currency: text().notNull(),
    /** Google Ads: the campaign's budget is shared with other campaigns (changing it changes them all). */
    sharedBudget: integer({ mode: "boolean" }).notNull().default(false),
    budgetId: text(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("ad_campaigns_ws_idx").on(t.workspaceId)],
);
declareData(adCampaigns, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Ad campaigns with status and budgets, synced from Meta and Google Ads",
});

export const adSets = sqliteTable(
  "ad_sets",
  {
    ...syncedEntityKeys(),
    campaignId: text().notNull(),
    name: text().notNull(),
    status: text().notNull(),
    dailyBudgetMinor: integer(),
    lifetimeBudgetMinor: integer(),
    currency: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.providerId] }), index("ad_sets_ws_idx").on(t.workspaceId)],
);
declareData(adSets, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Ad sets of Meta campaigns with status and budgets",
});

/** Daily delivery and results of one campaign. */
export const adInsightsDaily = sqliteTable(
  "ad_insights_daily",
  {
    integrationId: text().notNull().references(() => integrations.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    source: text().notNull(),
    campaignId: text().notNull(),
    date: text().notNull(),
    spendMinor: integer().notNull(),
    impressions: integer().notNull(),
    clicks: integer().notNull(),
    /** null where the channel reports none (Google Ads). */
    reach: integer(),
    conversions: real().notNull(),
    conversionValueMinor: integer().notNull(),
    currency: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.integrationId, t.campaignId, t.date] }),
    index("ad_insights_daily_ws_idx").on(t.workspaceId, t.date),
  ],
);
declareData(adInsightsDaily, {
  owners: synced,
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Daily spend, impressions, clicks, reach and conversions of ad campaigns",
});
