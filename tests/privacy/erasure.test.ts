import { describe, expect, it } from "vitest";
import { runInDurableObject } from "cloudflare:test";
import { call, env, expectStatus, newTenant, newWorkspace, PASSWORD, type Tenant } from "../support/harness";
import { daily, tablesMentioning, DAY } from "../retention/support";
import { seedAccount, signIn } from "./support";
import { dataRegistry } from "../../worker/db/registry";

/**
 * Every row that mentions the tenant in the tables kept for the account's lifetime, as text: what
 * must not change for bystanders. (Tables with clocks of their own, like sessions or the dev
 * mailbox, legitimately lose old rows when the test's cron runs a month ahead.)
 */
async function footprint(t: Tenant) {
  const lifetime = [...dataRegistry].filter(([, d]) => ["owner-lifetime", "platform"].includes(d.retention.rule) || ("column" in d.retention && d.retention.column === "purge_after"));
  const rows: string[] = [];
  for (const [name] of lifetime) {
    const all = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    for (const r of all.results) {
      const s = JSON.stringify(r);
      if (s.includes(t.userId) || s.includes(t.orgId)) rows.push(`${name}: ${s}`);
    }
  }
  return rows.sort();
}

async function r2Keys(prefix: string) {
  return (await env.FILES.list({ prefix })).objects.map((o) => o.key);
}

async function exportObjectKeys(t: Tenant) {
  return runInDurableObject(env.PRIVACY_EXPORT.getByName(`export:${t.userId}`), async (_obj, state) => [...(await state.storage.list()).keys()]);
}

async function deleteAccount(t: Tenant, password = PASSWORD) {
  return call("DELETE", "/api/me", { token: t.token, body: { password } });
}

describe("erasure (P13, P19): happy path", () => {
  it("P13, P26: an account its user deletes (at any time) is signed out and blocked at once; at day 29 its data remains; after the day-30 run nothing of it is left in D1, R2 or Durable Objects, and nothing of anyone else changed", async () => {
    const a = await newTenant({ name: "Gone" });
    const b = await newTenant({ name: "Stays" });
    await newWorkspace(a, "A client");
    await seedAccount(a);
    await seedAccount(b);
    const bBefore = await footprint(b);
    const bKeys = await r2Keys(`privacy/${b.userId}/`);
    expect(await r2Keys(`privacy/${a.userId}/`)).toHaveLength(1);
    expect(await exportObjectKeys(a)).toContain("last");

    const res = await deleteAccount(a);
    expectStatus(res, 202);
    const deletedAt = res.json.deletedAt as number;
    expect(res.json.purgeAfter).toBeLessThanOrEqual(deletedAt + 30 * DAY);
    expect(res.json.purgeAfter).toBeGreaterThan(deletedAt + 29 * DAY);
    expect(res.json.organizations).toEqual([{ id: a.orgId, name: "Gone Org" }]);

    // Signed out everywhere and blocked: the access token, the refresh cookie and the password all stop working.
    expectStatus(await call("GET", "/api/me", { token: a.token }), 401);
    expectStatus(await call("POST", "/api/auth/refresh", { headers: { cookie: a.refreshCookie } }), 401);
    const login = await call("POST", "/api/auth/login", { body: { email: a.email, password: PASSWORD } });
    expectStatus(login, 403);
    expect(login.json.error.details).toMatchObject({ reason: "account-deleted", restorable: true });

    await daily(deletedAt + 29 * DAY);
    expect(await tablesMentioning(a.userId)).toEqual(expect.arrayContaining([expect.stringMatching(/^users /), expect.stringMatching(/^activity_log /), expect.stringMatching(/^consents /)]));
    expect(await r2Keys(`privacy/${a.userId}/`)).toHaveLength(1);
    expect(await exportObjectKeys(a)).toContain("last");

    await daily(deletedAt + 30 * DAY);
    expect(await tablesMentioning(a.userId)).toEqual([]);
    expect(await tablesMentioning(a.email.toLowerCase())).toEqual([]);
    expect(await tablesMentioning(a.orgId)).toEqual([]);
    expect(await r2Keys(`privacy/${a.userId}/`)).toEqual([]);
    expect(await r2Keys(`exports/${a.userId}/`)).toEqual([]);
    expect(await exportObjectKeys(a)).toEqual([]);

    // The erasure request itself stays on record, completed, with nothing that identifies the person.
    const { results } = await env.DB.prepare(`SELECT * FROM dsr_requests WHERE kind = 'erasure' AND user_id IS NULL AND status = 'completed'`).all<Record<string, unknown>>();
    expect(results.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.email === null && r.details === null)).toBe(true);

    expect(await footprint(b)).toEqual(bBefore);
    expect(await r2Keys(`privacy/${b.userId}/`)).toEqual(bKeys);
    expect(await exportObjectKeys(b)).toContain("last");
    expectStatus(await call("GET", "/api/me", { token: await signIn(b) }), 200);
  });

  it("P13: the owner can cancel within the grace period; the account then survives the day-30 run", async () => {
    const a = await newTenant();
    const res = await deleteAccount(a);
    expectStatus(res, 202);
    const restore = await call("POST", "/api/privacy/restore", { body: { email: a.email, password: PASSWORD } });
    expectStatus(restore, 200);
    const login = await call("POST", "/api/auth/login", { body: { email: a.email, password: PASSWORD } });
    expectStatus(login, 200);
    await daily(res.json.deletedAt + 30 * DAY);
    const me = await call("GET", "/api/me", { token: login.json.accessToken });
    expectStatus(me, 200);
    const requests = await call("GET", "/api/privacy/requests", { token: login.json.accessToken });
    expect(requests.json.requests.find((r: { kind: string }) => r.kind === "erasure")).toMatchObject({ status: "cancelled" });
    expectStatus(await call("GET", `/api/orgs/${a.orgId}`, { token: login.json.accessToken }), 200);
  });

  it("P13: an organization deleted by its owner is closed to its members at once and erased after 30 days; its members' accounts stay", async () => {
    const owner = await newTenant({ name: "Owner" });
    const ws = await newWorkspace(owner, "Client X");
    const other = await newTenant({ name: "Member" });
    await env.DB.prepare(`INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES (?, ?, ?, 'member', ?)`).bind(crypto.randomUUID(), owner.orgId, other.userId, Date.now()).run();

    expectStatus(await call("DELETE", `/api/privacy/orgs/${owner.orgId}`, { token: other.token, body: { password: PASSWORD } }), 403);
    const res = await call("DELETE", `/api/privacy/orgs/${owner.orgId}`, { token: owner.token, body: { password: PASSWORD } });
    expectStatus(res, 202);
    for (const t of [owner, other]) {
      expectStatus(await call("GET", `/api/orgs/${owner.orgId}`, { token: t.token }), 404);
      expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: t.token }), 404);
    }
    const notice = await env.DB.prepare(`SELECT title FROM notifications WHERE user_id = ? AND kind = 'erasure'`).bind(other.userId).first<{ title: string }>();
    expect(notice?.title).toContain("will be deleted");

    await daily(res.json.deletedAt + 29 * DAY);
    expect(await tablesMentioning(owner.orgId)).not.toEqual([]);
    await daily(res.json.deletedAt + 30 * DAY);
    // Left: only the member's own usage record of trying to delete it (their data, not the organization's).
    expect(await tablesMentioning(owner.orgId)).toEqual(["activity_log (1)"]);
    const attempt = await env.DB.prepare(`SELECT user_id, org_id FROM activity_log WHERE target_id = ?`).bind(owner.orgId).first();
    expect(attempt).toEqual({ user_id: other.userId, org_id: null });
    expect(await tablesMentioning(ws.id)).toEqual([]);
    expectStatus(await call("GET", "/api/me", { token: await signIn(owner) }), 200);
    expectStatus(await call("GET", "/api/me", { token: await signIn(other) }), 200);
  });

  it("P13: an owner can restore their organization during the grace period", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const res = await call("DELETE", `/api/privacy/orgs/${owner.orgId}`, { token: owner.token, body: { password: PASSWORD } });
    expectStatus(res, 202);
    expectStatus(await call("POST", `/api/privacy/orgs/${owner.orgId}/restore`, { token: owner.token }), 200);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: owner.token }), 200);
    await daily(res.json.deletedAt + 30 * DAY);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: await signIn(owner) }), 200);
  });
});

describe("erasure: errors", () => {
  it("refuses a wrong password and changes nothing", async () => {
    const a = await newTenant();
    const res = await deleteAccount(a, "not the password at all");
    expectStatus(res, 422);
    expect(res.json.error.details[0].path).toBe("password");
    expectStatus(await call("GET", "/api/me", { token: a.token }), 200);
  });

  it("refuses to orphan an organization: its only owner must hand over ownership first", async () => {
    const owner = await newTenant();
    const member = await newTenant();
    await env.DB.prepare(`INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES (?, ?, ?, 'member', ?)`).bind(crypto.randomUUID(), owner.orgId, member.userId, Date.now()).run();
    const res = await deleteAccount(owner);
    expectStatus(res, 409);
    expect(res.json.error.details).toEqual([{ orgId: owner.orgId, name: expect.any(String) }]);
    expectStatus(await call("GET", "/api/me", { token: owner.token }), 200);
  });

  it("restoring needs the right password and a pending deletion", async () => {
    const a = await newTenant();
    expectStatus(await call("POST", "/api/privacy/restore", { body: { email: a.email, password: PASSWORD } }), 409);
    await deleteAccount(a);
    expectStatus(await call("POST", "/api/privacy/restore", { body: { email: a.email, password: "wrong password here" } }), 401);
  });
});
