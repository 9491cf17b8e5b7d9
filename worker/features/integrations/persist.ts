import type { NormalizedBatch } from "../../connectors/types";
import { SOCIAL_ADS_TABLES, socialAdsSpecs } from "./persist-social-ads";
import { col, type Spec } from "./persist-spec";
import { rollupStatements } from "../metrics";

/** Whose rows these are: every synced row carries the integration, its org and workspace. */
export type RowOwner = { integrationId: string; orgId: string; workspaceId: string; source: string };

// Raw SQL: the sync write path; bench/sync.bench.mjs measures json_each against multi-row VALUES.
/**
 * Writes a normalized batch as upserts keyed by (integration_id, provider id). Each table gets one
 * set-based statement per chunk: rows travel as ONE JSON parameter read with json_each, so the
 * 100-bound-parameter limit never fragments a page into dozens of statements. Entity upserts
 * only apply when the incoming `updated_at` is not older than the stored one, so a late or
 * replayed delivery never rolls data back.
 */

const CHUNK = 500;

const specs = {
  metrics: {
    table: "daily_metrics",
    key: ["integration_id", "metric", "dimension", "dimension_value", "date"],
    cols: [
      col("metric", (m) => m.metric), col("dimension", (m) => m.dimension ?? ""), col("dimension_value", (m) => m.dimensionValue ?? ""),
      col("date", (m) => m.date), col("value", (m) => m.value), col("currency", (m) => m.currency ?? null),
    ],
  },
  orders: {
    table: "orders",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (o) => o.providerId), col("number", (o) => o.number), col("status", (o) => o.status), col("currency", (o) => o.currency),
      col("total_minor", (o) => o.totalMinor), col("subtotal_minor", (o) => o.subtotalMinor), col("discount_minor", (o) => o.discountMinor),
      col("refunded_minor", (o) => o.refundedMinor), col("customer_id", (o) => o.customerId ?? null), col("created_at", (o) => o.createdAt),
      col("updated_at", (o) => o.updatedAt),
    ],
  },
  products: {
    table: "products",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (p) => p.providerId), col("title", (p) => p.title), col("sku", (p) => p.sku ?? null),
      col("price_minor", (p) => p.priceMinor), col("currency", (p) => p.currency), col("updated_at", (p) => p.updatedAt),
    ],
  },
  campaigns: {
    table: "email_campaigns",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (c) => c.providerId), col("name", (c) => c.name), col("kind", (c) => c.kind), col("status", (c) => c.status),
      col("sent_at", (c) => c.sentAt ?? null), col("recipients", (c) => c.recipients), col("delivered", (c) => c.delivered),
      col("opens", (c) => c.opens), col("clicks", (c) => c.clicks), col("bounces", (c) => c.bounces), col("unsubscribes", (c) => c.unsubscribes),
      col("revenue_minor", (c) => c.revenueMinor), col("currency", (c) => c.currency ?? null), col("updated_at", (c) => c.updatedAt),
    ],
  },
  audiences: {
    table: "audiences",
    key: ["integration_id", "provider_id"],
    guard: "updated_at",
    cols: [
      col("provider_id", (a) => a.providerId), col("name", (a) => a.name), col("kind", (a) => a.kind),
      col("member_count", (a) => a.memberCount), col("updated_at", (a) => a.updatedAt),
    ],
  },
  ...socialAdsSpecs,
} satisfies Record<string, Spec>;

const chunks = <T>(xs: T[], n = CHUNK): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};

/** INSERT … SELECT FROM json_each(?5) … ON CONFLICT DO UPDATE; ?1..?4 are the owner columns. */
function upsertSql(spec: Spec): string {
  const names = ["integration_id", "org_id", "workspace_id", "source", ...spec.cols.map((c) => c.name)];
  const values = ["?1", "?2", "?3", "?4", ...spec.cols.map((_, i) => `j.value->>${i}`)];
  const updates = spec.cols.filter((c) => !spec.key.includes(c.name)).map((c) => `${c.name} = excluded.${c.name}`);
  const guard = spec.guard ? ` WHERE excluded.${spec.guard} >= ${spec.table}.${spec.guard}` : "";
  return (
    `INSERT INTO ${spec.table} (${names.join(", ")}) SELECT ${values.join(", ")} FROM json_each(?5) AS j WHERE true ` +
    `ON CONFLICT (${spec.key.join(", ")}) DO UPDATE SET ${updates.join(", ")}${guard}`
  );
}

const sqlCache = new Map<Spec, string>();
const sqlOf = (spec: Spec) => {
  let s = sqlCache.get(spec);
  if (!s) sqlCache.set(spec, (s = upsertSql(spec)));
  return s;
};

// Order lines follow their order: replaced only when the order itself was (not older) written.
const DELETE_LINES =
  "DELETE FROM order_lines WHERE integration_id = ?1 AND order_id IN (SELECT j.value->>0 FROM json_each(?2) AS j " +
  "WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.integration_id = ?1 AND o.provider_id = j.value->>0 AND o.updated_at > j.value->>1))";
const INSERT_LINES =
  "INSERT INTO order_lines (integration_id, org_id, workspace_id, order_id, line_no, product_id, title, quantity, total_minor) " +
  "SELECT ?1, ?2, ?3, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5 FROM json_each(?4) AS j " +
  "WHERE EXISTS (SELECT 1 FROM orders o WHERE o.integration_id = ?1 AND o.provider_id = j.value->>0 AND o.updated_at = j.value->>6) " +
  "ON CONFLICT (integration_id, order_id, line_no) DO NOTHING";

const deleteTables = { order: ["order_lines", "orders"], product: ["products"], campaign: ["email_campaigns"], audience: ["audiences"] } as const;

const BATCH_KINDS = [
  "metrics", "orders", "products", "campaigns", "audiences",
  "socialAccounts", "socialInsights", "socialPosts", "adAccounts", "adCampaigns", "adSets", "adInsights",
] as const satisfies (keyof NormalizedBatch)[];
export const rowCount = (b: NormalizedBatch) => BATCH_KINDS.reduce((n, k) => n + (b[k]?.length ?? 0), 0);

/**
 * The statements that write `batch`, to run in one `DB.batch` with the caller's bookkeeping;
 * `counts` marks those whose changes are rows written (entity and metric upserts).
 */
export type WriteStatement = { stmt: D1PreparedStatement; counts: boolean };
export function writeStatements(d1: D1Database, owner: RowOwner, batch: NormalizedBatch): WriteStatement[] {
  // Dashboard rollups are recomputed in the same batch, so they always equal the rows written.
  const rollups = rollupStatements(d1, owner, batch);
  const stmts: WriteStatement[] = rollups.before.map((stmt) => ({ stmt, counts: false }));
  const o = [owner.integrationId, owner.orgId, owner.workspaceId, owner.source];
  const upsert = (spec: Spec, rows: unknown[] | undefined) => {
    for (const part of chunks(rows ?? [])) {
      const json = JSON.stringify(part.map((r) => spec.cols.map((c) => c.value(r))));
      stmts.push({ stmt: d1.prepare(sqlOf(spec)).bind(...o, json), counts: true });
    }
  };
  upsert(specs.metrics, batch.metrics);
  for (const part of chunks(batch.orders ?? [])) {
    stmts.push({ stmt: d1.prepare(DELETE_LINES).bind(owner.integrationId, JSON.stringify(part.map((x) => [x.providerId, x.updatedAt]))), counts: false });
    upsert(specs.orders, part);
    const lines = part.flatMap((x) => x.lines.map((l, i) => [x.providerId, i, l.productId, l.title, l.quantity, l.totalMinor, x.updatedAt]));
    for (const lp of chunks(lines, CHUNK * 4)) {
      stmts.push({ stmt: d1.prepare(INSERT_LINES).bind(owner.integrationId, owner.orgId, owner.workspaceId, JSON.stringify(lp)), counts: false });
    }
  }
  upsert(specs.products, batch.products);
  upsert(specs.campaigns, batch.campaigns);
  upsert(specs.audiences, batch.audiences);
  upsert(specs.socialAccounts, batch.socialAccounts);
  upsert(specs.socialInsights, batch.socialInsights);
  upsert(specs.socialPosts, batch.socialPosts);
  upsert(specs.adAccounts, batch.adAccounts);
  upsert(specs.adCampaigns, batch.adCampaigns);
  upsert(specs.adSets, batch.adSets);
  upsert(specs.adInsights, batch.adInsights);
  for (const [kind, tables] of Object.entries(deleteTables)) {
    const ids = (batch.deleted ?? []).filter((d) => d.kind === kind).map((d) => d.providerId);
    if (!ids.length) continue;
    for (const table of tables) {
      const keyCol = table === "order_lines" ? "order_id" : "provider_id";
      const stmt = d1.prepare(`DELETE FROM ${table} WHERE integration_id = ?1 AND ${keyCol} IN (SELECT value FROM json_each(?2))`);
      stmts.push({ stmt: stmt.bind(owner.integrationId, JSON.stringify(ids)), counts: table !== "order_lines" });
    }
  }
  return [...stmts, ...rollups.after.map((stmt) => ({ stmt, counts: false }))];
}

/** Runs the statements (plus `extra`, atomically) and returns the rows written. */
export async function runWrites(d1: D1Database, writes: WriteStatement[], extra: D1PreparedStatement[] = []): Promise<number> {
  const results = await d1.batch([...writes.map((w) => w.stmt), ...extra]);
  return writes.reduce((n, w, i) => n + (w.counts ? (results[i]?.meta.changes ?? 0) : 0), 0);
}

/** Rows an integration holds now (the "rows" figure of the Integrations page), for ?1 = its id. */
const HELD_ROWS = ["daily_metrics", "orders", "products", "email_campaigns", "audiences", ...SOCIAL_ADS_TABLES].map((t) => `(SELECT count(*) FROM ${t} WHERE integration_id = ?1)`).join(" + ");

export async function countRows(d1: D1Database, integrationId: string): Promise<number> {
  const row = await d1.prepare(`SELECT ${HELD_ROWS} AS n`).bind(integrationId).first<{ n: number }>();
  return row?.n ?? 0;
}

/** Keeps the integration's row count current, in the same batch as the page that changed it. */
export const heldRowsStatement = (d1: D1Database, integrationId: string) =>
  d1.prepare(`UPDATE integrations SET rows_synced = ${HELD_ROWS} WHERE id = ?1`).bind(integrationId);
