import { describe, expect, it } from "vitest";
import { app } from "../../worker/app";
import { apiRoutes } from "../../worker/features/openapi/service";
import { call, expectStatus, inviteAndAccept, newTenant, newWorkspace, uniqueEmail } from "../support/harness";

const portalUsers = async (token: string, wsId: string) =>
  (await call("GET", `/api/workspaces/${wsId}/portal-users`, { token })).json.users as { userId: string; role: string }[];

/** Every state-changing route under one workspace, with the workspace id filled in. */
const workspaceWrites = (wsId: string) =>
  apiRoutes(app.routes)
    .filter((r) => r.path.startsWith("/api/workspaces/:workspaceId") && !["GET", "HEAD", "OPTIONS"].includes(r.method))
    .map((r) => ({ method: r.method, path: r.path.replace(":workspaceId", wsId).replace(/:[A-Za-z]+/g, "x") }));

describe("portal users: happy path", () => {
  it("P02: an admin can invite, list, change the role of and revoke portal users", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const admin = await inviteAndAccept(owner, { workspaceId: ws.id }, "admin");
    const viewer = await inviteAndAccept(admin, { workspaceId: ws.id }, "viewer");

    expect(await portalUsers(admin.token, ws.id)).toEqual([
      expect.objectContaining({ userId: admin.userId, role: "admin" }),
      expect.objectContaining({ userId: viewer.userId, role: "viewer" }),
    ]);
    const promoted = await call("PATCH", `/api/workspaces/${ws.id}/portal-users/${viewer.userId}`, { token: admin.token, body: { role: "editor" } });
    expectStatus(promoted, 200);
    expect(promoted.json).toMatchObject({ userId: viewer.userId, role: "editor" });
    expect((await call("GET", `/api/workspaces/${ws.id}`, { token: viewer.token })).json.role).toBe("editor");

    const pending = await call("POST", `/api/workspaces/${ws.id}/invitations`, { token: admin.token, body: { email: uniqueEmail(), role: "viewer" } });
    expectStatus(pending, 201);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/invitations`, { token: admin.token }), 200);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/invitations/${pending.json.invitation.id}`, { token: admin.token }), 204);

    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/portal-users/${viewer.userId}`, { token: admin.token }), 204);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: viewer.token }), 404);
    expect((await portalUsers(owner.token, ws.id)).map((u) => u.userId)).toEqual([admin.userId]);
  });

  it("P02: organization owners and admins manage every workspace's portal users", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const orgAdmin = await inviteAndAccept(owner, { orgId: owner.orgId }, "admin");
    const editor = await inviteAndAccept(orgAdmin, { workspaceId: ws.id }, "editor");
    expect((await portalUsers(orgAdmin.token, ws.id)).map((u) => u.role)).toEqual(["editor"]);
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/portal-users/${editor.userId}`, { token: owner.token, body: { role: "admin" } }), 200);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/portal-users/${editor.userId}`, { token: orgAdmin.token }), 204);
  });

  it("P02: an invitee sees only the workspaces granted", async () => {
    const owner = await newTenant();
    const granted = await newWorkspace(owner, "Granted");
    const other = await newWorkspace(owner, "Not granted");
    const viewer = await inviteAndAccept(owner, { workspaceId: granted.id }, "viewer");

    const list = await call("GET", "/api/workspaces", { token: viewer.token });
    expect(list.json.workspaces).toEqual([expect.objectContaining({ id: granted.id, name: "Granted", role: "viewer" })]);
    expect(list.text).not.toContain(other.id);
    const me = await call("GET", "/api/me", { token: viewer.token });
    expect(me.json.memberships).toEqual([]);
    expect(me.json.portalWorkspaces).toHaveLength(1);
    expect(me.text).not.toContain(other.id);
    expectStatus(await call("GET", `/api/workspaces/${granted.id}`, { token: viewer.token }), 200);
    expectStatus(await call("GET", `/api/workspaces/${other.id}`, { token: viewer.token }), 404);
    expectStatus(await call("GET", `/api/orgs/${owner.orgId}`, { token: viewer.token }), 404);
    expectStatus(await call("GET", `/api/orgs/${owner.orgId}/members`, { token: viewer.token }), 404);
  });
});

describe("portal users: errors", () => {
  it("rejects unknown roles with 400 and unknown portal users with 404", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/portal-users/${owner.userId}`, { token: owner.token, body: { role: "viewer" } }), 404);
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/portal-users/nobody`, { token: owner.token, body: { role: "owner" } }), 400);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/portal-users/nobody`, { token: owner.token }), 404);
    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}/invitations/nothing`, { token: owner.token }), 404);
  });
});

describe("portal users: security", () => {
  it("P02: a viewer cannot write: every state-changing workspace route answers 403", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    const writes = workspaceWrites(ws.id);
    expect(writes.length).toBeGreaterThan(3);
    for (const { method, path } of writes) {
      const res = await call(method, path, { token: viewer.token, body: {} });
      expect(res.status, `${method} ${path} as a viewer: ${res.text.slice(0, 200)}`).toBe(403);
    }
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: viewer.token }), 200);
    expect((await call("GET", `/api/workspaces/${ws.id}`, { token: owner.token })).json.name).toBe("Client Co");
  });

  it("P02: an editor cannot manage users", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner);
    const editor = await inviteAndAccept(owner, { workspaceId: ws.id }, "editor");
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    const attempts: [string, string, unknown?][] = [
      ["POST", `/api/workspaces/${ws.id}/invitations`, { email: uniqueEmail(), role: "viewer" }],
      ["GET", `/api/workspaces/${ws.id}/invitations`],
      ["PATCH", `/api/workspaces/${ws.id}/portal-users/${viewer.userId}`, { role: "admin" }],
      ["PATCH", `/api/workspaces/${ws.id}/portal-users/${editor.userId}`, { role: "admin" }],
      ["DELETE", `/api/workspaces/${ws.id}/portal-users/${viewer.userId}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await call(method, path, { token: editor.token, body });
      expect(res.status, `${method} ${path} as an editor`).toBe(403);
    }
    const expected = [
      [editor.userId, "editor"],
      [viewer.userId, "viewer"],
    ];
    expect((await portalUsers(owner.token, ws.id)).map((u) => [u.userId, u.role])).toEqual(expected);
    // Editors may see who else works in the workspace (read-only); viewers may not.
    expect((await portalUsers(editor.token, ws.id)).map((u) => [u.userId, u.role])).toEqual(expected);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/portal-users`, { token: viewer.token }), 403);
  });

  it("P02: a workspace admin manages only their own workspace", async () => {
    const owner = await newTenant();
    const mine = await newWorkspace(owner, "Mine");
    const sibling = await newWorkspace(owner, "Sibling");
    const admin = await inviteAndAccept(owner, { workspaceId: mine.id }, "admin");
    const siblingViewer = await inviteAndAccept(owner, { workspaceId: sibling.id }, "viewer");
    expectStatus(await call("GET", `/api/workspaces/${sibling.id}/portal-users`, { token: admin.token }), 404);
    expectStatus(await call("DELETE", `/api/workspaces/${sibling.id}/portal-users/${siblingViewer.userId}`, { token: admin.token }), 404);
    // Another workspace's portal user addressed through one's own workspace is not found either.
    expectStatus(await call("DELETE", `/api/workspaces/${mine.id}/portal-users/${siblingViewer.userId}`, { token: admin.token }), 404);
    expectStatus(await call("GET", `/api/workspaces/${sibling.id}`, { token: siblingViewer.token }), 200);
    // Workspace admins are not organization admins.
    expectStatus(await call("DELETE", `/api/workspaces/${mine.id}`, { token: admin.token }), 403);
    expectStatus(await call("POST", "/api/workspaces", { token: admin.token, body: { orgId: owner.orgId, name: "Sneaky" } }), 404);
  });
});
