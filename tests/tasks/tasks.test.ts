import { describe, expect, it } from "vitest";
import { inviteAndAccept, newTenant, newWorkspace, waitForEmail } from "../support/harness";
import { call, env, expectStatus } from "../dashboards/support";

describe("tasks", () => {
  it("a board of to do / doing / done: create, assign (the assignee is notified), move, comment, label and link; created from an alert it links the alert", async () => {
    const owner = await newTenant({ kind: "agency" });
    const ws = await newWorkspace(owner, "Task Client");
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "member", "Tess Tasker");
    const made = await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "Refresh ad creatives", assigneeId: member.userId, dueDate: "2026-12-15", labels: ["ads"] } });
    expectStatus(made, 201);
    expect(made.json).toMatchObject({ status: "todo", assigneeId: member.userId, dueDate: "2026-12-15", labels: ["ads"] });
    const mail = await waitForEmail(member.email, (m) => m.subject.includes("Refresh ad creatives"));
    expect(mail.text).toContain("due 2026-12-15");
    const moved = await call("PATCH", `/api/workspaces/${ws.id}/tasks/${made.json.id}`, { token: member.token, body: { status: "doing" } });
    expectStatus(moved, 200);
    expect(moved.json.status).toBe("doing");
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/tasks/${made.json.id}/comments`, { token: member.token, body: { body: "On it" } }), 201);
    const comments = await call("GET", `/api/workspaces/${ws.id}/tasks/${made.json.id}/comments`, { token: owner.token });
    expect(comments.json.comments.map((c: any) => [c.body, c.author])).toEqual([["On it", "Tess Tasker"]]);

    const rule = await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: owner.token, body: { kind: "revenue_drop", name: "Revenue" } });
    const alertId = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO alerts (id, org_id, workspace_id, rule_id, period_key, kind, title, body, figures, status, created_at) VALUES (?, ?, ?, ?, '2026-12-01', 'revenue_drop', 'Revenue: net revenue down 45 %', 'x', '{}', 'open', ?)")
      .bind(alertId, owner.orgId, ws.id, rule.json.id, Date.now()).run();
    const fromAlert = await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { fromAlertId: alertId } });
    expectStatus(fromAlert, 201);
    expect(fromAlert.json).toMatchObject({ title: "Revenue: net revenue down 45 %", links: [{ kind: "alert", id: alertId }] });
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: {} }), 400);
    const other = await newTenant();
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "x", assigneeId: other.userId } }), 400);
  });

  it("portal viewers see only the tasks marked visible to the client and cannot change them; another tenant gets 404", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Portal Tasks");
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    const shown = (await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "Approve the December report", visibleToClient: true } })).json;
    const hidden = (await call("POST", `/api/workspaces/${ws.id}/tasks`, { token: owner.token, body: { title: "Internal: fix tracking" } })).json;
    const list = await call("GET", `/api/workspaces/${ws.id}/tasks`, { token: viewer.token });
    expect(list.json.tasks.map((t: any) => t.title)).toEqual(["Approve the December report"]);
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/tasks/${hidden.id}/comments`, { token: viewer.token }), 404);
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/tasks/${shown.id}`, { token: viewer.token, body: { status: "done" } }), 403);
    const b = await newTenant();
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/tasks/${shown.id}`, { token: b.token, body: { status: "done" } }), 404);
    const owners = await call("GET", `/api/workspaces/${ws.id}/tasks`, { token: owner.token });
    expect(owners.json.tasks).toHaveLength(2);
  });
});
