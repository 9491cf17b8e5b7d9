// Ads management against the sandboxes over HTTP: the campaigns table from the synced rows, pause /
// resume / budget through the approval path, reflected at the provider and in the next sync; the
// shared Google budget warning; revert of a budget change; guardrails; tenant isolation.
import { describe, expect, it } from "vitest";
import { inviteAndAccept } from "../support/harness";
import { call, connectOAuth, drain, env, expectStatus, ownerWithWorkspace, sandboxControl } from "../integrations/support";
import { settle } from "../actions/support";

let n = 0;
const uid = (tag: string) => `${tag}-${Date.now().toString(36)}-${++n}`;

type Campaign = { integrationId: string; providerId: string; name: string; status: string; dailyBudgetMinor: number | null; sharedBudget: boolean; sharedWith: number; budgetId: string | null; channel: string; pending: unknown[]; pacing: unknown };

async function campaigns(token: string, ws: string): Promise<Campaign[]> {
  const res = await call("GET", `/api/workspaces/${ws}/ads/campaigns`, { token });
  expectStatus(res, 200);
  return res.json.campaigns;
}

async function resync(token: string, ws: string, integrationId: string) {
  expectStatus(await call("POST", `/api/integrations/${integrationId}/sync`, { token }), 202);
  await drain(ws);
}

const row = (integrationId: string, providerId: string) =>
  env.DB.prepare("SELECT status, daily_budget_minor AS daily FROM ad_campaigns WHERE integration_id = ? AND provider_id = ?").bind(integrationId, providerId).first<{ status: string; daily: number | null }>();

describe("ads: Meta", () => {
  it("pause proposed by an editor, approved by the client's portal admin, is paused at Meta and in the next sync; resume brings it back", async () => {
    const slug = uid("meta-ads");
    const { t, ws } = await ownerWithWorkspace("Ads Client");
    const i = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
    await drain(ws.id);
    const list = await campaigns(t.token, ws.id);
    const active = list.find((c) => c.status === "ACTIVE" && c.dailyBudgetMinor)!;
    expect(active).toBeDefined();
    const portal = await inviteAndAccept(t, { workspaceId: ws.id }, "admin", "Carla Client");
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/actions/settings/pause_campaign`, { token: t.token, body: { autopilot: false, limits: {}, approvers: ["portal_admin"] } }), 200);

    const base = `/api/workspaces/${ws.id}/ads/integrations/${i.id}/campaigns/${active.providerId}`;
    const p = await call("POST", `${base}/pause`, { token: t.token, body: {} });
    expectStatus(p, 201);
    expect(p.json.action).toMatchObject({ kind: "pause_campaign", state: "proposed", canApprove: false });
    expectStatus(await call("POST", `${base}/pause`, { token: t.token, body: {} }), 409);
    expect((await campaigns(t.token, ws.id)).find((c) => c.providerId === active.providerId)!.pending).toHaveLength(1);

    const approved = await call("POST", `/api/workspaces/${ws.id}/actions/${p.json.action.id}/approve`, { token: portal.token, body: {} });
    expectStatus(approved, 200);
    expect((await settle(t.token, ws.id, p.json.action.id)).state).toBe("done");
    const user = await sandboxControl(`meta/user?user=${slug}`);
    expect(user.campaigns.find((c: { id: string }) => c.id === active.providerId).status).toBe("PAUSED");
    expect((await sandboxControl(`meta/writes`))[active.providerId]).toBe(1);
    await env.DB.prepare("UPDATE ad_campaigns SET status = 'ACTIVE' WHERE integration_id = ? AND provider_id = ?").bind(i.id, active.providerId).run();
    await resync(t.token, ws.id, i.id);
    expect((await row(i.id, active.providerId))!.status).toBe("PAUSED");

    const r = await call("POST", `${base}/resume`, { token: t.token, body: {} });
    expectStatus(r, 201);
    // Resuming keeps the default policy (team editors and admins): the portal admin may not.
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/actions/${r.json.action.id}/approve`, { token: portal.token, body: {} }), 403);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/actions/${r.json.action.id}/approve`, { token: t.token, body: {} }), 200);
    expect((await settle(t.token, ws.id, r.json.action.id)).state).toBe("done");
    await resync(t.token, ws.id, i.id);
    expect((await row(i.id, active.providerId))!.status).toBe("ACTIVE");
  });

  it("a budget change inside ±20 % runs on autopilot, one outside waits; a done change is reverted in one click", async () => {
    const slug = uid("meta-budget");
    const { t, ws } = await ownerWithWorkspace("Budget Client");
    const i = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
    await drain(ws.id);
    const c = (await campaigns(t.token, ws.id)).find((x) => x.dailyBudgetMinor && x.dailyBudgetMinor >= 1000)!;
    const original = c.dailyBudgetMinor!;
    expectStatus(await call("PUT", `/api/workspaces/${ws.id}/actions/settings/change_budget`, { token: t.token, body: { autopilot: true, limits: { maxChangePct: 20 } } }), 200);
    const base = `/api/workspaces/${ws.id}/ads/integrations/${i.id}/campaigns/${c.providerId}`;

    const outside = await call("POST", `${base}/budget`, { token: t.token, body: { dailyBudgetMinor: Math.round(original * 1.5) } });
    expectStatus(outside, 201);
    expect(outside.json.action).toMatchObject({ state: "proposed", waitReason: expect.stringMatching(/50\.0 %.*±20 %/) });
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/actions/${outside.json.action.id}/reject`, { token: t.token, body: {} }), 200);

    const inside = await call("POST", `${base}/budget`, { token: t.token, body: { dailyBudgetMinor: Math.round(original * 1.1) } });
    expect(inside.json.action).toMatchObject({ state: "approved", approvedAs: "autopilot" });
    const done = await settle(t.token, ws.id, inside.json.action.id);
    expect(done).toMatchObject({ state: "done", revertible: true });
    const atMeta = async () => (await sandboxControl(`meta/user?user=${slug}`)).campaigns.find((x: { id: string }) => x.id === c.providerId).dailyBudget;
    expect(await atMeta()).toBe(Math.round(original * 1.1));

    const undo = await call("POST", `/api/workspaces/${ws.id}/actions/${done.id}/revert`, { token: t.token });
    expectStatus(undo, 201);
    expect(undo.json).toMatchObject({ revertOf: done.id, kind: "change_budget", summary: expect.stringMatching(/^Undo:/) });
    expect((await settle(t.token, ws.id, undo.json.id)).state).toBe("done");
    expect(await atMeta()).toBe(original);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/actions/${done.id}/revert`, { token: t.token }), 409);
    await resync(t.token, ws.id, i.id);
    expect((await row(i.id, c.providerId))!.daily).toBe(original);
  });
});

describe("ads: Google Ads", () => {
  it("warns that a shared budget changes every campaign using it; approved, the sandbox and the next sync show the new amount on both", async () => {
    const user = `${uid("gads-manage")}@example.test`;
    const { t, ws } = await ownerWithWorkspace("Search Client");
    const i = await connectOAuth(t, ws.id, "google-ads", {}, { login_hint: user });
    await drain(ws.id);
    const list = await campaigns(t.token, ws.id);
    const shared = list.filter((c) => c.sharedBudget);
    expect(shared.length).toBe(2);
    expect(shared[0]!.sharedWith).toBe(2);
    const target = shared[0]!;
    const to = target.dailyBudgetMinor! + 500;
    const res = await call("POST", `/api/workspaces/${ws.id}/ads/integrations/${i.id}/campaigns/${target.providerId}/budget`, { token: t.token, body: { dailyBudgetMinor: to } });
    expectStatus(res, 201);
    expect(res.json.warning).toMatch(/shared by 2 campaigns/);
    expect(res.json.action.summary).toMatch(/shared budget/);
    await call("POST", `/api/workspaces/${ws.id}/actions/${res.json.action.id}/approve`, { token: t.token, body: {} });
    expect((await settle(t.token, ws.id, res.json.action.id)).state).toBe("done");
    expect((await sandboxControl(`google-ads/writes`))[target.budgetId!]).toBe(1);
    await resync(t.token, ws.id, i.id);
    for (const c of shared) expect((await row(i.id, c.providerId))!.daily).toBe(to);

    const pause = await call("POST", `/api/workspaces/${ws.id}/ads/integrations/${i.id}/campaigns/${list.find((c) => c.status === "ENABLED")!.providerId}/pause`, { token: t.token, body: {} });
    expectStatus(pause, 201);
    await call("POST", `/api/workspaces/${ws.id}/actions/${pause.json.action.id}/approve`, { token: t.token, body: {} });
    expect((await settle(t.token, ws.id, pause.json.action.id)).state).toBe("done");
    const accounts = await sandboxControl(`google-ads/accounts?user=${encodeURIComponent(user)}`);
    expect(accounts.clients[0].campaigns.find((c: { id: string }) => c.id === pause.json.action.subjectId.split(":")[1]).status).toBe("PAUSED");
  });
});

describe("ads: security", () => {
  it("another organization's campaigns answer 404; bad budgets answer 400", async () => {
    const { t, ws } = await ownerWithWorkspace("Victim Ads");
    const { t: other } = await ownerWithWorkspace("Other");
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/ads/campaigns`, { token: other.token }), 404);
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/ads/campaigns`, { token: other.token }), 404);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ads/integrations/x/campaigns/y/pause`, { token: other.token, body: {} }), 404);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ads/integrations/x/campaigns/y/pause`, { token: t.token, body: {} }), 404);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ads/integrations/x/campaigns/y/budget`, { token: t.token, body: { dailyBudgetMinor: -5 } }), 400);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/ads/integrations/x/campaigns/y/budget`, { token: t.token, body: {} }), 400);
    expect((await call("GET", `/api/orgs/${t.orgId}/ads/campaigns`, { token: t.token })).json.campaigns).toEqual([]);
  });
});
