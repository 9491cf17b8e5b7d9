// The approval path: proposed → approved | rejected → scheduled → running → done | failed, who may
// approve (team and portal roles), autopilot inside and outside guardrails, restriction, retries,
// and exactly-once under racing runners.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { runAction, runDueActions } from "../../worker/features/actions";
import { inviteAndAccept } from "../support/harness";
import { call, env, expectStatus, owner, propose, provider, settle, restoreExecutor, useTestExecutor } from "./support";

beforeEach(() => {
  useTestExecutor();
  provider.script.length = 0;
});
afterAll(restoreExecutor);

const path = (ws: string, id = "") => `/api/workspaces/${ws}/actions${id ? `/${id}` : ""}`;

describe("actions: happy path", () => {
  it("a proposed action waits, an editor approves it, it runs once and the trail records every step", async () => {
    const { t, ws } = await owner();
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a).toMatchObject({ state: "proposed", approvers: ["editor", "admin"], canApprove: true, proposedBy: t.userId });
    const waiting = await call("GET", `${path(ws.id)}?waiting=me`, { token: t.token });
    expect(waiting.json.actions.map((x: { id: string }) => x.id)).toEqual([a.id]);

    const ok = await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: { note: "Looks right" } });
    expectStatus(ok, 200);
    expect(ok.json).toMatchObject({ state: "approved", approvedBy: t.userId, approvedAs: "admin" });
    const done = await settle(t.token, ws.id, a.id);
    expect(done).toMatchObject({ state: "done", attempts: 1, error: null });
    expect(done.providerResult).toEqual({ messageId: expect.stringMatching(/^m-/) });
    expect(done.trail.map((e: { toStatus: string }) => e.toStatus)).toEqual(["proposed", "approved", "running", "done"]);
    expect(done.trail[1]).toMatchObject({ action: "approved", actorId: t.userId, note: expect.stringContaining("Looks right") });
    // The owner is the only person of this organization who can approve: allowed, and said so.
    expect(done.trail[1].note).toMatch(/^Self-approved/);
    expect(provider.seen.filter((x) => x === a.id)).toHaveLength(1);
    expect((await call("GET", `${path(ws.id)}?waiting=me`, { token: t.token })).json.actions).toEqual([]);
    expect((await call("GET", `${path(ws.id)}?state=done&kind=send_reply`, { token: t.token })).json.actions.map((x: { id: string }) => x.id)).toEqual([a.id]);
  });

  it("rejected and cancelled actions never run; a second decision is a conflict", async () => {
    const { t, ws } = await owner();
    const a = await propose(t, ws.id, { kind: "send_reply" });
    const r = await call("POST", `${path(ws.id, a.id)}/reject`, { token: t.token, body: { note: "Wrong tone" } });
    expectStatus(r, 200);
    expect(r.json.state).toBe("rejected");
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} }), 409);
    const b = await propose(t, ws.id, { kind: "send_reply", scheduledFor: Date.now() + 3_600_000 });
    const approved = await call("POST", `${path(ws.id, b.id)}/approve`, { token: t.token, body: {} });
    expect(approved.json.state).toBe("scheduled");
    expect((await call("POST", `${path(ws.id, b.id)}/cancel`, { token: t.token, body: {} })).json.state).toBe("cancelled");
    await runDueActions({ ctx: ctxFromEnv(env, { now: Date.now() + 7_200_000 }), input: { workspaceId: ws.id } });
    expect(provider.seen).not.toContain(a.id);
    expect(provider.seen).not.toContain(b.id);
  });

  it("a scheduled action runs when it is due, not before", async () => {
    const { t, ws } = await owner();
    const a = await propose(t, ws.id, { kind: "send_reply", scheduledFor: Date.now() + 1500 });
    expect((await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} })).json.state).toBe("scheduled");
    expect((await call("GET", path(ws.id, a.id), { token: t.token })).json.state).toBe("scheduled");
    const done = await settle(t.token, ws.id, a.id);
    expect(done.state).toBe("done");
    expect(done.finishedAt).toBeGreaterThanOrEqual(a.scheduledFor!);
  });
});

describe("actions: approvals by role", () => {
  it("a viewer cannot approve; a portal editor can once the policy names portal editors", async () => {
    const { t, ws } = await owner();
    const viewer = await inviteAndAccept(t, { workspaceId: ws.id }, "viewer", "Vic Viewer");
    const portal = await inviteAndAccept(t, { workspaceId: ws.id }, "editor", "Pat Portal");
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: viewer.token, body: {} }), 403);
    const denied = await call("POST", `${path(ws.id, a.id)}/approve`, { token: portal.token, body: {} });
    expectStatus(denied, 403);
    expect(denied.json.error.message).toMatch(/editor, admin approve/);
    expect((await call("GET", `${path(ws.id)}?waiting=me`, { token: portal.token })).json.actions).toEqual([]);

    const set = await call("PUT", `${path(ws.id)}/settings/send_reply`, { token: t.token, body: { autopilot: false, limits: {}, approvers: ["portal_editor", "portal_admin"] } });
    expectStatus(set, 200);
    expect(set.json).toMatchObject({ kind: "send_reply", approvers: ["portal_editor", "portal_admin"], available: true, guarded: true });
    expectStatus(await call("PUT", `${path(ws.id)}/settings/send_reply`, { token: portal.token, body: { autopilot: true, limits: {} } }), 403);

    const mine = await call("GET", `${path(ws.id)}?waiting=me`, { token: portal.token });
    expect(mine.json.actions.map((x: { id: string }) => x.id)).toEqual([a.id]);
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} }), 403);
    const ok = await call("POST", `${path(ws.id, a.id)}/approve`, { token: portal.token, body: {} });
    expectStatus(ok, 200);
    expect(ok.json).toMatchObject({ approvedBy: portal.userId, approvedAs: "portal_editor" });
    const done = await settle(t.token, ws.id, a.id);
    expect(done.trail[1]).toMatchObject({ actorName: "Pat Portal", actorRole: "portal_editor" });
  });

  it("the organization view lists what waits for me across the agency's clients", async () => {
    const { t, ws } = await owner("Client One");
    const other = await call("POST", "/api/workspaces", { token: t.token, body: { orgId: t.orgId, name: "Client Two" } });
    const a = await propose(t, ws.id, { kind: "send_reply" });
    const b = await propose(t, other.json.id, { kind: "send_reply" });
    await call("PUT", `${path(other.json.id)}/settings/send_reply`, { token: t.token, body: { autopilot: false, limits: {}, approvers: ["portal_admin"] } });
    const res = await call("GET", `/api/orgs/${t.orgId}/actions?waiting=me`, { token: t.token });
    expectStatus(res, 200);
    expect(res.json.actions.map((x: { id: string; workspaceName: string }) => [x.id, x.workspaceName])).toEqual([[a.id, "Client One"]]);
    const all = await call("GET", `/api/orgs/${t.orgId}/actions?state=proposed`, { token: t.token });
    expect(all.json.actions.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.id].sort());
  });
});

describe("actions: autopilot and guardrails", () => {
  it("autopilot runs an action inside its guardrails without a person; outside, it waits with the reason", async () => {
    const { t, ws } = await owner();
    expectStatus(await call("PUT", `${path(ws.id)}/settings/send_reply`, { token: t.token, body: { autopilot: true, limits: { maxChars: 20 } } }), 200);
    const inside = await propose(t, ws.id, { kind: "send_reply", after: { text: "Thanks!" } });
    expect(inside).toMatchObject({ state: "approved", approvedAs: "autopilot", approvedBy: null });
    expect((await settle(t.token, ws.id, inside.id)).state).toBe("done");
    const outside = await propose(t, ws.id, { kind: "send_reply", after: { text: "A much longer reply than the limit allows" } });
    expect(outside).toMatchObject({ state: "proposed", waitReason: "Longer than 20 characters", canApprove: true });
  });

  it("P19: a restriction in the privacy center stops autopilot for that user's actions", async () => {
    const { t, ws } = await owner();
    await call("PUT", `${path(ws.id)}/settings/send_reply`, { token: t.token, body: { autopilot: true, limits: {} } });
    expectStatus(await call("PUT", "/api/privacy/processing", { token: t.token, body: { restricted: true } }), 200);
    const a = await propose(t, ws.id, { kind: "send_reply" });
    expect(a.state).toBe("proposed");
    expect(a.waitReason).toMatch(/restricted/);
  });
});

describe("actions: running", () => {
  it("retries a retryable failure with backoff and records the provider's answer once it works", async () => {
    const { t, ws } = await owner();
    provider.script.push({ ok: false, error: "rate limited", retry: true, retryAfterMs: 300 });
    const a = await propose(t, ws.id, { kind: "send_reply" });
    await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} });
    const done = await settle(t.token, ws.id, a.id);
    expect(done).toMatchObject({ state: "done", attempts: 2, error: null });
    expect(done.trail.map((e: { toStatus: string }) => e.toStatus)).toEqual(["proposed", "approved", "running", "scheduled", "running", "done"]);
    expect(done.trail[3].note).toMatch(/rate limited/);
  });

  it("a permanent failure is failed with the provider's reason", async () => {
    const { t, ws } = await owner();
    provider.script.push({ ok: false, error: "(#100) Invalid parameter", retry: false });
    const a = await propose(t, ws.id, { kind: "send_reply" });
    await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} });
    expect(await settle(t.token, ws.id, a.id)).toMatchObject({ state: "failed", error: "(#100) Invalid parameter", attempts: 1 });
  });

  it("exactly once: many runners racing for the same approved action call the provider once", async () => {
    const { t, ws } = await owner();
    const a = await propose(t, ws.id, { kind: "send_reply" });
    await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: {} });
    const input = { id: a.id, orgId: t.orgId, workspaceId: ws.id };
    const results = await Promise.all(Array.from({ length: 6 }, () => runAction({ ctx: ctxFromEnv(env), input })));
    await settle(t.token, ws.id, a.id);
    // Redelivered / retried runs after it is done find nothing to do.
    await runAction({ ctx: ctxFromEnv(env), input });
    await runDueActions({ ctx: ctxFromEnv(env), input: { workspaceId: ws.id } });
    expect(results.filter(Boolean).length).toBeLessThanOrEqual(1);
    expect(provider.seen.filter((x) => x === a.id)).toHaveLength(1);
  });
});

describe("actions: security", () => {
  it("another organization's action answers 404 on every route", async () => {
    const { t, ws } = await owner();
    const a = await propose(t, ws.id, { kind: "send_reply" });
    const { t: other } = await owner("Other Co");
    for (const [m, p] of [["GET", path(ws.id, a.id)], ["POST", `${path(ws.id, a.id)}/approve`], ["POST", `${path(ws.id, a.id)}/reject`], ["POST", `${path(ws.id, a.id)}/cancel`], ["POST", `${path(ws.id, a.id)}/revert`], ["GET", path(ws.id)], ["GET", `${path(ws.id)}/settings`]] as const) {
      expectStatus(await call(m, p, { token: other.token, body: m === "POST" ? {} : undefined }), 404);
    }
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/actions`, { token: other.token }), 404);
    expectStatus(await call("POST", `${path(ws.id, a.id)}/approve`, { token: t.token, body: { note: 5 } }), 400);
    expectStatus(await call("GET", `${path(ws.id)}?state=bogus`, { token: t.token }), 400);
  });
});
