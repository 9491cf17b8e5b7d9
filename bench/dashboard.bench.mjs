// Dashboard benchmark: one workspace with 5,000,000 metric rollup rows (three years of six sources:
// totals plus products, channels, landing pages and campaigns per day, and posts) and the raw rows
// behind them (orders and their lines, GA4's daily report rows, ad insights per campaign and day,
// email campaigns, posts). Measures the dashboard API (overview and each area page, two years with
// the previous two years as comparison; the two-year product breakdown; the drill-downs of a
// product, an ad and an email campaign, a landing page and a post) against the one-D1-read floor
// route (/api/policy/versions) and against a hand-written SQL query over the raw rows for the same
// figures (node:sqlite on the same database file), the three sampled in turn so that they see the
// same machine load. Rows are written straight into the local D1 file before the Worker starts.
// Size: DASHBOARD_ROWS (default 5,000,000), e.g. `DASHBOARD_ROWS=400000 npm run bench -- dashboard`.
// Seeding takes minutes, so the seeded (migrated, not yet demo-seeded) database is kept in
// DASHBOARD_CACHE (default <tmpdir>/qweb-dash-bench-cache) per size and copied for each run; the
// migrations added since are applied to the copy. DASHBOARD_RESEED=1 seeds afresh; DASHBOARD_CACHE=off
// keeps nothing. Other options: DASHBOARD_ORDERS_PER_DAY (150), DASHBOARD_SAMPLES (40 per endpoint),
// DASHBOARD_RAW_SAMPLES (10 of the raw SQL, in the first rounds),
// DASHBOARD_BENCH_PORT (the stack's port, the sandbox's is the next one; a free one by default).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { DatabaseSync } from "node:sqlite";
import { migrate, root, startStack } from "../scripts/local-stack.mjs";

const ROWS = Number(process.env.DASHBOARD_ROWS ?? 5_000_000);
const DAYS = 3 * 365;
const ORDERS_PER_DAY = Number(process.env.DASHBOARD_ORDERS_PER_DAY ?? 150);
const N = Number(process.env.DASHBOARD_SAMPLES ?? 40);
/** The raw SQL takes up to seconds a run: sampled in the first rounds only. */
const RAW_N = Number(process.env.DASHBOARD_RAW_SAMPLES ?? 10);
const DAY = 86_400_000;
const SOURCES = [
  ["shopify", ["revenue_gross", "refunds", "orders", "products_sold"], "product", ["products_sold", "product_revenue"]],
  ["woocommerce", ["revenue_gross", "refunds", "orders", "products_sold"], "product", ["products_sold", "product_revenue"]],
  ["ga4", ["sessions", "users", "new_users", "conversions", "analytics_revenue"], "channel", ["sessions", "users", "conversions"]],
  ["ga4", ["sessions", "users", "new_users", "conversions", "analytics_revenue"], "landing_page", ["sessions", "users", "conversions"]],
  ["klaviyo", ["email_sends", "email_delivered", "email_opens", "email_clicks", "email_bounces", "email_revenue"], "campaign", ["email_sends", "email_opens"]],
  ["meta", ["ad_spend", "ad_impressions", "ad_clicks", "ad_conversions", "ad_conversion_value"], "ad_campaign", ["ad_spend", "ad_clicks"]],
];
/** Posts published a day (Meta): one rollup row per post and metric on its day, and the raw post. */
const POSTS_PER_DAY = 5;
/** GA4 reports its own daily rows (daily_metrics, catalogue key → GA4 metric name). */
const GA4_METRIC = { analytics_revenue: "revenue" };
const SEED_VERSION = 2; // bump when populate() changes, so cached seeds are made again
const CACHE = process.env.DASHBOARD_CACHE ?? path.join(os.tmpdir(), "qweb-dash-bench-cache");
const MONEY = new Set(["revenue_gross", "refunds", "analytics_revenue", "email_revenue", "ad_spend", "ad_conversion_value", "product_revenue"]);

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function populate(db, end) {
  const now = Date.now();
  const org = "bench-dash-org";
  const ws = "bench-dash-ws";
  // The month and year triggers would upsert once per inserted row: set them aside while seeding
  // and file the months and years in one statement each (the migrations' own backfills), then put
  // them back.
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'metric_rollups'").all();
  db.exec("BEGIN");
  for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
  db.prepare("INSERT INTO organizations (id, name, kind, created_at, updated_at) VALUES (?, 'Bench Agency', 'agency', ?, ?)").run(org, now, now);
  db.prepare("INSERT INTO workspaces (id, org_id, name, created_at, updated_at) VALUES (?, ?, 'Bench Client', ?, ?)").run(ws, org, now, now);
  const ints = SOURCES.map(([provider], i) => {
    const id = `bench-int-${i}`;
    db.prepare("INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at, last_sync_at) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)").run(id, org, ws, provider, provider, id, now, now, now);
    return id;
  });
  const totalsPerDay = SOURCES.reduce((a, s) => a + s[1].length, 0);
  const dimRowsPerDay = Math.max(0, Math.floor(ROWS / DAYS) - totalsPerDay);
  const perSource = Math.max(1, Math.floor(dimRowsPerDay / SOURCES.reduce((a, s) => a + s[3].length, 0)));
  const ins = db.prepare("INSERT OR IGNORE INTO metric_rollups (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, day, currency, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  // The raw rows the hand-written SQL baselines read, of the volume the rollups stand for: GA4's own
  // daily report rows (totals and landing pages; its channel rows would only slow the seeding
  // further), one ad-insights row per campaign and day,
  // one email campaign per campaign value and day, the posts, and below the orders with their lines.
  const dm = db.prepare("INSERT INTO daily_metrics (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, date, value, currency) VALUES (?, ?, ?, 'ga4', ?, ?, ?, ?, ?, ?)");
  const adRow = db.prepare("INSERT INTO ad_insights_daily (integration_id, org_id, workspace_id, source, campaign_id, date, spend_minor, impressions, clicks, reach, conversions, conversion_value_minor, currency) VALUES (?, ?, ?, 'meta', ?, ?, ?, ?, ?, ?, ?, ?, 'USD')");
  const camp = db.prepare("INSERT INTO email_campaigns (integration_id, provider_id, org_id, workspace_id, source, name, kind, status, sent_at, recipients, delivered, opens, clicks, bounces, unsubscribes, revenue_minor, currency, updated_at) VALUES (?, ?, ?, ?, 'klaviyo', ?, 'campaign', 'sent', ?, ?, ?, ?, ?, ?, 1, ?, 'USD', ?)");
  const post = db.prepare("INSERT INTO social_posts (integration_id, provider_id, org_id, workspace_id, source, account_id, message, permalink, published_at, reach, views, likes, comments, shares, engagement, updated_at) VALUES (?, ?, ?, ?, 'meta', 'page-1', 'A post', NULL, ?, ?, ?, ?, 2, 1, ?, ?)");
  let rows = 0;
  let raw = 0;
  for (let d = 0; d < DAYS; d++) {
    const t0 = end - (DAYS - 1 - d) * DAY;
    const day = iso(t0);
    SOURCES.forEach(([provider, totals, dim, dimMetrics], i) => {
      for (const m of totals) {
        const v = 100 + ((d * 7 + i) % 50);
        ins.run(ints[i], org, ws, provider, m, "", "", null, day, MONEY.has(m) ? "USD" : "", v); rows++;
        if (provider === "ga4") { dm.run(ints[i], org, ws, GA4_METRIC[m] ?? m, "", "", day, v, MONEY.has(m) ? "USD" : null); raw++; }
      }
      // Email list sizes (a snapshot metric: the latest value per list), five lists a day.
      if (provider === "klaviyo") for (let k = 0; k < 5; k++) { ins.run(ints[i], org, ws, provider, "list_members", "list", `list-${k}`, `List ${k}`, day, "", 1000 + d + k); rows++; }
      for (let k = 0; k < perSource; k++) {
        const v = 1 + ((d + k) % 9);
        for (const m of dimMetrics) {
          ins.run(ints[i], org, ws, provider, m, dim, `${dim}-${k}`, `${dim} ${k}`, day, MONEY.has(m) ? "USD" : "", v); rows++;
          if (provider === "ga4" && dim === "landing_page") { dm.run(ints[i], org, ws, GA4_METRIC[m] ?? m, dim, `${dim}-${k}`, day, v, null); raw++; }
        }
        if (provider === "meta") { adRow.run(ints[i], org, ws, `${dim}-${k}`, day, v, 40 * v, v, 30 * v, v / 4, 3 * v); raw++; }
        if (provider === "klaviyo") { const t = t0 + k * 1000; camp.run(ints[i], `c${d}-${k}`, org, ws, `Campaign ${k} of ${day}`, t, 100 * v, 98 * v, 30 * v, 4 * v, 2 * v, 500 * v, t); raw++; }
      }
    });
    for (let k = 0; k < POSTS_PER_DAY; k++) {
      const id = `post-${d}-${k}`;
      const t = t0 + k * 3_600_000;
      for (const [m, v] of [["posts", 1], ["post_reach", 200 + k], ["post_engagement", 20 + k]]) { ins.run(ints[5], org, ws, "meta", m, "post", id, `Post ${d}/${k}`, day, "", v); rows++; }
      post.run(ints[5], id, org, ws, t, 200 + k, 300 + k, 10 + k, 20 + k, t); raw++;
    }
  }
  // The raw orders and lines behind the commerce figures (one shop), for the hand-written SQL baselines.
  const order = db.prepare("INSERT INTO orders (integration_id, provider_id, org_id, workspace_id, source, number, status, currency, total_minor, subtotal_minor, discount_minor, refunded_minor, created_at, updated_at) VALUES (?, ?, ?, ?, 'shopify', ?, 'paid', 'USD', ?, ?, 0, ?, ?, ?)");
  const line = db.prepare("INSERT INTO order_lines (integration_id, order_id, line_no, org_id, workspace_id, product_id, title, quantity, total_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  let orders = 0;
  for (let d = 0; d < DAYS; d++) {
    const t0 = end - (DAYS - 1 - d) * DAY;
    for (let k = 0; k < ORDERS_PER_DAY; k++) {
      const t = t0 + Math.floor((k * DAY) / ORDERS_PER_DAY);
      order.run(ints[0], `o${orders}`, org, ws, String(orders), 2000 + (k % 300), 2000, k % 17 === 0 ? 500 : 0, t, t);
      for (let l = 0; l < 2; l++) { const p = (orders * 7 + l * 13) % perSource; line.run(ints[0], `o${orders}`, l, org, ws, `product-${p}`, `product ${p}`, 1 + (k % 3), 1000 + (k % 150)); raw++; }
      orders++;
    }
  }
  // (The months count their daily rows from migration 0022 on.)
  const days = db.prepare("SELECT 1 FROM pragma_table_info('metric_rollups_monthly') WHERE name = 'days'").get() ? [", days", ", count(*)"] : ["", ""];
  db.exec(`INSERT INTO metric_rollups_monthly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, month, currency, value${days[0]})
    SELECT integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, max(label), substr(day, 1, 7), currency, sum(value)${days[1]}
    FROM metric_rollups WHERE metric NOT IN ('list_members', 'social_followers') GROUP BY integration_id, metric, dimension, dimension_value, substr(day, 1, 7), currency`);
  // (and the years theirs from migration 0027 on, from the months).
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'metric_rollups_yearly'").get()) {
    db.exec(`INSERT INTO metric_rollups_yearly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, year, currency, value, days)
      SELECT integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, max(label), substr(month, 1, 4), currency, sum(value), sum(days)
      FROM metric_rollups_monthly GROUP BY integration_id, metric, dimension, dimension_value, substr(month, 1, 4), currency`);
  }
  for (const t of triggers) db.exec(t.sql);
  db.exec("COMMIT");
  return { ws, org, rows, orders, raw };
}

async function freePort() {
  for (;;) {
    const port = await new Promise((resolve) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
    const ok = await new Promise((resolve) => { const s = net.createServer().once("error", () => resolve(false)).listen(port + 1, "127.0.0.1", () => s.close(() => resolve(true))); });
    if (ok && port < 65000) return port;
  }
}

/** p50s of a few functions sampled in turn (a, b, c, a, b, c…), n times each; those after the first `full` only in the first `few` rounds. */
async function alternatingP50(fns, n = N, full = 2, few = RAW_N) {
  const times = fns.map(() => []);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fns.length; j++) {
      if (j >= full && i >= few) continue;
      const t = performance.now(); await fns[j](); times[j].push(performance.now() - t);
    }
  }
  return times.map((xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]);
}

/** Waits until health checks answer steadily (at most `maxMs`); returns how long it waited. */
async function waitQuiet(url, maxMs = 60_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const times = [];
    for (let i = 0; i < 10; i++) { const s = performance.now(); await (await fetch(url)).arrayBuffer(); times.push(performance.now() - s); }
    if (Math.max(...times) < 100) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return Date.now() - t0;
}

const d1File = (dir) => files(dir).find((f) => f.includes(`${path.sep}d1${path.sep}`) && f.endsWith(".sqlite") && path.basename(f) !== "metadata.sqlite");
const migrationNames = () => readdirSync(path.join(root, "migrations")).filter((f) => f.endsWith(".sql")).sort();

/**
 * A migrated database seeded with the benchmark's rows in `persistTo`: copied from the cache when
 * it holds one of this size whose migrations are a prefix of today's (the newer ones are applied
 * to the copy), seeded afresh (and cached) otherwise.
 */
function seededDatabase(persistTo) {
  const key = `v${SEED_VERSION}-${ROWS}-${ORDERS_PER_DAY}`;
  const dir = path.join(CACHE, key);
  const metaFile = path.join(dir, "seed.json");
  const useCache = CACHE !== "off";
  const now = migrationNames();
  let t = performance.now();
  if (useCache && !process.env.DASHBOARD_RESEED && existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8"));
    if (meta.migrations.every((m, i) => now[i] === m)) {
      cpSync(path.join(dir, "state"), persistTo, { recursive: true });
      migrate(persistTo, { quiet: true });
      if (meta.migrations.length !== now.length) {
        const db = new DatabaseSync(d1File(persistTo));
        db.exec("ANALYZE");
        db.close();
      }
      console.log(`seeded database copied from ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s (${now.length - meta.migrations.length} newer migration(s) applied; DASHBOARD_RESEED=1 seeds afresh)`);
      return { file: d1File(persistTo), ...meta.seeded, end: meta.end };
    }
  }
  migrate(persistTo, { quiet: true });
  const file = d1File(persistTo);
  const end = Date.parse(`${iso(Date.now() - DAY)}T00:00:00Z`);
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL");
  const seeded = populate(db, end);
  db.exec("ANALYZE");
  db.exec("PRAGMA journal_mode = DELETE"); // one file to copy
  db.close();
  console.log(`seeded ${seeded.rows.toLocaleString()} rollup rows + ${seeded.orders.toLocaleString()} raw orders and ${seeded.raw.toLocaleString()} other raw rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  if (useCache) {
    t = performance.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(persistTo, path.join(dir, "state"), { recursive: true });
    writeFileSync(metaFile, JSON.stringify({ migrations: now, seeded, end }));
    console.log(`cached the seeded database in ${dir} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  return { file, ...seeded, end };
}

export default async function dashboardBench() {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "qweb-dash-bench-"));
  const port = Number(process.env.DASHBOARD_BENCH_PORT ?? (await freePort()));
  let stack;
  try {
    const seeded = seededDatabase(persistTo);
    const { file, end } = seeded;

    stack = await startStack({ port, sandboxPort: port + 1, persistTo, quiet: true, build: false, seed: true });
    const login = await fetch(`${stack.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "owner@demo.qweb.test", password: stack.seeded?.password ?? "qweb-demo-password" }) });
    const { accessToken } = await login.json();
    const rw = new DatabaseSync(file, { timeout: 60_000 }); // the Worker may still be writing the demo seed
    const userId = rw.prepare("SELECT id FROM users WHERE email = 'owner@demo.qweb.test'").get().id;
    rw.prepare("INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES ('bench-m', ?, ?, 'owner', ?)").run(seeded.org, userId, Date.now());
    rw.close();
    const headers = { authorization: `Bearer ${accessToken}` };
    const to = iso(end);
    const from = iso(end - 729 * DAY);
    const get = (p) => async () => { const r = await fetch(`${stack.url}${p}`, { headers }); await r.arrayBuffer(); if (!r.ok) throw new Error(`${p} answered ${r.status}`); };
    // Right after the demo seed its integrations sync in the background and hold the (shared)
    // runtime: wait until health checks answer steadily. Then each endpoint is sampled in turn
    // with the floor (floor, endpoint, floor, endpoint…), so both share the machine's load of that
    // moment (it is shared, and its load moves by the minute); the ratio is to that floor.
    const waited = await waitQuiet(`${stack.url}/api/health`);
    const floorPath = "/api/policy/versions";
    // The hand-written SQL over the raw rows for each page's figures (node:sqlite on the same file,
    // read-only, with the indexes the raw tables have): both periods, per month as the API buckets
    // two years, in the workspace's time zone (UTC here).
    const ro = new DatabaseSync(file, { readOnly: true });
    const lo = end - 1459 * DAY; // the comparison period's first day
    const mid = end - 729 * DAY; // the current period's first day
    const hi = end + DAY;
    const sale = "status NOT IN ('cancelled','failed','voided','trash')";
    const orderSql = ro.prepare(`SELECT created_at < ? AS p, strftime('%Y-%m', created_at / 1000, 'unixepoch') AS m, currency, count(*), sum(total_minor), sum(refunded_minor) FROM orders WHERE workspace_id = ? AND ${sale} AND created_at >= ? AND created_at < ? GROUP BY p, m, currency`);
    const unitsSql = ro.prepare(`SELECT o.created_at < ? AS p, strftime('%Y-%m', o.created_at / 1000, 'unixepoch') AS m, sum(l.quantity) FROM orders o JOIN order_lines l ON l.integration_id = o.integration_id AND l.order_id = o.provider_id WHERE o.workspace_id = ? AND o.${sale} AND o.created_at >= ? AND o.created_at < ? GROUP BY p, m`);
    const gaSql = ro.prepare("SELECT date < ? AS p, substr(date, 1, 7) AS m, metric, currency, sum(value) FROM daily_metrics WHERE workspace_id = ? AND metric IN ('sessions', 'users', 'new_users', 'conversions', 'revenue') AND dimension = '' AND date BETWEEN ? AND ? GROUP BY p, m, metric, currency");
    const emailSql = ro.prepare("SELECT sent_at < ? AS p, strftime('%Y-%m', sent_at / 1000, 'unixepoch') AS m, currency, sum(recipients), sum(delivered), sum(opens), sum(clicks), sum(bounces), sum(revenue_minor) FROM email_campaigns WHERE workspace_id = ? AND sent_at >= ? AND sent_at < ? GROUP BY p, m, currency");
    const adsSql = ro.prepare("SELECT date < ? AS p, substr(date, 1, 7) AS m, currency, sum(spend_minor), sum(impressions), sum(clicks), sum(conversions), sum(conversion_value_minor) FROM ad_insights_daily WHERE workspace_id = ? AND date BETWEEN ? AND ? GROUP BY p, m, currency");
    const topSql = ro.prepare(`WITH s AS (SELECT l.product_id AS dv, max(l.title) AS label, sum(l.quantity) AS units, sum(l.total_minor) AS revenue FROM orders o JOIN order_lines l ON l.integration_id = o.integration_id AND l.order_id = o.provider_id WHERE o.workspace_id = ? AND o.${sale} AND o.created_at >= ? AND o.created_at < ? GROUP BY l.product_id),
      r AS (SELECT *, row_number() OVER (ORDER BY units DESC, dv) AS n, count(*) OVER () AS total FROM s)
      SELECT n, total, dv, label, units, revenue FROM r WHERE n <= 100 UNION ALL SELECT 0, max(total), NULL, NULL, sum(units), sum(revenue) FROM r WHERE n > 100`);
    const productDaysSql = ro.prepare(`SELECT date(o.created_at / 1000, 'unixepoch') AS d, sum(l.quantity), sum(l.total_minor) FROM orders o JOIN order_lines l ON l.integration_id = o.integration_id AND l.order_id = o.provider_id WHERE o.workspace_id = ? AND o.${sale} AND o.created_at >= ? AND o.created_at < ? AND l.product_id = ? GROUP BY d`);
    const campaignDaysSql = ro.prepare("SELECT date, sum(spend_minor), sum(clicks) FROM ad_insights_daily WHERE workspace_id = ? AND campaign_id = ? AND date BETWEEN ? AND ? GROUP BY date");
    const pageDaysSql = ro.prepare("SELECT date, metric, sum(value) FROM daily_metrics WHERE workspace_id = ? AND metric IN ('sessions', 'users', 'conversions') AND dimension = 'landing_page' AND dimension_value = ? AND date BETWEEN ? AND ? GROUP BY date, metric");
    const postSql = ro.prepare("SELECT date(published_at / 1000, 'unixepoch'), reach, engagement FROM social_posts WHERE workspace_id = ? AND provider_id = ?");
    const ws = seeded.ws;
    const raw = {
      commerce: () => { orderSql.all(mid, ws, lo, hi); unitsSql.all(mid, ws, lo, hi); },
      analytics: () => gaSql.all(from, ws, iso(lo), to),
      email: () => emailSql.all(mid, ws, lo, hi),
      ads: () => adsSql.all(from, ws, iso(lo), to),
    };
    const post = `post-${Math.floor(DAYS / 2)}-0`;
    const dash = `/api/workspaces/${ws}/dashboard`;
    const range = `from=${from}&to=${to}`;
    /** [name, API path, the raw SQL for the same figures, what the raw rows are] */
    const targets = [
      ["overview  2 years + comparison", `${dash}?area=overview&${range}&compare=previous`, () => { raw.commerce(); raw.analytics(); raw.email(); raw.ads(); }, "orders + lines, GA4 days, campaigns, ad days (no raw social insights seeded)"],
      ["commerce  2 years + comparison", `${dash}?area=commerce&${range}&compare=previous`, raw.commerce, "orders + order lines"],
      ["analytics 2 years + comparison", `${dash}?area=analytics&${range}&compare=previous`, raw.analytics, "GA4's daily report rows"],
      ["email     2 years + comparison", `${dash}?area=email&${range}&compare=previous`, raw.email, "email campaigns (list growth has no raw history)"],
      ["ads       2 years + comparison", `${dash}?area=ads&${range}&compare=previous`, raw.ads, "ad insights per campaign and day"],
      ["breakdown products 2 years     ", `${dash}/breakdown?dimension=product&metrics=products_sold,product_revenue&${range}`, () => topSql.all(ws, mid, hi), "orders + order lines"],
      ["drill product 2 years          ", `${dash}/drill?dimension=product&metrics=products_sold,product_revenue&value=product-0&${range}`, () => productDaysSql.all(ws, mid, hi, "product-0"), "orders + order lines"],
      ["drill ad campaign 2 years      ", `${dash}/drill?dimension=ad_campaign&metrics=ad_spend,ad_clicks&value=ad_campaign-0&${range}`, () => campaignDaysSql.all(ws, "ad_campaign-0", from, to), "ad insights per campaign and day"],
      ["drill email campaign 2 years   ", `${dash}/drill?dimension=campaign&metrics=email_sends,email_opens&value=campaign-0&${range}`, null, "(no raw equivalent: a campaign value sends every day in this seed)"],
      ["drill landing page 2 years     ", `${dash}/drill?dimension=landing_page&metrics=sessions,users,conversions&value=landing_page-0&${range}`, () => pageDaysSql.all(ws, "landing_page-0", from, to), "GA4's daily report rows"],
      ["drill post 2 years             ", `${dash}/drill?dimension=post&metrics=posts,post_reach,post_engagement&value=${post}&${range}`, () => postSql.all(ws, post), "social posts"],
    ];
    const results = [];
    for (const [name, path_, rawFn, rawNote] of targets) {
      await get(path_)();
      await get(floorPath)();
      rawFn?.();
      // floor, endpoint, raw SQL in turn, so that all three see the machine's load of that moment
      const [floorMs, ms, rawMs] = await alternatingP50([get(floorPath), get(path_), ...(rawFn ? [async () => rawFn()] : [])]);
      results.push({ name, ms, floorMs, rawMs, rawNote, load: os.loadavg()[0].toFixed(2) });
    }

    // The commerce figures in SQL alone: raw orders against the rollups (the rollups must win).
    const rollSql = ro.prepare("SELECT day < ? AS p, metric, currency, substr(day, 1, 7) AS m, sum(value) FROM metric_rollups WHERE workspace_id = ? AND dimension = '' AND metric IN ('revenue_gross','refunds','orders') AND day BETWEEN ? AND ? GROUP BY p, metric, currency, m");
    const [rawOrders, roll] = await alternatingP50([async () => orderSql.all(mid, ws, lo, hi), async () => rollSql.all(from, ws, iso(lo), to)], RAW_N);
    ro.close();
    const f = (ms) => `${ms.toFixed(1)} ms`;
    console.log(`machine: ${os.cpus().length} CPU(s), load average ${load()} after the samples; waited ${(waited / 1000).toFixed(1)} s for the demo syncs to settle`);
    console.log(`${N} samples each, in turn with the floor GET ${floorPath} (one D1 read) and (in the first ${RAW_N} rounds) the hand-written SQL over the raw rows (node:sqlite, same file)`);
    console.log(`targets: API p50 / floor p50 <= 2x, API p50 / raw SQL p50 <= 1x`);
    for (const r of results) {
      const vsRaw = r.rawMs === undefined ? "raw SQL n/a" : `raw SQL ${f(r.rawMs).padStart(9)} -> ${(r.ms / r.rawMs).toFixed(2)}x of raw`;
      console.log(`GET ${r.name}: p50 ${f(r.ms).padStart(9)}, floor ${f(r.floorMs).padStart(8)} = ${(r.ms / r.floorMs).toFixed(2)}x floor; ${vsRaw}  (1-min load ${r.load}; raw: ${r.rawNote})`);
    }
    console.log(`commerce figures in SQL alone: raw orders ${f(rawOrders)}, rollups ${f(roll)} -> rollups ${(rawOrders / roll).toFixed(1)}x faster (target: rollups win)`);
  } finally {
    await stack?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
