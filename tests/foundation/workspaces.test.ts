import { describe, expect, it } from "vitest";
import { call, expectStatus, newTenant, newWorkspace } from "../support/harness";

describe("workspaces: happy path", () => {
  it("creates, lists, renames and deletes a workspace", async () => {
    const t = await newTenant();
    const ws = await newWorkspace(t, "Bistro Uno");
    expect(ws.name).toBe("Bistro Uno");

    const list = await call("GET", "/api/workspaces", { token: t.token });
    expectStatus(list, 200);
    expect(list.json.workspaces.map((w: { id: string }) => w.id)).toContain(ws.id);

    const renamed = await call("PATCH", `/api/workspaces/${ws.id}`, { token: t.token, body: { name: "Bistro Due" } });
    expectStatus(renamed, 200);
    expect(renamed.json.name).toBe("Bistro Due");

    expectStatus(await call("DELETE", `/api/workspaces/${ws.id}`, { token: t.token }), 204);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}`, { token: t.token }), 404);
  });
});

describe("workspaces: errors", () => {
  it("rejects an empty name with the common error shape and stores nothing", async () => {
    const t = await newTenant();
    const res = await call("POST", "/api/workspaces", { token: t.token, body: { name: "   " } });
    expectStatus(res, 400);
    expect(res.json.error.code).toBe("VALIDATION_FAILED");
    expect(res.json.error.requestId).toBeTruthy();
    const list = await call("GET", "/api/workspaces", { token: t.token });
    expect(list.json.workspaces).toHaveLength(0);
  });
});

describe("workspaces: security", () => {
  it("answers 404 for another organization's workspace", async () => {
    const a = await newTenant({ name: "Alpha" });
    const b = await newTenant({ name: "Beta" });
    const ws = await newWorkspace(a);
    for (const [method, body] of [["GET"], ["PATCH", { name: "x" }], ["DELETE"]] as const) {
      const res = await call(method, `/api/workspaces/${ws.id}`, { token: b.token, body });
      expectStatus(res, 404);
    }
    expect((await call("GET", `/api/workspaces/${ws.id}`, { token: a.token })).json.name).toBe("Client Co");
  });
});
