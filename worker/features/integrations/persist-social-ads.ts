// Upsert specs of the social and ads tables (worker/db/schema/social-ads.ts) for persist.ts.
import { col, type Spec } from "./persist-spec";

export const SOCIAL_ADS_TABLES = ["social_accounts", "social_insights_daily", "social_posts", "ad_accounts", "ad_campaigns", "ad_sets", "ad_insights_daily"];

export const socialAdsSpecs = {
  socialAccounts: {
    table: "social_accounts",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (a) => a.providerId), col("kind", (a) => a.kind), col("name", (a) => a.name),
      col("parent_id", (a) => a.parentId ?? null), col("followers", (a) => a.followers), col("updated_at", (a) => a.updatedAt),
    ],
  },
  socialInsights: {
    table: "social_insights_daily",
    key: ["integration_id", "account_id", "metric", "date"],
    cols: [col("account_id", (m) => m.accountId), col("metric", (m) => m.metric), col("date", (m) => m.date), col("value", (m) => m.value)],
  },
  socialPosts: {
    table: "social_posts",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (p) => p.providerId), col("account_id", (p) => p.accountId), col("message", (p) => p.message ?? null),
      col("permalink", (p) => p.permalink ?? null), col("media_type", (p) => p.mediaType ?? null), col("published_at", (p) => p.publishedAt), col("reach", (p) => p.reach),
      col("views", (p) => p.views), col("likes", (p) => p.likes), col("comments", (p) => p.comments), col("shares", (p) => p.shares),
      col("engagement", (p) => p.engagement), col("updated_at", (p) => p.updatedAt),
    ],
  },
  adAccounts: {
    table: "ad_accounts",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (a) => a.providerId), col("channel", (a) => a.channel), col("name", (a) => a.name),
      col("currency", (a) => a.currency), col("time_zone", (a) => a.timeZone ?? null), col("updated_at", (a) => a.updatedAt),
    ],
  },
  adCampaigns: {
    table: "ad_campaigns",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (c) => c.providerId), col("channel", (c) => c.channel), col("account_id", (c) => c.accountId),
      col("name", (c) => c.name), col("status", (c) => c.status), col("objective", (c) => c.objective ?? null),
      col("daily_budget_minor", (c) => c.dailyBudgetMinor ?? null), col("lifetime_budget_minor", (c) => c.lifetimeBudgetMinor ?? null),
      col("currency", (c) => c.currency), col("shared_budget", (c) => (c.sharedBudget ? 1 : 0)), col("budget_id", (c) => c.budgetId ?? null),
      col("updated_at", (c) => c.updatedAt),
    ],
  },
  adSets: {
    table: "ad_sets",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (s) => s.providerId), col("campaign_id", (s) => s.campaignId), col("name", (s) => s.name),
      col("status", (s) => s.status), col("daily_budget_minor", (s) => s.dailyBudgetMinor ?? null),
      col("lifetime_budget_minor", (s) => s.lifetimeBudgetMinor ?? null), col("currency", (s) => s.currency), col("updated_at", (s) => s.updatedAt),
    ],
  },
  adInsights: {
    table: "ad_insights_daily",
    key: ["integration_id", "campaign_id", "date"],
    cols: [
      col("campaign_id", (i) => i.campaignId), col("date", (i) => i.date), col("spend_minor", (i) => i.spendMinor),
      col("impressions", (i) => i.impressions), col("clicks", (i) => i.clicks), col("reach", (i) => i.reach ?? null),
      col("conversions", (i) => i.conversions), col("conversion_value_minor", (i) => i.conversionValueMinor), col("currency", (i) => i.currency),
    ],
  },
} satisfies Record<string, Spec>;
