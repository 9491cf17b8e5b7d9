import { describe, expect, it } from "vitest";
import { call, expectStatus, inviteAndAccept, newTenant, newWorkspace } from "../support/harness";
import { newOperator } from "../privacy/support";

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

describe("me: what the web app needs to ask nothing bound to fail", () => {
  it("says whether the user is a platform operator", async () => {
    const t = await newTenant();
    expect((await call("GET", "/api/me", { token: t.token })).json.isOperator).toBe(false);
    const op = await newOperator();
    expect((await call("GET", "/api/me", { token: op.token })).json.isOperator).toBe(true);
  });

  it("login sets a readable session hint beside the HttpOnly refresh cookie, and logout clears both", async () => {
    const t = await newTenant();
    const login = await call("POST", "/api/auth/login", { body: { email: t.email, password: t.password } });
    expectStatus(login, 200);
    const set = login.headers.getSetCookie();
    const hint = set.find((c) => c.startsWith("qweb_session="));
    expect(hint, set.join("\n")).toMatch(/^qweb_session=1;.*Path=\//);
    expect(hint).not.toMatch(/HttpOnly/i);
    const refresh = set.find((c) => c.startsWith("qweb_refresh="))!;
    const out = await call("POST", "/api/auth/logout", { headers: { cookie: refresh.split(";")[0]! } });
    expectStatus(out, 204);
    expect(out.headers.getSetCookie().join("\n")).toMatch(/qweb_session=;.*Max-Age=0/i);
  });
});
