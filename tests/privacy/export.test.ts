import { describe, expect, it } from "vitest";
import { unzipSync, strFromU8 } from "fflate";
import { exports } from "cloudflare:workers";
import { BASE, call, env, expectStatus, invite, inviteAndAccept, newTenant, newWorkspace, type Tenant } from "../support/harness";
import { dataRegistry } from "../../worker/db/registry";
import { exportPlan } from "../../worker/features/privacy/export/collect";
import { SYNC_MAX_ROWS } from "../../worker/features/privacy/export/build";
import { finishExport, seedAccount } from "./support";

type Export = { manifest: { tables: { table: string; count: number; included: boolean }[]; files: { path: string }[]; schemaVersion: string }; tables: Record<string, Record<string, unknown>[]>; files: { path: string; contentBase64: string }[] };

async function download(t: Tenant, path: string) {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { headers: { authorization: `Bearer ${t.token}` } }));
  expect(res.status, await res.clone().text().then((x) => x.slice(0, 300))).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

/** What D1 holds about the user, table by table, read with the registry's own links. */
async function dbRowsAbout(userId: string) {
  const out = new Map<string, number>();
  for (const t of exportPlan(userId).included) {
    const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${t.table}" WHERE ${t.cond.where}`).bind(...t.cond.params).first<{ n: number }>();
    out.set(t.table, row?.n ?? 0);
  }
  return out;
}

function assertNoneOf(other: Tenant, text: string) {
  for (const s of [other.userId, other.email.toLowerCase(), other.orgId]) expect(text, `export leaks another tenant's ${s}`).not.toContain(s);
}

describe("export (P19 access and portability): happy path", () => {
  it("P19: GET /api/privacy/export holds every registered table's rows about the user, with a manifest, and nothing of another tenant", async () => {
    const a = await newTenant({ name: "Ada" });
    const b = await newTenant({ name: "Bea" });
    await seedAccount(a);
    await seedAccount(b);

    const res = await call("GET", "/api/privacy/export", { token: a.token });
    expectStatus(res, 200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const body = res.json as Export;

    // The manifest lists every registered table, whether or not it holds anything about the user.
    expect(body.manifest.tables.map((t) => t.table).sort()).toEqual([...dataRegistry.keys()].sort());
    expect(body.manifest.schemaVersion).toMatch(/^\d{4}_/);
    const expected = await dbRowsAbout(a.userId);
    for (const [table, n] of expected) {
      expect(`${table}: ${body.tables[table]?.length}`).toBe(`${table}: ${n}`);
      expect(body.manifest.tables.find((t) => t.table === table)?.count).toBe(n);
    }
    for (const table of ["users", "sessions", "memberships", "policy_acceptances", "consents", "analytics_events", "dsr_requests", "dsr_events", "notifications", "activity_log", "invitations", "export_jobs", "dev_mailbox"]) {
      expect(expected.get(table), `${table} should hold rows about the user`).toBeGreaterThan(0);
    }
    expect(body.tables.users![0]).toMatchObject({ id: a.userId, email: a.email.toLowerCase() });
    // The attachment from R2 is in the export too.
    expect(body.files.map((f) => f.path)).toEqual([expect.stringMatching(/^files\/privacy-attachments\/requests\/.+\/proof\.txt$/)]);
    expect(atob(body.files[0]!.contentBase64)).toContain(a.email);
    assertNoneOf(b, res.text);
  });

  it("P19: credentials never leave: no password hash, token hash or refresh token in the export", async () => {
    const a = await newTenant();
    const res = await call("GET", "/api/privacy/export", { token: a.token });
    const hash = await env.DB.prepare(`SELECT password_hash AS h FROM users WHERE id = ?`).bind(a.userId).first<{ h: string }>();
    const tokens = await env.DB.prepare(`SELECT token_hash AS h FROM refresh_tokens WHERE user_id = ?`).bind(a.userId).all<{ h: string }>();
    expect(res.text).not.toContain(hash!.h);
    for (const t of tokens.results) expect(res.text).not.toContain(t.h);
    expect(JSON.stringify((res.json as Export).tables)).not.toMatch(/password_hash|token_hash|ciphertext/);
    expect((res.json as Export).tables.refresh_tokens).toBeUndefined();
  });

  it("P19: ?format=zip is a ZIP of a manifest, one JSON file per table and the user's files", async () => {
    const a = await newTenant({ name: "Zed" });
    const b = await newTenant({ name: "Other" });
    await seedAccount(a);
    await seedAccount(b);
    const zip = unzipSync(await download(a, "/api/privacy/export?format=zip"));
    const names = Object.keys(zip);
    expect(names).toEqual(expect.arrayContaining(["README.txt", "manifest.json", "tables/users.json", "tables/activity_log.json"]));
    expect(names.some((n) => n.startsWith("files/privacy-attachments/") && n.endsWith("proof.txt"))).toBe(true);
    const manifest = JSON.parse(strFromU8(zip["manifest.json"]!));
    const expected = await dbRowsAbout(a.userId);
    for (const [table, n] of expected) {
      const rows = JSON.parse(strFromU8(zip[`tables/${table}.json`]!));
      expect(rows.length, table).toBe(n);
      expect(manifest.tables.find((t: { table: string }) => t.table === table).count).toBe(n);
    }
    assertNoneOf(b, names.map((n) => strFromU8(zip[n]!)).join("\n"));
  });
});

describe("export: what the user entered in the organization they own", () => {
  it("P19: an owner's export has their organization as entered, its workspaces and the invitations they sent; no other member's personal data either way", async () => {
    const owner = await newTenant({ kind: "business", name: "Owen" });
    const ws = await newWorkspace(owner, "Brand North");
    const pendingEmail = `pending-${Date.now()}@example.test`;
    const { invitation } = await invite(owner, { workspaceId: ws.id }, pendingEmail, "viewer");
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "admin", "Mia Member");

    const mine = await call("GET", "/api/privacy/export", { token: owner.token });
    expectStatus(mine, 200);
    const body = mine.json as Export;
    expect(body.tables.organizations).toEqual([expect.objectContaining({ id: owner.orgId, name: "Owen Org", kind: "business" })]);
    expect(body.manifest.tables.find((t) => t.table === "organizations")?.count).toBe(1);
    expect(body.tables.workspaces).toEqual([expect.objectContaining({ id: ws.id, name: "Brand North" })]);
    expect(body.tables.invitations).toEqual(expect.arrayContaining([expect.objectContaining({ id: invitation.id, email: pendingEmail, role: "viewer" })]));
    expect(mine.text).not.toContain(member.email.toLowerCase());
    expect(mine.text).not.toContain("Mia Member");

    const theirs = await call("GET", "/api/privacy/export", { token: member.token });
    expectStatus(theirs, 200);
    const other = theirs.json as Export;
    expect(other.tables.users![0]).toMatchObject({ id: member.userId, name: "Mia Member" });
    expect(other.tables.organizations ?? []).toEqual([]);
    expect(theirs.text).not.toContain(owner.email.toLowerCase());
    expect(theirs.text).not.toContain(`"Owen"`);
    expect(theirs.text).not.toContain(pendingEmail);
  });
});

describe("export: large accounts", () => {
  it("P19: an account larger than ordinary gets 202 and a background job whose progress reaches a complete ZIP", async () => {
    const a = await newTenant({ name: "Big" });
    const now = Date.now();
    const stmts = [];
    for (let i = 0; i < SYNC_MAX_ROWS + 200; i += 12) {
      const values = Array.from({ length: 12 }, () => "(?, ?, ?, 'page.view', 200, ?)").join(", ");
      stmts.push(env.DB.prepare(`INSERT INTO activity_log (id, org_id, user_id, action, status, created_at) VALUES ${values}`).bind(...Array.from({ length: 12 }, () => [crypto.randomUUID(), a.orgId, a.userId, now]).flat()));
    }
    for (let i = 0; i < stmts.length; i += 100) await env.DB.batch(stmts.slice(i, i + 100));

    const res = await call("GET", "/api/privacy/export", { token: a.token });
    expectStatus(res, 202);
    expect(res.headers.get("location")).toBe(`/api/privacy/exports/${res.json.job.id}`);
    expect(res.json.job.rowsTotal).toBeGreaterThan(SYNC_MAX_ROWS);
    const job = await finishExport(a, res.json.job.id);
    expect(job).toMatchObject({ status: "ready", percent: 100 });
    expect(job.rowsDone).toBe(res.json.job.rowsTotal);

    const zip = unzipSync(await download(a, `/api/privacy/exports/${job.id}/download`));
    const activity = JSON.parse(strFromU8(zip["tables/activity_log.json"]!));
    const expected = await dbRowsAbout(a.userId);
    expect(activity.length).toBe(expected.get("activity_log"));
    const users = JSON.parse(strFromU8(zip["tables/users.json"]!));
    expect(users[0].id).toBe(a.userId);

    const json = JSON.parse(strFromU8(await download(a, `/api/privacy/exports/${job.id}/download?format=json`)));
    expect(json.tables.activity_log.length).toBe(activity.length);
  });

  it("another user cannot see or download someone's export", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const res = await call("POST", "/api/privacy/exports", { token: a.token });
    const job = await finishExport(a, res.json.job.id);
    expectStatus(await call("GET", `/api/privacy/exports/${job.id}`, { token: b.token }), 404);
    expectStatus(await call("GET", `/api/privacy/exports/${job.id}/download`, { token: b.token }), 404);
  });
});

describe("export: signed download links", () => {
  it("P19: a finished export downloads through a short-lived signed link the browser can follow; it dies with the session and is no access token", async () => {
    const a = await newTenant();
    const started = await call("POST", "/api/privacy/exports", { token: a.token });
    const job = await finishExport(a, started.json.job.id);
    const link = await call("POST", `/api/privacy/exports/${job.id}/link`, { token: a.token });
    expectStatus(link, 200);
    expect(link.json.url).toMatch(/^\/api\/privacy\/download\//);
    const res = await exports.default.fetch(new Request(`${BASE}${link.json.url}`));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="qweb-export-.*\.zip"/);
    const zip = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(zip)).toContain("tables/users.json");

    const token = link.json.url.split("/").pop();
    expectStatus(await call("GET", "/api/me", { token }), 401);
    expectStatus(await call("GET", `/api/privacy/download/${a.token}`), 401);
    expectStatus(await call("POST", "/api/auth/logout-all", { token: a.token }), 204);
    expectStatus(await call("GET", link.json.url), 401);
  });
});
