// Purge benchmark: an organization with 1,000,000 rows across its tables, scheduled for erasure,
// removed through the real cron path (wrangler dev's local D1/R2/DO, the Worker's scheduled()
// handler triggered at /cdn-cgi/handler/scheduled with explicit times), against a raw SQLite
// DELETE of the same rows. Prints rows/s, the cron runs needed, the largest batch's time and the
// ratio to raw SQLite. A second organization's rows must all survive.
//
// The rows are written straight into the local D1 file before the Worker starts (inserting a
// million rows through the API would measure the API, not the purge).
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import { DatabaseSync } from "node:sqlite";
import { runnerImport } from "vite";
import { migrate, root, startStack } from "../scripts/local-stack.mjs";

const TOTAL = Number(process.env.PURGE_ROWS ?? 1_000_000);
const DAY = 86_400_000;
// The cron expressions the Worker's scheduled() dispatches on, read from where they are declared once.
const { module: schedule } = await runnerImport(path.join(root, "worker/lib/schedule.ts"), { configFile: false, logLevel: "error" });
const { DAILY, FREQUENT } = schedule;
// Rows per table, as shares of TOTAL: usage logs and synced shop/analytics data dominate real orgs.
const MIX = { activity_log: 0.3, daily_metrics: 0.3, orders: 0.15, order_lines: 0.15, products: 0.05, sync_runs: 0.025, webhook_events: 0.025 };
const INTEGRATIONS = 20;

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));

/** Inserts one organization's rows (and a bystander organization's) into a SQLite database. */
function populate(db, { orgId, purgeAfter, rows, tag }) {
  const now = Date.parse("2027-01-01T00:00:00Z");
  const ins = (sql) => db.prepare(sql);
  db.exec("BEGIN");
  ins("INSERT INTO organizations (id, name, kind, created_at, updated_at, deleted_at, purge_after) VALUES (?, ?, 'agency', ?, ?, ?, ?)").run(orgId, `${tag} org`, now, now, purgeAfter ? now : null, purgeAfter);
  const workspaces = Array.from({ length: 5 }, (_, i) => `${tag}-ws-${i}`);
  for (const w of workspaces) ins("INSERT INTO workspaces (id, org_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(w, orgId, w, now, now);
  const integrations = Array.from({ length: INTEGRATIONS }, (_, i) => `${tag}-int-${i}`);
  integrations.forEach((id, i) =>
    ins("INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at) VALUES (?, ?, ?, 'shopify', 'active', 'Shop', ?, ?, ?)").run(id, orgId, workspaces[i % workspaces.length], id, now, now),
  );
  const count = (t) => Math.round(rows * MIX[t]);
  const intOf = (i) => integrations[i % INTEGRATIONS];
  const wsOf = (i) => workspaces[(i % INTEGRATIONS) % workspaces.length];
  let s = ins("INSERT INTO activity_log (id, org_id, user_id, action, status, ip, created_at) VALUES (?, ?, NULL, 'workspace.update', 200, '203.0.113.9', ?)");
  for (let i = 0; i < count("activity_log"); i++) s.run(`${tag}-a-${i}`, orgId, now - (i % 300) * 60_000);
  s = ins("INSERT INTO daily_metrics (integration_id, org_id, workspace_id, source, metric, dimension, dimension_value, date, value) VALUES (?, ?, ?, 'shopify', ?, '', '', ?, ?)");
  for (let i = 0; i < count("daily_metrics"); i++) s.run(intOf(i), orgId, wsOf(i), `m${Math.floor(i / INTEGRATIONS) % 50}`, `d${Math.floor(i / INTEGRATIONS / 50)}`, i);
  s = ins("INSERT INTO orders (integration_id, provider_id, org_id, workspace_id, source, number, status, currency, total_minor, subtotal_minor, discount_minor, refunded_minor, created_at, updated_at) VALUES (?, ?, ?, ?, 'shopify', ?, 'paid', 'EUR', 1999, 1999, 0, 0, ?, ?)");
  for (let i = 0; i < count("orders"); i++) s.run(intOf(i), `o${i}`, orgId, wsOf(i), String(1000 + i), now, now);
  s = ins("INSERT INTO order_lines (integration_id, order_id, line_no, org_id, workspace_id, product_id, title, quantity, total_minor) VALUES (?, ?, 1, ?, ?, 'p1', 'Sourdough', 1, 1999)");
  for (let i = 0; i < count("order_lines"); i++) s.run(intOf(i), `o${i}`, orgId, wsOf(i));
  s = ins("INSERT INTO products (integration_id, provider_id, org_id, workspace_id, source, title, price_minor, currency, updated_at) VALUES (?, ?, ?, ?, 'shopify', 'Bread', 499, 'EUR', ?)");
  for (let i = 0; i < count("products"); i++) s.run(intOf(i), `p${i}`, orgId, wsOf(i), now);
  s = ins("INSERT INTO sync_runs (id, org_id, workspace_id, integration_id, reason, status, started_at) VALUES (?, ?, ?, ?, 'scheduled', 'succeeded', ?)");
  for (let i = 0; i < count("sync_runs"); i++) s.run(`${tag}-s-${i}`, orgId, wsOf(i), intOf(i), now);
  s = ins("INSERT INTO webhook_events (integration_id, event_id, org_id, workspace_id, provider, topic, received_at) VALUES (?, ?, ?, ?, 'shopify', 'orders/create', ?)");
  for (let i = 0; i < count("webhook_events"); i++) s.run(intOf(i), `e${i}`, orgId, wsOf(i), now);
  db.exec("COMMIT");
  return Object.keys(MIX).reduce((a, t) => a + count(t), 0) + workspaces.length + integrations.length + 1;
}

const orgRows = (db, orgId) =>
  ["activity_log", "daily_metrics", "orders", "order_lines", "products", "sync_runs", "webhook_events", "integrations", "workspaces"]
    .map((t) => db.prepare(`SELECT COUNT(*) AS n FROM "${t}" WHERE org_id = ?`).get(orgId).n)
    .reduce((a, b) => a + b, 0) + db.prepare("SELECT COUNT(*) AS n FROM organizations WHERE id = ?").get(orgId).n;

/** The same rows deleted with plain SQLite statements (a WAL file on disk, like local D1), children first, in one transaction. */
function rawBaseline(dir) {
  const db = new DatabaseSync(path.join(dir, "raw.sqlite"));
  db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON");
  const migrations = path.join(root, "migrations");
  for (const f of readdirSync(migrations).filter((f) => f.endsWith(".sql")).sort()) db.exec(readFileSync(path.join(migrations, f), "utf8").replaceAll("--> statement-breakpoint", ""));
  const rows = populate(db, { orgId: "raw-org", purgeAfter: 1, rows: TOTAL, tag: "raw" });
  const t0 = performance.now();
  db.exec("BEGIN");
  for (const t of ["daily_metrics", "orders", "order_lines", "products", "sync_runs", "webhook_events", "activity_log", "integrations", "workspaces"]) db.prepare(`DELETE FROM "${t}" WHERE org_id = ?`).run("raw-org");
  db.prepare("DELETE FROM organizations WHERE id = ?").run("raw-org");
  db.exec("COMMIT");
  const ms = performance.now() - t0;
  db.close();
  return { rows, ms };
}

/** Two free consecutive loopback ports (the app and its sandbox), so a busy machine's other stacks are never hit. */
async function freePorts() {
  for (;;) {
    const port = await new Promise((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    const next = await new Promise((resolve) => {
      const srv = net.createServer().once("error", () => resolve(false)).listen(port + 1, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (next && port < 65000) return port;
  }
}

export default async function purgeBench() {
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "qweb-purge-bench-"));
  const port = Number(process.env.PURGE_BENCH_PORT ?? (await freePorts()));
  let stack;
  try {
    migrate(persistTo, { quiet: true });
    const file = files(persistTo).find((f) => f.includes(`${path.sep}d1${path.sep}`) && f.endsWith(".sqlite") && path.basename(f) !== "metadata.sqlite");
    if (!file) throw new Error("no local D1 database after migrating");
    const scheduled = Date.parse("2027-02-01T03:00:00Z");
    let t = performance.now();
    const db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = WAL");
    const rows = populate(db, { orgId: "bench-org", purgeAfter: scheduled - DAY, rows: TOTAL, tag: "gone" });
    const bystander = populate(db, { orgId: "bystander-org", purgeAfter: null, rows: 20_000, tag: "kept" });
    db.close();
    console.log(`seeded ${rows.toLocaleString()} rows of the organization to erase (+${bystander.toLocaleString()} of a bystander) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    stack = await startStack({ port, sandboxPort: port + 1, persistTo, quiet: true, build: false, seed: false });
    const trigger = async (cron, time) => {
      const res = await fetch(`${stack.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}&time=${time}`);
      await res.text();
      if (!res.ok) throw new Error(`scheduled trigger answered ${res.status}`);
    };
    const read = () => new DatabaseSync(file, { readOnly: true });
    // The trigger may answer before scheduled() returns: a run is over once its reports are written.
    const runAt = async (at) => {
      for (const until = Date.now() + Number(process.env.PURGE_RUN_TIMEOUT ?? 300_000); Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
        const r = read();
        try {
          const row = r.prepare("SELECT COUNT(*) AS n, MIN(complete) AS complete, MAX(max_batch_ms) AS maxBatch, SUM(statements) AS statements FROM purge_reports WHERE scheduled_at = ?").get(at);
          if (row.n > 0) return row;
        } finally {
          r.close();
        }
      }
      throw new Error(`no purge report for the run at ${new Date(at).toISOString()}\n${stack.logs().slice(-3000)}`);
    };

    let runs = 0;
    let maxBatch = 0;
    let statements = 0;
    const runTimes = [];
    t = performance.now();
    let time = scheduled;
    for (let cron = DAILY; ; cron = FREQUENT, time += 15 * 60_000) {
      const r0 = performance.now();
      await trigger(cron, time);
      const run = await runAt(time);
      runTimes.push(performance.now() - r0);
      runs++;
      maxBatch = Math.max(maxBatch, run.maxBatch ?? 0);
      statements += run.statements ?? 0;
      if (run.complete === 1) break;
      if (runs > 50) {
        const r = read();
        const errors = r.prepare("SELECT rule, error FROM purge_reports WHERE complete = 0 ORDER BY created_at DESC LIMIT 5").all();
        r.close();
        throw new Error(`the purge did not finish in 50 runs: ${JSON.stringify(errors)}`);
      }
    }
    const ms = performance.now() - t;

    const check = read();
    const left = orgRows(check, "bench-org");
    const kept = orgRows(check, "bystander-org");
    check.close();
    if (left !== 0) throw new Error(`${left} rows of the erased organization remain`);
    if (kept !== bystander) throw new Error(`the bystander organization lost ${bystander - kept} rows`);

    const raw = rawBaseline(persistTo);
    const fmt = (n) => Math.round(n).toLocaleString();
    console.log(`cron path: ${fmt(rows)} rows in ${(ms / 1000).toFixed(1)} s = ${fmt(rows / (ms / 1000))} rows/s`);
    console.log(`cron runs needed: ${runs} (1 daily + ${runs - 1} continuation${runs === 2 ? "" : "s"} on the 15-minute trigger); ${fmt(statements)} statements; per run ${runTimes.map((x) => `${(x / 1000).toFixed(1)} s`).join(", ")}`);
    console.log(`largest batch: ${maxBatch} ms (one DELETE statement; D1 serves nothing else meanwhile)`);
    console.log(`raw SQLite (node:sqlite, WAL file, one transaction): ${fmt(raw.rows)} rows in ${(raw.ms / 1000).toFixed(2)} s = ${fmt(raw.rows / (raw.ms / 1000))} rows/s`);
    console.log(`ratio cron path / raw DELETE: ${(ms / raw.ms).toFixed(1)}x  · bystander organization intact (${fmt(kept)} rows)`);
  } finally {
    await stack?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
