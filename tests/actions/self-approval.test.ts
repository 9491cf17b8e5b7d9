// Four eyes on the approval path: whoever proposed an action may not approve it while someone
// else could (a team member, or a client-portal user when the policy names portal roles); when the
// proposer is the only possible approver they may, and the trail says it was self-approved.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { inviteAndAccept } from "../support/harness";
import { call, expectStatus, owner, propose, provider, settle, restoreExecutor, useTestExecutor } from "./support";

beforeEach(() => {
  useTestExecutor();
  provider.script.length = 0;
});
afterAll(restoreExecutor);

const path = (ws: string, id = "") => `/api/workspaces/${ws}/actions${id ? `/${id}` : ""}`;
const waitingFor = async (token: string, ws: string) => ((await call("GET", `${path(ws)}?waiting=me`, { token })).json.actions as { id: string }[]).map((a) => a.id);

describe("actions: self-approval", () => {
  it("the only person who can approve may approve their own proposal, and the trail says self-approved", async () => {
    const { t, ws } = await owner("Solo Studio");
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a.canApprove).toBe(true);
    expect(await waitingFor(t.token, ws.id)).toEqual([a.id]);
    const ok = await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: { note: "Checked twice" } });
    expectStatus(ok, 200);
    const done = await settle(t.token, ws.id, a.id);
    expect(done.state).toBe("done");
    const approved = done.trail.find((e: { action: string }) => e.action === "approved");
    expect(approved).toMatchObject({ actorId: t.userId });
    expect(approved.note).toMatch(/^Self-approved/);
    expect(approved.note).toContain("Checked twice");
  });

  it("with another team member who can approve, the proposer cannot approve it; the other person can, and it is not self-approved", async () => {
    const { t, ws } = await owner("Two Person Agency");
    const colleague = await inviteAndAccept(t, { orgId: t.orgId }, "member", "Cole League");
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a.canApprove).toBe(false);
    expect(await waitingFor(t.token, ws.id)).toEqual([]);
    const denied = await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} });
    expectStatus(denied, 403);
    expect(denied.json.error.message).toMatch(/You proposed this action/);
    expect((await call("GET", path(ws.id, a.id), { token: t.token })).json.state).toBe("proposed");
    expect(provider.seen).not.toContain(a.id);

    expect(await waitingFor(colleague.token, ws.id)).toEqual([a.id]);
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: colleague.token, body: { note: "Fine by me" } }), 200);
    const done = await settle(t.token, ws.id, a.id);
    const approved = done.trail.find((e: { action: string }) => e.action === "approved");
    expect(approved).toMatchObject({ actorId: colleague.userId, note: "Fine by me" });
    expect(provider.seen.filter((x) => x === a.id)).toHaveLength(1);
  });

  it("a client-portal editor counts as another approver only when the policy names portal roles", async () => {
    const { t, ws } = await owner("Agency With Client");
    await inviteAndAccept(t, { workspaceId: ws.id }, "editor", "Pat Portal");
    // Default policy (editors, admins of the team): the portal editor cannot approve, so the owner is the only approver.
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a.canApprove).toBe(true);
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} }), 200);

    expectStatus(await call("PUT", `${path(ws.id)}/settings/send_reply`, { token: t.token, body: { autopilot: false, limits: {}, approvers: ["admin", "portal_editor"] } }), 200);
    const b = await propose(t, ws.id, { kind: "send_reply", subjectId: "subject-2" });
    expect(b.canApprove).toBe(false);
    expectStatus(await call("POST", `${path(ws.id, b.id)}/approve`, { token: t.token, body: {} }), 403);
  });

  it("a viewer colleague does not count: they could not approve", async () => {
    const { t, ws } = await owner("Owner And Viewer");
    await inviteAndAccept(t, { workspaceId: ws.id }, "viewer", "Vic Viewer");
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a.canApprove).toBe(true);
    const ok = await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} });
    expectStatus(ok, 200);
    const detail = (await call("GET", path(ws.id, a.id), { token: t.token })).json;
    expect(detail.trail.find((e: { action: string }) => e.action === "approved").note).toMatch(/^Self-approved/);
  });
});
