/**
 * The metric catalogue: every KPI QWEB shows, what it means, its unit, where it comes from and how
 * it aggregates. Sources are rows: a connector that writes orders, email campaigns or daily metrics
 * lights up a metric by being listed here, without a new code path (a new ads platform writing
 * ad_insights_daily is one more provider in `adsProviders`).
 */
export type Unit = "money" | "count" | "ratio" | "duration";
export type Area = "commerce" | "analytics" | "email" | "social" | "ads";

/** Where a stored metric's daily values come from. */
export type MetricSource =
  /** Derived from synced entities (orders + lines, email campaigns, audiences) of any provider writing them. */
  | { provider: string; table: "orders" | "order_lines" | "email_campaigns" | "audiences" }
  /** A provider-reported daily figure (`daily_metrics.metric`), copied under the catalogue key. */
  | { provider: string; dailyMetric: string }
  /**
   * A field of a normalized social/ads table: a column of ad_insights_daily, social_posts or
   * social_accounts ("count" counts rows), or an insight name of social_insights_daily. The rollup
   * SQL is generated from these rows (features/metrics/fact-sql.ts).
   */
  | { provider: string; fact: FactTable; field: string };
export type FactTable = "ad_insights_daily" | "social_insights_daily" | "social_posts" | "social_accounts";

export type StoredMetric = {
  key: string;
  label: string;
  area: Area;
  unit: Unit;
  /** Over time and across sources: sum of the daily values, or the latest snapshot (list sizes). */
  aggregate: "sum" | "latest";
  dimensions: string[];
  sources: MetricSource[];
  definition: string;
};

/** Computed from stored metrics after aggregation (ratios are ratios of sums, never averages of ratios). */
export type DerivedMetric = {
  key: string;
  label: string;
  area: Area;
  unit: Unit;
  formula: { ratio: [string, string] } | { difference: [string, string] } | { growth: string };
  definition: string;
};

export type Metric = (StoredMetric & { kind: "stored" }) | (DerivedMetric & { kind: "derived" });

const commerceProviders = ["shopify", "woocommerce"];
const emailProviders = ["klaviyo", "mailchimp"];
const adsProviders = ["meta", "google-ads"];
const fromTable = (table: Extract<MetricSource, { table: string }>["table"], providers: string[]) => providers.map((provider) => ({ provider, table }));
const fromDaily = (providers: string[], dailyMetric: string) => providers.map((provider) => ({ provider, dailyMetric }));
const fromFact = (fact: FactTable, providers: string[], ...fields: string[]) => providers.flatMap((provider) => fields.map((field) => ({ provider, fact, field })));

export const storedMetrics: StoredMetric[] = [
  // Commerce: from orders, filed under the day the order was placed in the workspace's time zone.
  { key: "revenue_gross", label: "Revenue (gross)", area: "commerce", unit: "money", aggregate: "sum", dimensions: [], sources: fromTable("orders", commerceProviders), definition: "Order totals of orders that were not cancelled or failed, refunds not deducted" },
  { key: "refunds", label: "Refunds", area: "commerce", unit: "money", aggregate: "sum", dimensions: [], sources: fromTable("orders", commerceProviders), definition: "Amounts refunded on those orders, filed under the order's day" },
  { key: "orders", label: "Orders", area: "commerce", unit: "count", aggregate: "sum", dimensions: [], sources: fromTable("orders", commerceProviders), definition: "Orders placed that were not cancelled or failed" },
  { key: "products_sold", label: "Products sold", area: "commerce", unit: "count", aggregate: "sum", dimensions: ["product"], sources: fromTable("order_lines", commerceProviders), definition: "Units on the line items of those orders" },
  { key: "product_revenue", label: "Product revenue", area: "commerce", unit: "money", aggregate: "sum", dimensions: ["product"], sources: fromTable("order_lines", commerceProviders), definition: "Line item totals per product (before order-level shipping and tax)" },
  // Analytics: GA4 reports days in the property's own time zone; those days are kept as reported.
  { key: "sessions", label: "Sessions", area: "analytics", unit: "count", aggregate: "sum", dimensions: ["channel", "landing_page"], sources: fromDaily(["ga4"], "sessions"), definition: "Sessions as the analytics property counts them" },
  { key: "users", label: "Users", area: "analytics", unit: "count", aggregate: "sum", dimensions: ["channel", "landing_page"], sources: fromDaily(["ga4"], "users"), definition: "Sum of daily users (a user active on two days counts twice)" },
  { key: "new_users", label: "New users", area: "analytics", unit: "count", aggregate: "sum", dimensions: ["channel", "landing_page"], sources: fromDaily(["ga4"], "new_users"), definition: "First-time users" },
  { key: "conversions", label: "Conversions", area: "analytics", unit: "count", aggregate: "sum", dimensions: ["channel", "landing_page"], sources: fromDaily(["ga4"], "conversions"), definition: "Key events (GA4's conversions)" },
  { key: "analytics_revenue", label: "Revenue (analytics)", area: "analytics", unit: "money", aggregate: "sum", dimensions: ["channel", "landing_page"], sources: fromDaily(["ga4"], "revenue"), definition: "Total revenue the analytics property attributes to sessions" },
  // Email: campaigns filed under the day they were sent.
  { key: "email_sends", label: "Emails sent", area: "email", unit: "count", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Recipients of campaigns sent that day" },
  { key: "email_delivered", label: "Delivered", area: "email", unit: "count", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Emails delivered" },
  { key: "email_opens", label: "Opens", area: "email", unit: "count", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Opens of those campaigns so far" },
  { key: "email_clicks", label: "Clicks", area: "email", unit: "count", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Clicks in those campaigns so far" },
  { key: "email_bounces", label: "Bounces", area: "email", unit: "count", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Bounced emails" },
  { key: "email_revenue", label: "Attributed revenue", area: "email", unit: "money", aggregate: "sum", dimensions: ["campaign"], sources: fromTable("email_campaigns", emailProviders), definition: "Revenue the email tool attributes to the campaign" },
  { key: "list_members", label: "List members", area: "email", unit: "count", aggregate: "latest", dimensions: ["list"], sources: fromTable("audiences", emailProviders), definition: "Members of each list as of each sync (the day's last snapshot)" },
  // Ads: the platforms' daily campaign figures, filed under the day the ad account reports (its own time zone).
  { key: "ad_spend", label: "Ad spend", area: "ads", unit: "money", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", adsProviders, "spend_minor"), definition: "Spend reported by the ad platforms" },
  { key: "ad_impressions", label: "Impressions", area: "ads", unit: "count", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", adsProviders, "impressions"), definition: "Ad impressions" },
  { key: "ad_clicks", label: "Ad clicks", area: "ads", unit: "count", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", adsProviders, "clicks"), definition: "Clicks on ads" },
  { key: "ad_reach", label: "Ad reach", area: "ads", unit: "count", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", ["meta"], "reach"), definition: "Sum of daily accounts reached (Meta only; Google Ads reports none)" },
  { key: "ad_conversions", label: "Ad conversions", area: "ads", unit: "count", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", adsProviders, "conversions"), definition: "Conversions (Meta: purchases) the ad platforms attribute to ads" },
  { key: "ad_conversion_value", label: "Purchase value", area: "ads", unit: "money", aggregate: "sum", dimensions: ["ad_campaign"], sources: fromFact("ad_insights_daily", adsProviders, "conversion_value_minor"), definition: "Purchase (conversion) value the ad platforms attribute to ads" },
  // Social: Pages' and Instagram accounts' daily insights (the provider's day), posts under the day they were published.
  { key: "social_reach", label: "Reach", area: "social", unit: "count", aggregate: "sum", dimensions: ["social_account"], sources: fromFact("social_insights_daily", ["meta"], "page_total_media_view_unique", "reach"), definition: "Sum of daily accounts reached by Pages and Instagram accounts" },
  { key: "social_views", label: "Views", area: "social", unit: "count", aggregate: "sum", dimensions: ["social_account"], sources: fromFact("social_insights_daily", ["meta"], "page_media_view"), definition: "Times Page content was viewed" },
  { key: "social_engagement", label: "Engagement", area: "social", unit: "count", aggregate: "sum", dimensions: ["social_account"], sources: fromFact("social_insights_daily", ["meta"], "page_post_engagements"), definition: "Reactions, comments, shares and clicks on Page posts (Facebook's daily figure)" },
  { key: "social_follows", label: "New followers", area: "social", unit: "count", aggregate: "sum", dimensions: ["social_account"], sources: fromFact("social_insights_daily", ["meta"], "page_follows", "follower_count"), definition: "Follows gained per day (Page follows, Instagram new followers)" },
  { key: "social_followers", label: "Followers", area: "social", unit: "count", aggregate: "latest", dimensions: ["social_account"], sources: fromFact("social_accounts", ["meta"], "followers"), definition: "Followers of each Page and Instagram account as of each sync" },
  { key: "posts", label: "Posts", area: "social", unit: "count", aggregate: "sum", dimensions: ["post"], sources: fromFact("social_posts", ["meta"], "count"), definition: "Posts and media published" },
  { key: "post_reach", label: "Post reach", area: "social", unit: "count", aggregate: "sum", dimensions: ["post"], sources: fromFact("social_posts", ["meta"], "reach"), definition: "Lifetime reach of the posts published in the period" },
  { key: "post_engagement", label: "Post engagement", area: "social", unit: "count", aggregate: "sum", dimensions: ["post"], sources: fromFact("social_posts", ["meta"], "engagement"), definition: "Lifetime likes, comments, shares and saves of the posts published in the period" },
];

export const derivedMetrics: DerivedMetric[] = [
  { key: "revenue_net", label: "Revenue (net)", area: "commerce", unit: "money", formula: { difference: ["revenue_gross", "refunds"] }, definition: "Gross revenue minus refunds" },
  { key: "aov", label: "Average order value", area: "commerce", unit: "money", formula: { ratio: ["revenue_gross", "orders"] }, definition: "Gross revenue ÷ orders" },
  { key: "conversion_rate", label: "Conversion rate", area: "analytics", unit: "ratio", formula: { ratio: ["conversions", "sessions"] }, definition: "Conversions ÷ sessions" },
  { key: "open_rate", label: "Open rate", area: "email", unit: "ratio", formula: { ratio: ["email_opens", "email_delivered"] }, definition: "Opens ÷ delivered" },
  { key: "click_rate", label: "Click rate", area: "email", unit: "ratio", formula: { ratio: ["email_clicks", "email_delivered"] }, definition: "Clicks ÷ delivered" },
  { key: "list_growth", label: "List growth", area: "email", unit: "count", formula: { growth: "list_members" }, definition: "List members at the end of the period minus at its start" },
  { key: "ctr", label: "CTR", area: "ads", unit: "ratio", formula: { ratio: ["ad_clicks", "ad_impressions"] }, definition: "Ad clicks ÷ impressions" },
  { key: "cpc", label: "CPC", area: "ads", unit: "money", formula: { ratio: ["ad_spend", "ad_clicks"] }, definition: "Ad spend ÷ ad clicks" },
  { key: "cpa", label: "CPA", area: "ads", unit: "money", formula: { ratio: ["ad_spend", "ad_conversions"] }, definition: "Ad spend ÷ ad conversions" },
  { key: "roas", label: "ROAS", area: "ads", unit: "ratio", formula: { ratio: ["ad_conversion_value", "ad_spend"] }, definition: "Conversion value reported by the ad platforms ÷ ad spend (not shop revenue)" },
];

export const catalogue: Metric[] = [
  ...storedMetrics.map((m) => ({ ...m, kind: "stored" as const })),
  ...derivedMetrics.map((m) => ({ ...m, kind: "derived" as const })),
];
const byKey = new Map(catalogue.map((m) => [m.key, m]));
export const metricOf = (key: string) => byKey.get(key);

/** Provider daily metric → catalogue key, per provider (from the rows above). */
export const dailyMetricKey = (provider: string, dailyMetric: string): string | undefined =>
  storedMetrics.find((m) => m.sources.some((s) => "dailyMetric" in s && s.provider === provider && s.dailyMetric === dailyMetric))?.key;

/** Every [provider, daily metric, catalogue key] mapping, as SQL reads it in a rebuild. */
export const dailyMappings = (): [string, string, string][] =>
  storedMetrics.flatMap((m) => m.sources.flatMap((s) => ("dailyMetric" in s ? [[s.provider, s.dailyMetric, m.key] as [string, string, string]] : [])));

/** [provider, field, catalogue key, unit] rows of one fact table, as its generated SQL reads them. */
export const factMappings = (fact: FactTable): [string, string, string, Unit][] =>
  storedMetrics.flatMap((m) => m.sources.flatMap((s) => ("fact" in s && s.fact === fact ? [[s.provider, s.field, m.key, m.unit] as [string, string, string, Unit]] : [])));

/** Stored metrics a set of connected providers can supply. */
export const suppliedBy = (providers: Iterable<string>) => {
  const set = new Set(providers);
  return storedMetrics.filter((m) => m.sources.some((s) => set.has(s.provider))).map((m) => m.key);
};

/** The stored metrics a derived (or stored) metric needs. */
export function inputsOf(key: string): string[] {
  const m = byKey.get(key);
  if (!m) return [];
  if (m.kind === "stored") return [key];
  const f = m.formula;
  return "ratio" in f ? [...f.ratio] : "difference" in f ? [...f.difference] : [f.growth];
}

/** Areas and their headline KPIs (the overview shows the first ones of each connected area). */
export const areaKpis: Record<Area, string[]> = {
  commerce: ["revenue_gross", "revenue_net", "orders", "aov", "refunds", "products_sold"],
  analytics: ["sessions", "users", "new_users", "conversions", "conversion_rate", "analytics_revenue"],
  email: ["email_sends", "email_opens", "open_rate", "email_clicks", "click_rate", "email_bounces", "email_revenue", "list_growth"],
  ads: ["ad_spend", "ad_impressions", "ad_clicks", "ctr", "cpc", "ad_conversions", "cpa", "roas", "ad_conversion_value"],
  social: ["social_reach", "social_views", "social_engagement", "social_followers", "social_follows", "posts", "post_reach", "post_engagement"],
};
export const areas = Object.keys(areaKpis) as Area[];
/** Every dimension some stored metric is broken down by. */
export const dimensions = [...new Set(storedMetrics.flatMap((m) => m.dimensions))];
