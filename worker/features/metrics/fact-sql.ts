// Raw SQL on purpose, like rollup-sql.ts (same bound parameters ?1..?5, same batch): the rollups of
// the normalized social and ads tables, generated from the catalogue's `{ fact, field }` rows, so a
// provider or a field added there is a row in the VALUES below, not a new statement.
import type { NormalizedBatch } from "../../connectors/types";
import { factMappings, type FactTable } from "./catalogue";
import type { Family } from "./rollup-sql";
import { localDaySql } from "./time-zone";

const COLS = "integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, day, currency, value";
const pending = (kind: string) => `(SELECT p.day FROM rollup_pending_days p WHERE p.integration_id = ?1 AND p.kind = '${kind}')`;
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** (provider, field, metric, is money) rows of a fact table; "" rows match nothing, so an empty list stays valid SQL. */
function values(fact: FactTable): string {
  const rows = factMappings(fact).map(([p, f, m, unit]) => `(${q(p)}, ${q(f)}, ${q(m)}, ${unit === "money" ? 1 : 0})`);
  return `(VALUES ${rows.length ? rows.join(", ") : "('', '', '', 0)"})`;
}
const metricsOf = (fact: FactTable) => [...new Set(factMappings(fact).map(([, , m]) => m))];
/** The value of field `m.column2` of row `x` (a CASE over the fact's numeric columns). */
const pick = (fact: FactTable) => {
  const fields = [...new Set(factMappings(fact).map(([, f]) => f))];
  return `CASE m.column2 ${fields.map((f) => `WHEN ${q(f)} THEN ${f === "count" ? "1" : `x.${f}`}`).join(" ")} END`;
};
const dates = (rows: { date: string }[] | undefined) => [...new Set((rows ?? []).map((r) => r.date))];
/** Pending days of a family keyed by its rows' reported `date`: the batch's dates (json), or every date the integration has. */
const markDays = (kind: string, table: string): Family["mark"] => (ids) =>
  ids === "json"
    ? `INSERT OR IGNORE INTO rollup_pending_days (integration_id, kind, day) SELECT ?1, '${kind}', value FROM json_each(?5)`
    : `INSERT OR IGNORE INTO rollup_pending_days (integration_id, kind, day) SELECT DISTINCT ?1, '${kind}', t.date FROM ${table} t WHERE t.integration_id = ?1`;

const AD_DIM = "ad_campaign";
/** Ad platforms' daily campaign figures: days are the platform's reported dates. */
export const adInsights: Family = {
  kind: "ads",
  metrics: metricsOf("ad_insights_daily"),
  keys: (b) => dates(b.adInsights),
  mark: markDays("ads", "ad_insights_daily"),
  recompute: [
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column3 AS metric, dm.column1 AS dim, ` +
      `CASE WHEN dm.column1 = '' THEN '' ELSE x.campaign_id END AS dv, CASE WHEN dm.column1 = '' THEN NULL ELSE max(x.name) END, x.date AS d, ` +
      `CASE WHEN m.column4 = 1 THEN x.currency ELSE '' END AS cur, sum(${pick("ad_insights_daily")}) ` +
      `FROM (SELECT a.*, c.name FROM ad_insights_daily a LEFT JOIN ad_campaigns c ON c.integration_id = a.integration_id AND c.provider_id = a.campaign_id ` +
      `WHERE a.integration_id = ?1 AND a.date IN ${pending("ads")}) x ` +
      `JOIN ${values("ad_insights_daily")} m ON m.column1 = ?4 JOIN (VALUES (''), ('${AD_DIM}')) dm ` +
      `WHERE ${pick("ad_insights_daily")} IS NOT NULL GROUP BY m.column3, dm.column1, dv, d, cur`,
  ],
};

const ACCOUNT_DIM = "social_account";
/** Pages' and Instagram accounts' daily insights (the provider's day). */
export const socialInsights: Family = {
  kind: "social",
  metrics: metricsOf("social_insights_daily"),
  keys: (b) => dates(b.socialInsights),
  mark: markDays("social", "social_insights_daily"),
  recompute: [
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column3 AS metric, dm.column1 AS dim, ` +
      `CASE WHEN dm.column1 = '' THEN '' ELSE x.account_id END AS dv, CASE WHEN dm.column1 = '' THEN NULL ELSE max(x.name) END, x.date AS d, '', sum(x.value) ` +
      `FROM (SELECT s.*, a.name FROM social_insights_daily s LEFT JOIN social_accounts a ON a.integration_id = s.integration_id AND a.provider_id = s.account_id ` +
      `WHERE s.integration_id = ?1 AND s.date IN ${pending("social")}) x ` +
      `JOIN ${values("social_insights_daily")} m ON m.column1 = ?4 AND m.column2 = x.metric JOIN (VALUES (''), ('${ACCOUNT_DIM}')) dm ` +
      `GROUP BY m.column3, dm.column1, dv, d`,
  ],
};

const DAY = (col: string) => localDaySql(col, "?3");
/** Posts' lifetime figures, filed under the day they were published in the workspace's time zone. */
export const socialPosts: Family = {
  kind: "posts",
  metrics: metricsOf("social_posts"),
  keys: (b) => (b.socialPosts ?? []).map((p) => p.providerId),
  mark: (ids) =>
    `INSERT OR IGNORE INTO rollup_pending_days (integration_id, kind, day) SELECT ?1, 'posts', ${DAY("s.published_at")} FROM social_posts s ` +
    `WHERE s.integration_id = ?1${ids === "json" ? " AND s.provider_id IN (SELECT value FROM json_each(?5))" : ""}`,
  recompute: [
    `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column3 AS metric, dm.column1 AS dim, ` +
      `CASE WHEN dm.column1 = '' THEN '' ELSE x.provider_id END AS dv, ` +
      `CASE WHEN dm.column1 = '' THEN NULL ELSE max(COALESCE(substr(x.message, 1, 80), x.provider_id)) END, x.d AS d, '', sum(${pick("social_posts")}) ` +
      `FROM (SELECT s.*, ${DAY("s.published_at")} AS d FROM social_posts s WHERE s.integration_id = ?1) x ` +
      `JOIN ${values("social_posts")} m ON m.column1 = ?4 JOIN (VALUES (''), ('post')) dm ` +
      `WHERE x.d IN ${pending("posts")} GROUP BY m.column3, dm.column1, dv, d`,
  ],
};

export const factFamilies = [adInsights, socialInsights, socialPosts];

/** Followers: one snapshot per account and day (the day of the sync), the latest wins, like list sizes. */
export const followersSnapshot = (ids: "json" | "all") =>
  `INSERT INTO metric_rollups (${COLS}) SELECT ?1, ?2, ?3, ?4, m.column3, '${ACCOUNT_DIM}', a.provider_id, a.name, ${DAY("a.updated_at")}, '', a.followers ` +
  `FROM social_accounts a JOIN ${values("social_accounts")} m ON m.column1 = ?4 AND m.column2 = 'followers' ` +
  `WHERE a.integration_id = ?1${ids === "json" ? " AND a.provider_id IN (SELECT value FROM json_each(?5))" : ""} AND true ` +
  `ON CONFLICT (integration_id, metric, dimension, dimension_value, day, currency) DO UPDATE SET value = excluded.value, label = excluded.label`;

/** A renamed campaign or account renames its rows on every day (insights may also arrive before the names). */
export const relabel = (dimension: string, from: "ad_campaigns" | "social_accounts") =>
  `UPDATE metric_rollups SET label = (SELECT n.name FROM ${from} n WHERE n.integration_id = ?1 AND n.provider_id = metric_rollups.dimension_value) ` +
  `WHERE integration_id = ?1 AND dimension = '${dimension}' AND dimension_value IN (SELECT value FROM json_each(?5))`;
export const relabels = (b: NormalizedBatch): [string, string[]][] => [
  [relabel(AD_DIM, "ad_campaigns"), (b.adCampaigns ?? []).map((c) => c.providerId)],
  [relabel(ACCOUNT_DIM, "social_accounts"), (b.socialAccounts ?? []).map((a) => a.providerId)],
];
