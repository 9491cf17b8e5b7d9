// Load test of the API's read path from the bench process with autocannon. Two floors:
// GET /api/health (routing, security headers, no auth, no database) and GET /api/policy/versions
// (the same plus ONE public D1 read). Against them, the two reads every page makes (GET /api/me,
// GET /api/workspaces: JWT verify + session check + D1 queries). Target: each read's p50 within
// 1.2× the one-read floor at every concurrency, so authentication costs no extra round trip.
// Then P11: a logged-out session's token is refused on the very next request.
import os from "node:os";
import autocannon from "autocannon";

const CONCURRENCY = [1, 10, 50];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const TARGET_RATIO = 1.2;

function load(url, connections, duration, headers = {}) {
  return autocannon({ url, connections, duration, headers, pipelining: 1 });
}

/** p50 with sub-millisecond resolution (autocannon's histogram counts whole ms), one request at a time. */
async function preciseP50(url, headers, n = 300) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)];
}

/**
 * Waits until the app answers health checks steadily: right after `npm start` seeds the demo, its
 * integrations sync in the background and can hold the (single-threaded) local runtime for seconds.
 */
async function waitQuiet(url, maxMs = 45_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < maxMs) {
    const times = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await (await fetch(url)).arrayBuffer();
      times.push(performance.now() - s);
    }
    if (Math.max(...times) < 60) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return Date.now() - t0;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export default async function apiBench({ baseUrl, seeded }) {
  const load1 = () => os.loadavg()[0].toFixed(2);
  console.log(`machine: ${os.cpus().length} CPU(s), load average ${load1()} at start`);
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "owner@demo.qweb.test", password: seeded?.password ?? "qweb-demo-password" }),
  });
  if (!login.ok) throw new Error(`demo owner login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = await login.json();
  const auth = { authorization: `Bearer ${accessToken}` };

  const targets = [
    { name: "GET /api/health", path: "/api/health", headers: {} },
    { name: "GET /api/policy/versions", path: "/api/policy/versions", headers: {} },
    { name: "GET /api/me", path: "/api/me", headers: auth },
    { name: "GET /api/workspaces", path: "/api/workspaces", headers: auth },
  ];
  const waited = await waitQuiet(`${baseUrl}/api/health`);
  console.log(`waited ${(waited / 1000).toFixed(1)} s for background work (demo integration syncs) to settle`);
  for (const t of targets) await load(baseUrl + t.path, 10, 1, t.headers); // warm-up: JIT, D1 pages, connections
  // Each concurrency level runs the floor and the reads back to back, so that they share the
  // machine's conditions (it is shared, and its load moves by the minute).
  const rows = [];
  for (const c of CONCURRENCY) {
    for (const t of targets) {
      let r = await load(baseUrl + t.path, c, SECONDS, t.headers);
      let note = "";
      if (r.requests.total === 0) {
        // Nothing completed: the runtime was held by background work. Measure again once it is quiet.
        await waitQuiet(`${baseUrl}/api/health`);
        r = await load(baseUrl + t.path, c, SECONDS, t.headers);
        note = "retried after a stall";
      }
      rows.push({ note, target: t.name, c, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, rps: r.requests.average, total: r.requests.total, errors: r.errors + r.timeouts + r.non2xx });
    }
  }
  rows.sort((a, b) => targets.findIndex((t) => t.name === a.target) - targets.findIndex((t) => t.name === b.target) || a.c - b.c);

  console.log(`${pad("endpoint", 22)}${lpad("conc", 5)}${lpad("req/s", 9)}${lpad("p50 ms", 9)}${lpad("p99 ms", 9)}${lpad("mean ms", 9)}${lpad("requests", 10)}${lpad("errors", 8)}`);
  for (const r of rows) {
    console.log(`${pad(r.target, 22)}${lpad(r.c, 5)}${lpad(r.rps.toFixed(0), 9)}${lpad(r.p50, 9)}${lpad(r.p99, 9)}${lpad(r.mean.toFixed(2), 9)}${lpad(r.total, 10)}${lpad(r.errors, 8)}${r.note ? `  (${r.note})` : ""}`);
  }

  console.log(`\np50 relative to the one-D1-read floor (GET /api/policy/versions), target ≤ ${TARGET_RATIO}×; and to GET /api/health:`);
  const over = [];
  for (const c of CONCURRENCY) {
    const floor = rows.find((r) => r.target === targets[1].name && r.c === c);
    const health = rows.find((r) => r.target === targets[0].name && r.c === c);
    for (const t of targets.slice(2)) {
      const r = rows.find((x) => x.target === t.name && x.c === c);
      if (!floor.total || !r.total) {
        console.log(`  ${pad(t.name, 20)} c=${pad(c, 3)} n/a (no response completed within ${SECONDS} s: the machine stalled)`);
        continue;
      }
      // A whole-millisecond p50 under 2 ms makes a ratio meaningless; the mean keeps the fraction.
      const basis = floor.p50 >= 2 ? "p50" : "mean";
      const ratio = basis === "p50" ? r.p50 / floor.p50 : r.mean / floor.mean;
      if (ratio > TARGET_RATIO) over.push(`${t.name} at ${c}`);
      const fmt = (x) => (basis === "p50" ? x.p50 : x.mean.toFixed(2));
      const vsHealth = health?.total ? (basis === "p50" ? r.p50 / Math.max(health.p50, 1) : r.mean / health.mean) : NaN;
      console.log(`  ${pad(t.name, 20)} c=${pad(c, 3)} ${ratio.toFixed(2)}× (${basis} ${fmt(r)} vs ${fmt(floor)} ms)${ratio > TARGET_RATIO ? "  over target" : ""}; ${vsHealth.toFixed(2)}× /api/health`);
    }
  }

  const precise = {};
  for (const t of targets) precise[t.name] = await preciseP50(baseUrl + t.path, t.headers);
  const floorP = precise[targets[1].name];
  console.log("\nsequential p50 at sub-ms resolution (300 requests each, fetch from Node):");
  for (const t of targets) {
    const ratio = precise[t.name] / floorP;
    console.log(`  ${pad(t.name, 20)} ${precise[t.name].toFixed(2)} ms${t === targets[1] ? " (one-read floor)" : `  ${ratio.toFixed(2)}×`}`);
  }

  // P11: revocation stays immediate with the read path this fast (no cached session).
  const logout = await fetch(`${baseUrl}/api/auth/logout`, { method: "POST", headers: { ...auth, origin: new URL(baseUrl).origin.replace("127.0.0.1", "localhost") } });
  await logout.arrayBuffer();
  const after = await fetch(`${baseUrl}/api/me`, { headers: auth });
  await after.arrayBuffer();
  console.log(`\nP11: after logout (${logout.status}) the same access token gets ${after.status} on the next request${after.status === 401 ? "" : "  ← must be 401"}`);
  if (after.status !== 401) throw new Error("a revoked session's token was still accepted");

  const errors = rows.reduce((s, r) => s + r.errors, 0);
  console.log(`\nload average ${load1()} at the end (a load above the CPU count means other work competed for the CPUs)`);
  console.log(`errors: ${errors}${errors ? "  ← must be 0" : ""}; reads over the ${TARGET_RATIO}× target: ${over.length ? over.join(", ") : "none"}`);
  if (errors) throw new Error(`${errors} failed request(s) under load`);
}
