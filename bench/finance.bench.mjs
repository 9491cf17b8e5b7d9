// Finance benchmark: 100,000 time entries across 50 clients (one month, written straight into the
// local D1 file so the API is measured on invoicing, not on logging), then every client's unbilled
// month turned into a draft invoice through the real API (claim, rate cascade, lines, links, in
// D1 batches), and every invoice's PDF rendered in the Worker (pdf-lib). Prints entries/s and the
// time per invoice PDF, and checks that every entry was billed exactly once.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { startStack } from "../scripts/local-stack.mjs";

const ENTRIES = Number(process.env.BENCH_FINANCE_ENTRIES ?? 100_000);
const CLIENTS = 50;
const MONTH = { from: "2026-10-01", to: "2026-10-31", start: Date.parse("2026-10-01T00:00:00Z") };
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? files(path.join(dir, f)) : [path.join(dir, f)]));
const fmt = (n) => Math.round(n).toLocaleString("en-US");

async function http(base, method, p, { token, body } = {}) {
  const res = await fetch(`${base}${p}`, { method, headers: { ...(body ? { "content-type": "application/json" } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const buf = Buffer.from(await res.arrayBuffer());
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${buf.toString("utf8").slice(0, 300)}`);
  return { status: res.status, buf, json: () => JSON.parse(buf.toString("utf8")) };
}

/** 50 client workspaces with a project each and ENTRIES finished, billable entries of the agency's people. */
function populate(file, seeded) {
  const db = new DatabaseSync(file);
  const now = Date.now();
  const users = db.prepare("SELECT user_id AS id FROM memberships WHERE org_id = ?").all(seeded.orgId).map((r) => r.id);
  db.exec("BEGIN");
  const ws = db.prepare("INSERT INTO workspaces (id, org_id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
  const pr = db.prepare("INSERT INTO projects (id, org_id, workspace_id, name, created_at) VALUES (?, ?, ?, ?, ?)");
  const te = db.prepare("INSERT INTO time_entries (id, org_id, workspace_id, project_id, user_id, started_at, ended_at, time_zone, billable, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'Europe/London', 1, 'Bench work', ?, ?)");
  const clients = Array.from({ length: CLIENTS }, (_, i) => ({ id: randomUUID(), project: randomUUID(), name: `Bench client ${i + 1}` }));
  for (const c of clients) {
    ws.run(c.id, seeded.orgId, c.name, now, now);
    pr.run(c.project, seeded.orgId, c.id, `${c.name} retainer`, now);
  }
  for (let i = 0; i < ENTRIES; i++) {
    const c = clients[i % CLIENTS];
    // Spread over the month's days, 09:00–18:00 local, 15–120 minutes each.
    const start = MONTH.start + (Math.floor(i / CLIENTS) % 30) * 86_400_000 + (9 + (i % 9)) * 3_600_000 + ((i * 7) % 60) * 60_000;
    te.run(randomUUID(), seeded.orgId, c.id, i % 3 ? c.project : null, users[i % users.length], start, start + (15 + (i % 8) * 15) * 60_000, now, now);
  }
  db.exec("COMMIT");
  db.close();
  return clients;
}

export default async function financeBench() {
  // The shared stack serves the other benchmarks; this one needs rows written before its Worker starts.
  const persistTo = mkdtempSync(path.join(os.tmpdir(), "qweb-finance-bench-"));
  const port = Number(process.env.BENCH_FINANCE_PORT ?? 8821);
  // A fresh agency signed up through the API (the demo seed's integration syncs would only slow this down).
  let stack = await startStack({ port, sandboxPort: port + 1, persistTo, quiet: true, build: false, seed: false });
  try {
    const version = (await http(stack.url, "GET", "/api/policy")).json().version;
    const password = "finance bench password 1";
    const signup = (await http(stack.url, "POST", "/api/auth/signup", { body: { email: "bench@finance.test", password, name: "Bench Owner", organizationName: "Bench Agency", organizationKind: "agency", birthDate: "1985-01-01", acceptPolicyVersion: version } })).json();
    const demo = { orgId: signup.organization.id, password, email: "bench@finance.test" };
    await stack.close();
    const file = files(persistTo).find((f) => f.includes(`${path.sep}d1${path.sep}`) && f.endsWith(".sqlite") && path.basename(f) !== "metadata.sqlite");
    const t0 = Date.now();
    const clients = populate(file, demo);
    console.log(`wrote ${fmt(ENTRIES)} time entries for ${CLIENTS} clients into local D1 in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    stack = await startStack({ port, sandboxPort: port + 1, persistTo, quiet: true, build: false, seed: false });
    console.log(`restarted on the populated database in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const base = stack.url;
    const login = (await http(base, "POST", "/api/auth/login", { body: { email: demo.email, password: demo.password } })).json();
    const token = login.accessToken;
    const fin = (p) => `/api/orgs/${demo.orgId}/finance${p}`;

    const made = [];
    const t1 = Date.now();
    let slowest = 0;
    for (const c of clients) {
      const s = Date.now();
      const inv = (await http(base, "POST", fin("/invoices/from-unbilled"), { token, body: { workspaceId: c.id, from: MONTH.from, to: MONTH.to, groupBy: "person", taxRates: [{ name: "VAT", bp: 2000 }] } })).json();
      slowest = Math.max(slowest, Date.now() - s);
      made.push(inv);
      if (made.length % 10 === 0) console.log(`  ${made.length}/${CLIENTS} invoices (${((Date.now() - t1) / 1000).toFixed(1)} s)`);
    }
    const invoiceMs = Date.now() - t1;
    const t2 = Date.now();
    let bytes = 0;
    for (const inv of made) bytes += (await http(base, "GET", fin(`/invoices/${inv.id}/pdf`), { token })).buf.length;
    const pdfMs = Date.now() - t2;

    const db = new DatabaseSync(file, { readOnly: true });
    const { unbilled } = db.prepare("SELECT count(*) AS unbilled FROM time_entries WHERE org_id = ? AND invoice_id IS NULL AND workspace_id IN (SELECT id FROM workspaces WHERE name LIKE 'Bench client %')").get(demo.orgId);
    const { orphans } = db.prepare("SELECT count(*) AS orphans FROM time_entries t LEFT JOIN invoice_lines l ON l.id = t.invoice_line_id WHERE t.org_id = ? AND t.invoice_id IS NOT NULL AND (l.invoice_id IS NULL OR l.invoice_id <> t.invoice_id)").get(demo.orgId);
    db.close();
    const hours = made.reduce((s, i) => s + i.lines.reduce((x, l) => x + l.quantity, 0), 0);
    console.log(`invoiced ${fmt(ENTRIES)} entries (${fmt(hours)} h) into ${made.length} invoices in ${(invoiceMs / 1000).toFixed(2)} s = ${fmt(ENTRIES / (invoiceMs / 1000))} entries/s`);
    console.log(`per invoice (${fmt(ENTRIES / CLIENTS)} entries): mean ${fmt(invoiceMs / made.length)} ms, slowest ${fmt(slowest)} ms`);
    console.log(`invoice PDFs: ${made.length} rendered in the Worker and stored in R2 in ${(pdfMs / 1000).toFixed(2)} s = ${(pdfMs / made.length).toFixed(1)} ms per PDF (mean ${fmt(bytes / made.length)} bytes)`);
    console.log(`billed exactly once: ${unbilled === 0 && orphans === 0 ? "yes" : "NO"} (unbilled left ${unbilled}, entries not on their invoice's lines ${orphans})`);
    if (unbilled !== 0 || orphans !== 0) throw new Error("some entries were not billed exactly once");
  } finally {
    await stack.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
