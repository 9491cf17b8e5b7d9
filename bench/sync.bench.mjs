// Sync benchmark: a fresh workspace connects a WooCommerce store with 100,000 sandbox orders and a
// GA4 property with a year of daily rows, and syncs both from scratch through the real connectors,
// the WorkspaceSync Durable Object and D1 (one sync at a time, as in production). Prints the rows/s
// through the connector and its ratio to a plain D1 batch insert of the same rows, timed inside the
// Worker, both as multi-row VALUES and as the engine's json_each insert. Target: at least half.
import os from "node:os";

const ORDERS = Number(process.env.BENCH_SYNC_ORDERS ?? 100_000);
const TARGET = 0.5;
const TIMEOUT_MS = 240_000;

export async function http(baseUrl, method, path, { token, body } = {}) {
  let res;
  for (let attempt = 1; ; attempt++) {
    res = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: "manual",
      headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // wrangler dev reloads the worker when a source file changes (others may be editing): ask again.
    if (res.status !== 503 || attempt === 3 || !/restarted mid-request/.test(await res.clone().text())) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, json, headers: res.headers };
}

/** OAuth the way the browser does it, with the sandbox's prompt=none standing in for Approve. */
export async function connectOAuth(baseUrl, token, workspaceId, provider, fields, loginHint) {
  const { json } = await http(baseUrl, "POST", `/api/workspaces/${workspaceId}/integrations/${provider}/connect`, { token, body: { fields } });
  const url = new URL(json.authorizeUrl);
  url.searchParams.set("prompt", "none");
  if (loginHint) url.searchParams.set("login_hint", loginHint);
  const consent = await fetch(url, { redirect: "manual" });
  await consent.text();
  const back = new URL(consent.headers.get("location"));
  const callback = await http(baseUrl, "GET", `/api/integrations/oauth/callback${back.search}`);
  const landed = new URL(callback.headers.get("location"));
  if (landed.searchParams.get("error")) throw new Error(`${provider}: ${landed.searchParams.get("error")}`);
}

const fmt = (n) => Math.round(n).toLocaleString("en-US");

export default async function syncBench({ baseUrl, seeded }) {
  const { json: login } = await http(baseUrl, "POST", "/api/auth/login", { body: { email: "owner@demo.qweb.test", password: seeded?.password ?? "qweb-demo-password" } });
  const token = login.accessToken;
  const { json: ws } = await http(baseUrl, "POST", "/api/workspaces", { token, body: { orgId: seeded.orgId, name: `Sync bench ${Date.now().toString(36)}` } });
  const tag = Date.now().toString(36);

  const t0 = Date.now();
  await http(baseUrl, "POST", `/api/workspaces/${ws.id}/integrations/woocommerce/connect`, {
    token,
    body: { fields: { storeUrl: `https://bench-${ORDERS}-${tag}.example`, consumerKey: "ck_sandbox_bench", consumerSecret: "cs_sandbox_bench" } },
  });
  await connectOAuth(baseUrl, token, ws.id, "ga4", {}, `bench-${tag}@example.test`);
  console.log(`connected WooCommerce (${fmt(ORDERS)} orders) and GA4 (a year of daily rows) in ${((Date.now() - t0) / 1000).toFixed(1)} s; syncing…`);

  let list;
  for (let last = Date.now(); ; ) {
    ({ json: list } = await http(baseUrl, "GET", `/api/workspaces/${ws.id}/integrations`, { token }));
    const done = list.integrations.every((i) => i.lastSyncAt && i.status === "active" && !i.queued);
    const failed = list.integrations.find((i) => i.status === "error" || i.status === "needs_reconnect");
    if (failed) throw new Error(`${failed.provider}: ${failed.lastError}`);
    if (done) break;
    if (Date.now() - t0 > TIMEOUT_MS) throw new Error("sync did not finish in time");
    if (Date.now() - last >= 5000) {
      console.log(`  ${list.integrations.map((i) => `${i.provider}: ${i.progress ? `${fmt(i.progress.rowsWritten)} rows` : i.lastSyncAt ? "done" : "queued"}`).join(", ")}`);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }

  const runs = [];
  for (const i of list.integrations) {
    const { json } = await http(baseUrl, "GET", `/api/integrations/${i.id}/runs`, { token });
    runs.push({ provider: i.provider, ...json.runs.at(-1) });
  }
  const started = Math.min(...runs.map((r) => r.startedAt));
  const finished = Math.max(...runs.map((r) => r.finishedAt));
  const seconds = (finished - started) / 1000;
  const ids = list.integrations.map((i) => i.id);

  const raws = [];
  for (const method of ["values", "json"]) {
    const { json } = await http(baseUrl, "POST", `/api/dev/sync-bench/${ws.id}/raw-insert`, { token, body: { integrationIds: ids, method } });
    raws.push(json);
  }
  // Every row the sync wrote (orders, their lines, products, daily metrics) is a row of the baseline.
  const rows = raws[0].rows;
  const rate = rows / seconds;
  const [values, json] = raws;

  for (const r of runs) console.log(`  ${r.provider.padEnd(12)} ${fmt(r.rowsWritten).padStart(9)} rows written, ${fmt(r.pages).padStart(5)} pages, ${(r.durationMs / 1000).toFixed(1).padStart(6)} s, ${r.retries} retries`);
  console.log(`  sync through the connectors: ${fmt(rows)} rows (incl. order lines) in ${seconds.toFixed(1)} s = ${fmt(rate)} rows/s`);
  console.log(`  raw D1 batch insert, multi-row VALUES (≤ 100 bound parameters a statement): ${fmt(values.rows)} rows in ${(values.insertMs / 1000).toFixed(1)} s = ${fmt(values.rowsPerSecond)} rows/s`);
  console.log(`  raw D1 batch insert, INSERT … SELECT FROM json_each (the engine's own write path): ${fmt(json.rows)} rows in ${(json.insertMs / 1000).toFixed(1)} s = ${fmt(json.rowsPerSecond)} rows/s`);
  for (const [name, base] of [["raw batch insert (VALUES)", values], ["json_each insert", json]]) {
    const ratio = rate / base.rowsPerSecond;
    console.log(`  ratio sync / ${name}: ${ratio.toFixed(2)} (target ≥ ${TARGET}: ${ratio >= TARGET ? "met" : "NOT met"})`);
  }
  console.log(`  machine: load average ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} on ${os.cpus().length} CPUs (the sandbox, workerd and D1 share them)`);
  await http(baseUrl, "DELETE", `/api/workspaces/${ws.id}`, { token }).catch(() => {});
}
