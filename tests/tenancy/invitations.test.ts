import { describe, expect, it } from "vitest";
import { PASSWORD, call, env, expectStatus, invite, newTenant, newWorkspace, uniqueEmail } from "../support/harness";

let ipSeq = 0;
const freshIp = () => `192.0.2.${++ipSeq}`;
const accept = (body: Record<string, unknown>, ip = freshIp()) => call("POST", "/api/invitations/accept", { body, ip });
const newcomer = { password: PASSWORD, name: "Nora Newcomer", birthDate: "1992-07-14" };

describe("invitations: happy path", () => {
  it("a workspace invitation creates the account, grants the role and opens a session", async () => {
    const owner = await newTenant({ name: "Inviter" });
    const ws = await newWorkspace(owner, "Bistro Uno");
    const email = uniqueEmail("client");
    const { token, invitation } = await invite(owner, { workspaceId: ws.id }, email, "editor");
    expect(invitation).toMatchObject({ email, role: "editor", workspaceId: ws.id, workspaceName: "Bistro Uno", status: "pending" });

    const preview = await call("POST", "/api/invitations/preview", { body: { token } });
    expectStatus(preview, 200);
    expect(preview.json).toMatchObject({ email, role: "editor", orgName: "Inviter Org", workspaceName: "Bistro Uno", accountExists: false });

    const res = await accept({ token, ...newcomer });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ user: { email, name: "Nora Newcomer" }, workspaceId: ws.id, orgId: owner.orgId });
    expect(res.headers.getSetCookie().some((c) => c.startsWith("qweb_refresh="))).toBe(true);

    const me = await call("GET", "/api/me", { token: res.json.accessToken });
    expectStatus(me, 200);
    expect(me.json.memberships).toEqual([]);
    expect(me.json.portalWorkspaces).toHaveLength(1);
    const list = await call("GET", "/api/workspaces", { token: res.json.accessToken });
    expect(list.json.workspaces).toEqual([expect.objectContaining({ id: ws.id, name: "Bistro Uno", orgId: owner.orgId, role: "editor" })]);
    const users = await call("GET", `/api/workspaces/${ws.id}/portal-users`, { token: owner.token });
    expect(users.json.users).toEqual([expect.objectContaining({ email, role: "editor", name: "Nora Newcomer" })]);
    const pending = await call("GET", `/api/orgs/${owner.orgId}/invitations`, { token: owner.token });
    expect(pending.json.invitations).toEqual([]);
  });

  it("an organization invitation links an existing account proven by its password, whatever the email's case", async () => {
    const owner = await newTenant({ name: "Agency" });
    const other = await newTenant({ name: "Freelancer" });
    const { token } = await invite(owner, { orgId: owner.orgId }, other.email.toUpperCase(), "admin");

    const preview = await call("POST", "/api/invitations/preview", { body: { token } });
    expect(preview.json).toMatchObject({ email: other.email.toLowerCase(), role: "admin", workspaceName: null, accountExists: true });

    const res = await accept({ token, password: other.password });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ user: { id: other.userId }, orgId: owner.orgId, workspaceId: null });
    const me = await call("GET", "/api/me", { token: res.json.accessToken });
    expect(me.json.memberships.map((m: { id: string; role: string }) => [m.id, m.role]).sort()).toEqual(
      [[owner.orgId, "admin"], [other.orgId, "owner"]].sort(),
    );
    const members = await call("GET", `/api/orgs/${owner.orgId}/members`, { token: owner.token });
    expect(members.json.members.map((m: { userId: string; role: string }) => m.role).sort()).toEqual(["admin", "owner"]);
  });

  it("lists pending invitations of the organization and its workspaces, and revokes one", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Peak Outfitters");
    const a = await invite(owner, { orgId: owner.orgId }, uniqueEmail("member"), "member");
    const b = await invite(owner, { workspaceId: ws.id }, uniqueEmail("viewer"), "viewer");

    const all = await call("GET", `/api/orgs/${owner.orgId}/invitations`, { token: owner.token });
    expectStatus(all, 200);
    expect(all.json.invitations.map((i: { id: string }) => i.id).sort()).toEqual([a.invitation.id, b.invitation.id].sort());
    const wsOnly = await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token });
    expect(wsOnly.json.invitations).toEqual([expect.objectContaining({ id: b.invitation.id, workspaceName: "Peak Outfitters", status: "pending" })]);

    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/invitations/${b.invitation.id}`, { token: owner.token }), 204);
    expectStatus(await call("DELETE", `/api/orgs/${owner.orgId}/invitations/${a.invitation.id}`, { token: owner.token }), 204);
    expect((await call("GET", `/api/orgs/${owner.orgId}/invitations`, { token: owner.token })).json.invitations).toEqual([]);
  });
});

describe("invitations: errors", () => {
  it("a link works once: the second use answers 410 with a clear message", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const { token } = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    expectStatus(await accept({ token, ...newcomer }), 200);
    const again = await accept({ token, ...newcomer });
    expectStatus(again, 410);
    expect(again.json.error.message).toMatch(/already been used/);
    expectStatus(await call("POST", "/api/invitations/preview", { body: { token } }), 410);
  });

  it("a revoked, a replaced and an expired invitation answer 410; an unknown token 404", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const revoked = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/invitations/${revoked.invitation.id}`, { token: owner.token }), 204);
    const r1 = await accept({ token: revoked.token, ...newcomer });
    expectStatus(r1, 410);
    expect(r1.json.error.message).toMatch(/revoked/);

    const email = uniqueEmail("twice");
    const first = await invite(owner, { workspaceId: ws.id }, email, "viewer");
    const second = await invite(owner, { workspaceId: ws.id }, email.toUpperCase(), "editor");
    expectStatus(await accept({ token: first.token, ...newcomer }), 410);
    const pending = await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token });
    expect(pending.json.invitations.map((i: { id: string }) => i.id)).toEqual([second.invitation.id]);
    const ok = await accept({ token: second.token, ...newcomer });
    expectStatus(ok, 200);

    const expired = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    await env.DB.prepare("UPDATE invitations SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, expired.invitation.id).run();
    const r3 = await accept({ token: expired.token, ...newcomer });
    expectStatus(r3, 410);
    expect(r3.json.error.message).toMatch(/expired/);

    const unknown = await accept({ token: "A".repeat(43), ...newcomer });
    expectStatus(unknown, 404);
    expect(unknown.json.error.message).toMatch(/not valid/);
  });

  it("a new account needs a name, a birth date and a strong enough password; nothing is consumed meanwhile", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const { token } = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    const noName = await accept({ token, password: PASSWORD, birthDate: "1990-01-01" });
    expectStatus(noName, 400);
    expect(noName.json.error.details).toEqual([expect.objectContaining({ path: "name" })]);
    expectStatus(await accept({ token, password: PASSWORD, name: "N" }), 400);
    expectStatus(await accept({ token, password: "short", name: "N", birthDate: "1990-01-01" }), 400);
    expectStatus(await accept({ token, ...newcomer }), 200);
  });

  it("an existing account with the wrong password answers 401 and the invitation stays usable", async () => {
    const owner = await newTenant();
    const other = await newTenant({ name: "Existing" });
    const { token } = await invite(owner, { orgId: owner.orgId }, other.email, "member");
    const wrong = await accept({ token, password: "not the password at all" });
    expectStatus(wrong, 401);
    expect(wrong.json.error.message).toMatch(/already exists/);
    expectStatus(await accept({ token, password: other.password }), 200);
  });

  it("an account scheduled for erasure cannot be reopened through an invitation", async () => {
    const owner = await newTenant();
    const other = await newTenant({ name: "Leaving" });
    const { token } = await invite(owner, { orgId: owner.orgId }, other.email, "member");
    const now = Date.now();
    await env.DB.prepare("UPDATE users SET deleted_at = ?, purge_after = ? WHERE id = ?").bind(now, now + 30 * 86_400_000, other.userId).run();
    const res = await accept({ token, password: other.password });
    expectStatus(res, 403);
    expect(res.json.error.message).toMatch(/scheduled for deletion/);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM memberships WHERE org_id = ? AND user_id = ?").bind(owner.orgId, other.userId).first("n")).toBe(0);
  });

  it("records the policy version a new account accepts on the invitation page, and refuses a stale one", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const version = (await call("GET", "/api/policy")).json.version;
    const { token } = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    expectStatus(await accept({ token, ...newcomer, acceptPolicyVersion: "1999-01-01" }), 422);
    const res = await accept({ token, ...newcomer, acceptPolicyVersion: version });
    expectStatus(res, 200);
    expect(await env.DB.prepare("SELECT version FROM policy_acceptances WHERE user_id = ?").bind(res.json.user.id).first("version")).toBe(version);
  });

  it("refuses to invite someone who already has access, and roles outside the invitation kind", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const self = await call("POST", `/api/orgs/${owner.orgId}/invitations`, { token: owner.token, body: { email: owner.email, role: "member" } });
    expectStatus(self, 409);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/invitations`, { token: owner.token, body: { email: owner.email, role: "viewer" } }), 409);
    expectStatus(await call("POST", `/api/orgs/${owner.orgId}/invitations`, { token: owner.token, body: { email: uniqueEmail(), role: "owner" } }), 400);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/invitations`, { token: owner.token, body: { email: uniqueEmail(), role: "member" } }), 400);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/invitations`, { token: owner.token, body: { email: "not-an-email", role: "viewer" } }), 400);
  });
});

describe("invitations: security", () => {
  it("stores the token only as its SHA-256 hash", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const { token, invitation } = await invite(owner, { workspaceId: ws.id }, uniqueEmail(), "viewer");
    const row = await env.DB.prepare("SELECT * FROM invitations WHERE id = ?").bind(invitation.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(token);
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
    expect(row!.token_hash).toBe([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
    const created = await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: owner.token });
    expect(created.text).not.toContain(token);
    expect(created.text).not.toContain(String(row!.token_hash));
  });

  it("P23: a 15-year-old invitee is refused with 422, nothing is stored and the link stays usable", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const email = uniqueEmail("teen");
    const { token } = await invite(owner, { workspaceId: ws.id }, email, "viewer");
    const now = new Date();
    const fifteen = `${now.getUTCFullYear() - 15}-${String(now.getUTCMonth() + 1).padStart(2, "0")}-${String(now.getUTCDate()).padStart(2, "0")}`;
    const res = await accept({ token, password: PASSWORD, name: "Teen", birthDate: fifteen });
    expectStatus(res, 422);
    expect(res.json.error.message).toMatch(/at least 16/);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first("n")).toBe(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM portal_access WHERE workspace_id = ?").bind(ws.id).first("n")).toBe(0);
    expectStatus(await call("POST", "/api/invitations/preview", { body: { token } }), 200);
  });

  it("two simultaneous acceptances of one link: exactly one wins", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const email = uniqueEmail("race");
    const { token } = await invite(owner, { workspaceId: ws.id }, email, "editor");
    const results = await Promise.all([accept({ token, ...newcomer }), accept({ token, ...newcomer })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first("n")).toBe(1);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM portal_access WHERE workspace_id = ?").bind(ws.id).first("n")).toBe(1);
  });

  it("throttles acceptance attempts per IP with 429 and Retry-After", async () => {
    const ip = "198.51.100.77";
    let last = await accept({ token: "B".repeat(43), ...newcomer }, ip);
    for (let i = 0; i < 12 && last.status !== 429; i++) last = await accept({ token: "B".repeat(43), ...newcomer }, ip);
    expectStatus(last, 429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expectStatus(await accept({ token: "B".repeat(43), ...newcomer }, "198.51.100.78"), 404);
  });

  it("bounds password guesses against an existing account through one invitation", async () => {
    const owner = await newTenant();
    const other = await newTenant({ name: "Target" });
    const { token } = await invite(owner, { orgId: owner.orgId }, other.email, "member");
    for (let i = 0; i < 5; i++) expectStatus(await accept({ token, password: `wrong password ${i}` }), 401);
    expectStatus(await accept({ token, password: other.password }), 429);
  });
});
