// Dashboard benchmark: one workspace with 5,000,000 metric rollup rows (three years of six sources:
// totals plus products, channels, landing pages and campaigns per day) and the raw orders behind its
// commerce figures. Measures the dashboard API (overview and each area page, two years with the
// previous two years as comparison) against the one-D1-read floor route (/api/policy/versions, sampled
// alternately with each endpoint so that both see the same machine load) and
// against a hand-written SQL query over the raw rows for the same figures (node:sqlite on the same
// database file). Rows are written straight into the local D1 file before the Worker starts.
// Size: DASHBOARD_ROWS (default 5,000,000), e.g. `DASHBOARD_ROWS=400000 npm run bench -- dashboard`.
// Seeding takes minutes, so the seeded (migrated, not yet demo-seeded) database is kept in
// DASHBOARD_CACHE (default <tmpdir>/qweb-dash-bench-cache) per size and copied for each run; the
// migrations added since are applied to the copy. DASHBOARD_RESEED=1 seeds afresh; DASHBOARD_CACHE=off
// keeps nothing. Other options: DASHBOARD_ORDERS_PER_DAY (150), DASHBOARD_SAMPLES (40 per endpoint).
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
const DAY = 86_400_000;
const SOURCES = [
  ["shopify", ["revenue_gross", "refunds", "orders", "products_sold"], "product", ["products_sold", "product_revenue"]],
  ["woocommerce", ["revenue_gross", "refunds", "orders", "products_sold"], "product", ["products_sold", "product_revenue"]],
  ["ga4", ["sessions", "users", "new_users", "conversions", "analytics_revenue"], "channel", ["sessions", "users", "conversions"]],
  ["ga4", ["sessions", "users", "new_users", "conversions", "analytics_revenue"], "landing_page", ["sessions", "users", "conversions"]],
  ["klaviyo", ["email_sends", "email_delivered", "email_opens", "email_clicks", "email_bounces", "email_revenue"], "campaign", ["email_sends", "email_opens"]],
  ["meta", ["ad_spend", "ad_impressions", "ad_clicks", "ad_conversions", "ad_conversion_value"], "campaign", ["ad_spend", "ad_clicks"]],
];
const SEED_VERSION = 1; // bump when populate() changes, so cached seeds are made again
const CACHE = process.env.DASHBOARD_CACHE ?? path.join(os.tmpdir(), "qweb-dash-bench-cache");
const MONEY = new Set(["revenue_gross", "refunds", "analytics_revenue", "email_revenue", "ad_spend", "ad_conversion_value", "product_revenue"]);

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));
const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function populate(db, end) {
  const now = Date.now();
  const org = "bench-dash-org";
  const ws = "bench-dash-ws";
  // The month triggers would upsert once per inserted row: set them aside while seeding and file
  // the months in one statement (the migration's own backfill), then put them back.
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
  let rows = 0;
  for (let d = 0; d < DAYS; d++) {
    const day = iso(end - (DAYS - 1 - d) * DAY);
    SOURCES.forEach(([provider, totals, dim, dimMetrics], i) => {
      for (const m of totals) { ins.run(ints[i], org, ws, provider, m, "", "", null, day, MONEY.has(m) ? "USD" : "", 100 + ((d * 7 + i) % 50)); rows++; }
      // Email list sizes (a snapshot metric: the latest value per list), five lists a day.
      if (provider === "klaviyo") for (let k = 0; k < 5; k++) { ins.run(ints[i], org, ws, provider, "list_members", "list", `list-${k}`, `List ${k}`, day, "", 1000 + d + k); rows++; }
      for (let k = 0; k < perSource; k++) for (const m of dimMetrics) { ins.run(ints[i], org, ws, provider, m, dim, `${dim}-${k}`, `${dim} ${k}`, day, MONEY.has(m) ? "USD" : "", 1 + ((d + k) % 9)); rows++; }
    });
  }
  // The raw orders behind the commerce figures (one shop), for the hand-written SQL baseline.
  const order = db.prepare("INSERT INTO orders (integration_id, provider_id, org_id, workspace_id, source, number, status, currency, total_minor, subtotal_minor, discount_minor, refunded_minor, created_at, updated_at) VALUES (?, ?, ?, ?, 'shopify', ?, 'paid', 'USD', ?, ?, 0, ?, ?, ?)");
  let orders = 0;
  for (let d = 0; d < DAYS; d++) {
    const t0 = end - (DAYS - 1 - d) * DAY;
    for (let k = 0; k < ORDERS_PER_DAY; k++) { const t = t0 + Math.floor((k * DAY) / ORDERS_PER_DAY); order.run(ints[0], `o${orders}`, org, ws, String(orders), 2000 + (k % 300), 2000, k % 17 === 0 ? 500 : 0, t, t); orders++; }
  }
  db.exec(`INSERT INTO metric_rollups_monthly (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, label, month, currency, value)
    SELECT integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, max(label), substr(day, 1, 7), currency, sum(value)
    FROM metric_rollups WHERE metric NOT IN ('list_members', 'social_followers') GROUP BY integration_id, metric, dimension, dimension_value, substr(day, 1, 7), currency`);
  for (const t of triggers) db.exec(t.sql);
  db.exec("COMMIT");
  return { ws, org, rows, orders };
}

async function freePort() {
  for (;;) {
    const port = await new Promise((resolve) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
    const ok = await new Promise((resolve) => { const s = net.createServer().once("error", () => resolve(false)).listen(port + 1, "127.0.0.1", () => s.close(() => resolve(true))); });
    if (ok && port < 65000) return port;
  }
}

/** p50s of two requests sampled alternately, n times each. */
async function pairedP50(a, b, n = N) {
  const ta = [];
  const tb = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now(); await a(); ta.push(performance.now() - t);
    t = performance.now(); await b(); tb.push(performance.now() - t);
  }
  const mid = (xs) => xs.sort((x, y) => x - y)[Math.floor(n / 2)];
  return [mid(ta), mid(tb)];
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

async function p50(fn, n = N) {
  const times = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await fn(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
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
  console.log(`seeded ${seeded.rows.toLocaleString()} rollup rows + ${seeded.orders.toLocaleString()} raw orders in ${((performance.now() - t) / 1000).toFixed(1)} s`);
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
    const targets = [
      ...["overview", "commerce", "analytics", "email", "ads"].map((area) => [`area=${area.padEnd(9)} 2 years + comparison`, `/api/workspaces/${seeded.ws}/dashboard?area=${area}&from=${from}&to=${to}&compare=previous`]),
      ["breakdown products 2 years          ", `/api/workspaces/${seeded.ws}/dashboard/breakdown?dimension=product&metrics=products_sold,product_revenue&from=${from}&to=${to}`],
    ];
    const results = [];
    for (const [name, path_] of targets) {
      await get(path_)();
      await get(floorPath)();
      const [floorMs, ms] = await pairedP50(get(floorPath), get(path_));
      results.push({ name, path: path_, ms, floorMs, load: os.loadavg()[0].toFixed(2) });
    }

    // The same commerce figures (two years + comparison, per week) by hand over raw orders, and from rollups.
    const ro = new DatabaseSync(file, { readOnly: true });
    const lo = end - 1459 * DAY;
    const rawSql = ro.prepare("SELECT date(created_at / 1000, 'unixepoch', '-6 days', 'weekday 1') AS w, currency, count(*), sum(total_minor), sum(refunded_minor) FROM orders WHERE workspace_id = ? AND status NOT IN ('cancelled','failed','voided','trash') AND created_at >= ? AND created_at < ? GROUP BY w, currency");
    const raw = await p50(async () => rawSql.all(seeded.ws, lo, end + DAY), 10);
    const rollSql = ro.prepare("SELECT metric, currency, date(day, '-6 days', 'weekday 1') AS w, sum(value) FROM metric_rollups WHERE workspace_id = ? AND dimension = '' AND metric IN ('revenue_gross','refunds','orders') AND day BETWEEN ? AND ? GROUP BY metric, currency, w");
    const roll = await p50(async () => rollSql.all(seeded.ws, iso(lo), to), 10);
    ro.close();
    const f = (ms) => `${ms.toFixed(1)} ms`;
    console.log(`machine: ${os.cpus().length} CPU(s), load average ${load()} after the samples; waited ${(waited / 1000).toFixed(1)} s for the demo syncs to settle`);
    console.log(`${N} samples each, alternating with the floor GET ${floorPath} (one D1 read); ratio = p50 / that floor's p50 (target 2x):`);
    for (const r of results) console.log(`GET dashboard ${r.name}: p50 ${f(r.ms).padStart(9)}, floor ${f(r.floorMs).padStart(8)} = ${(r.ms / r.floorMs).toFixed(2)}x  (1-min load ${r.load})`);
    console.log(`commerce figures in SQL (node:sqlite, same file): raw orders ${f(raw)}, rollups ${f(roll)} -> rollups ${(raw / roll).toFixed(1)}x faster (target: rollups win)`);
    console.log(`dashboard API commerce p50 / raw SQL: ${(results.find((r) => r.name.startsWith("area=commerce")).ms / raw).toFixed(2)}x (target <= 1x)`);
  } finally {
    await stack?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
