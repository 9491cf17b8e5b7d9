import { describe, expect, it } from "vitest";
import { call, expectStatus, inviteAndAccept, newTenant, newWorkspace } from "../support/harness";

describe("me: happy path", () => {
  it("lists the organizations and the portal workspaces with their own ids, names and roles", async () => {
    const agency = await newTenant({ name: "Agency" });
    const ws = await newWorkspace(agency, "Bistro Uno");
    const viewer = await inviteAndAccept(agency, { workspaceId: ws.id }, "viewer");
    const me = await call("GET", "/api/me", { token: viewer.token });
    expectStatus(me, 200);
    expect(me.json.memberships).toEqual([]);
    expect(me.json.portalWorkspaces).toEqual([
      { workspaceId: ws.id, workspaceName: "Bistro Uno", orgId: agency.orgId, orgName: "Agency Org", role: "viewer" },
    ]);
  });

  it("attributes a created workspace to its organization in the activity log", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t, "Peak Outfitters");
    const log = await call("GET", `/api/orgs/${t.orgId}/activity`, { token: t.token });
    expectStatus(log, 200);
    const created = log.json.items.filter((i: { action: string }) => i.action === "workspace.create");
    expect(created, JSON.stringify(log.json.items)).toHaveLength(1);
    expect(created[0].status).toBe(201);
    expect(ws.id).toBeTruthy();
  });
});

describe("me: an organization scheduled for deletion", () => {
  it("P13: disappears from the lists and its workspaces answer 404 at once, and comes back when its owner restores it", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t, "Doomed Client");
    const del = await call("DELETE", `/api/privacy/orgs/${t.orgId}`, { token: t.token, body: { password: t.password } });
    expectStatus(del, 202);

    expect((await call("GET", "/api/me", { token: t.token })).json.memberships).toEqual([]);
    expect((await call("GET", "/api/workspaces", { token: t.token })).json.workspaces).toEqual([]);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: t.token }), 404);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}`, { token: t.token }), 404);

    expectStatus(await call("POST", `/api/privacy/orgs/${t.orgId}/restore`, { token: t.token }), 200);
    expect((await call("GET", "/api/workspaces", { token: t.token })).json.workspaces.map((w: { id: string }) => w.id)).toEqual([ws.id]);
  });
});
