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
    const created = log.json.items.filter((i: { action: string }) => i.action === "workspaces.create");
    expect(created, JSON.stringify(log.json.items)).toHaveLength(1);
    expect(created[0].status).toBe(201);
    expect(ws.id).toBeTruthy();
  });
});
