import { describe, expect, it } from "vitest";
import { call, expectStatus, invite, inviteAndAccept, newTenant, newWorkspace, type Tenant } from "../support/harness";

type Member = { userId: string; role: string; email: string };
const members = async (t: { token: string }, orgId: string) =>
  (await call("GET", `/api/orgs/${orgId}/members`, { token: t.token })).json.members as Member[];
const roleOf = async (t: Tenant, userId: string) => (await members(t, t.orgId)).find((m) => m.userId === userId)?.role;

describe("organizations: happy path", () => {
  it("reads and updates the organization", async () => {
    const t = await newTenant({ name: "Northwind" });
    const got = await call("GET", `/api/orgs/${t.orgId}`, { token: t.token });
    expectStatus(got, 200);
    expect(got.json).toEqual({ id: t.orgId, name: "Northwind Org", kind: "agency", role: "owner" });
    const patched = await call("PATCH", `/api/orgs/${t.orgId}`, { token: t.token, body: { name: "Northwind Digital", kind: "business" } });
    expectStatus(patched, 200);
    expect(patched.json).toEqual({ id: t.orgId, name: "Northwind Digital", kind: "business", role: "owner" });
  });

  it("lists members, changes a role and removes a member", async () => {
    const t = await newTenant();
    const m = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Mia Member");
    const list = await members(t, t.orgId);
    expect(list).toEqual([
      expect.objectContaining({ userId: t.userId, role: "owner", email: t.email.toLowerCase() }),
      expect.objectContaining({ userId: m.userId, role: "member", name: "Mia Member", email: m.email.toLowerCase() }),
    ]);
    const promoted = await call("PATCH", `/api/orgs/${t.orgId}/members/${m.userId}`, { token: t.token, body: { role: "admin" } });
    expectStatus(promoted, 200);
    expect(promoted.json).toMatchObject({ userId: m.userId, role: "admin" });
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${m.userId}`, { token: t.token }), 204);
    expect((await members(t, t.orgId)).map((x) => x.userId)).toEqual([t.userId]);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}`, { token: m.token }), 404);
  });

  it("an owner can hand over ownership, then step down", async () => {
    const t = await newTenant();
    const m = await inviteAndAccept(t, { orgId: t.orgId }, "admin");
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${m.userId}`, { token: t.token, body: { role: "owner" } }), 200);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: t.token, body: { role: "member" } }), 200);
    expect(await roleOf(t, t.userId)).toBe("member");
    expect(await roleOf(t, m.userId)).toBe("owner");
  });

  it("a member may leave the organization", async () => {
    const t = await newTenant();
    const m = await inviteAndAccept(t, { orgId: t.orgId }, "member");
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${m.userId}`, { token: m.token }), 204);
    expect(await roleOf(t, m.userId)).toBeUndefined();
  });
});

describe("organizations: errors", () => {
  it("the last owner can never be demoted or removed", async () => {
    const t = await newTenant();
    const demote = await call("PATCH", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: t.token, body: { role: "admin" } });
    expectStatus(demote, 409);
    expect(demote.json.error.message).toMatch(/last owner/);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: t.token }), 409);
    expect(await roleOf(t, t.userId)).toBe("owner");
  });

  it("rejects bad input with 400 and unknown members with 404", async () => {
    const t = await newTenant();
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}`, { token: t.token, body: {} }), 400);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}`, { token: t.token, body: { kind: "charity" } }), 400);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: t.token, body: { role: "god" } }), 400);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/nobody`, { token: t.token, body: { role: "member" } }), 404);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/nobody`, { token: t.token }), 404);
  });
});

describe("organizations: security", () => {
  it("an admin cannot promote to owner nor touch the owner", async () => {
    const t = await newTenant();
    const admin = await inviteAndAccept(t, { orgId: t.orgId }, "admin");
    const member = await inviteAndAccept(t, { orgId: t.orgId }, "member");
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${member.userId}`, { token: admin.token, body: { role: "owner" } }), 403);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${admin.userId}`, { token: admin.token, body: { role: "owner" } }), 403);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: admin.token, body: { role: "member" } }), 403);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: admin.token }), 403);
    expect(await roleOf(t, t.userId)).toBe("owner");
    // What an admin may do: manage members and other admins.
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${member.userId}`, { token: admin.token, body: { role: "admin" } }), 200);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${member.userId}`, { token: admin.token }), 204);
  });

  it("a member reads the organization but cannot change it, its members or its invitations", async () => {
    const t = await newTenant();
    const m = await inviteAndAccept(t, { orgId: t.orgId }, "member");
    expectStatus(await call("GET", `/api/orgs/${t.orgId}`, { token: m.token }), 200);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/members`, { token: m.token }), 200);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}`, { token: m.token, body: { name: "Mine now" } }), 403);
    expectStatus(await call("PATCH", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: m.token, body: { role: "member" } }), 403);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${t.userId}`, { token: m.token }), 403);
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/invitations`, { token: m.token, body: { email: "x@example.test", role: "member" } }), 403);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/invitations`, { token: m.token }), 403);
    expect((await call("GET", `/api/orgs/${t.orgId}`, { token: t.token })).json.name).toBe("Acme Org");
  });

  it("removing a member also drops their portal access in that organization", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t);
    const m = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer");
    const { token } = await invite(t, { orgId: t.orgId }, m.email, "member");
    expectStatus(await call("POST", "/api/invitations/accept", { body: { token, password: m.password }, ip: "203.0.113.9" }), 200);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/members/${m.userId}`, { token: t.token }), 204);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: m.token }), 404);
    expect((await call("GET", "/api/workspaces", { token: m.token })).json.workspaces).toEqual([]);
  });
});
