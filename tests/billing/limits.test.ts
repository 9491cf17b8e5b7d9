import { describe, expect, it } from "vitest";
import { call, env, expectStatus, inviteAndAccept, newTenant, newWorkspace, uniqueEmail, type Tenant } from "../support/harness";
import { sandboxControl } from "../support/connectors";
import { billing, subscribe } from "./support";

const DAY = 86_400_000;

/** Subscribed through the sandbox, then past due since eight days ago (the grace period is seven). */
async function pastGrace(t: Tenant) {
  await subscribe(t, "agency");
  await env.DB.prepare("UPDATE billing_accounts SET status = 'past_due', past_due_since = ? WHERE org_id = ?").bind(Date.now() - 8 * DAY, t.orgId).run();
}

const invitePerson = (t: Tenant) => call("POST", `/api/orgs/${t.orgId}/invitations`, { token: t.token, body: { email: uniqueEmail("seat"), role: "member" } });

describe("billing: plan limits (P07)", () => {
  it("P07: seats — members plus open invitations stop at the plan's seats with a 402 and the upgrade path; revoking frees one", async () => {
    const t = await newTenant({ name: "Seats" });
    await inviteAndAccept(t, { orgId: t.orgId }, "member", "Member One");
    const open = await invitePerson(t);
    expectStatus(open, 201);
    const refused = await invitePerson(t);
    expectStatus(refused, 402);
    expect(refused.json.error.message).toMatch(/Free plan includes 3 seats/);
    expect(refused.json.error.message).toMatch(/Settings → Billing/);
    expect(refused.json.error.details).toMatchObject({ limit: "seats", allowed: 3, upgradeUrl: "/settings/billing" });
    expect((await billing(t)).usage.seats).toBe(3);
    expectStatus(await call("DELETE", `/api/orgs/${t.orgId}/invitations/${open.json.invitation.id}`, { token: t.token }), 204);
    expectStatus(await invitePerson(t), 201);
  });

  it("P07: a subscription raises the seat limit", async () => {
    const t = await newTenant({ name: "SeatsUp" });
    expectStatus(await invitePerson(t), 201);
    expectStatus(await invitePerson(t), 201);
    expectStatus(await invitePerson(t), 402);
    await subscribe(t, "starter");
    expectStatus(await invitePerson(t), 201);
    expect((await billing(t)).limits.seats).toBe(5);
  });

  it("P07: connected accounts — the plan's number of live connections, then 402 with the upgrade path", async () => {
    const t = await newTenant({ name: "Accounts" });
    const ws = await newWorkspace(t, "Connected client");
    const now = Date.now();
    for (let i = 0; i < 5; i++) {
      await env.DB.prepare("INSERT INTO integrations (id, org_id, workspace_id, provider, status, label, account_key, created_at, updated_at) VALUES (?, ?, ?, 'klaviyo', 'active', ?, ?, ?, ?)")
        .bind(`int_${t.orgId}_${i}`, t.orgId, ws.id, `Account ${i}`, `acct-${i}`, now, now)
        .run();
    }
    expect((await billing(t)).usage.connectedAccounts).toBe(5);
    const key = `pk_sandbox_limit${Date.now().toString(36)}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const refused = await call("POST", `/api/workspaces/${ws.id}/integrations/klaviyo/connect`, { token: t.token, body: { fields: { apiKey: key } } });
    expectStatus(refused, 402);
    expect(refused.json.error.message).toMatch(/Free plan includes 5 connected accounts/);
    expect(refused.json.error.details).toMatchObject({ limit: "connectedAccounts", allowed: 5 });
    await env.DB.prepare("UPDATE integrations SET status = 'disconnected' WHERE id = ?").bind(`int_${t.orgId}_0`).run();
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/integrations/klaviyo/connect`, { token: t.token, body: { fields: { apiKey: key } } }), 201);
  });

  it("P07: the monthly AI budget — once this month's AI spend reaches it, new AI jobs answer 402; usage shows the spend", async () => {
    const t = await newTenant({ name: "AIBudget" });
    const ws = await newWorkspace(t, "AI client");
    // $5.00 of usage (micro-units) this month: the Free plan's whole budget.
    await env.DB.prepare("INSERT INTO ai_usage (id, org_id, workspace_id, provider, model, input_tokens, output_tokens, images, cost_micros, currency, duration_ms, outcome, idempotency_key, created_at) VALUES (?, ?, ?, 'local', 'test', 1, 1, 0, 5000000, 'USD', 1, 'ok', ?, ?)")
      .bind(`u_${t.orgId}`, t.orgId, ws.id, `idem_${t.orgId}`, Date.now())
      .run();
    const refused = await call("POST", `/api/workspaces/${ws.id}/ai/jobs`, { token: t.token, body: { kind: "social_post", input: {} } });
    expectStatus(refused, 402);
    expect(refused.json.error.message).toMatch(/Free plan includes \$5\.00 of AI a month/);
    expect(refused.json.error.details).toMatchObject({ limit: "aiBudgetMinor", allowed: 500 });
    expect((await billing(t)).usage.aiSpendMinor).toBe(500);
  });
});

describe("billing: read-only after the grace period, for the whole organization (P07)", () => {
  it("P07: every write of the organization answers 402 while reads, billing and privacy stay open; nothing is deleted", async () => {
    const t = await newTenant({ name: "ReadOnly" });
    const ws = await newWorkspace(t, "Frozen client");
    await pastGrace(t);
    expect((await billing(t)).access).toBe("read_only");
    for (const [method, path, body] of [
      ["PATCH", `/api/workspaces/${ws.id}`, { description: "changed" }],
      ["PATCH", `/api/orgs/${t.orgId}`, { name: "Renamed" }],
      ["POST", `/api/orgs/${t.orgId}/finance/projects`, { workspaceId: ws.id, name: "Blocked" }],
      ["POST", `/api/workspaces/${ws.id}/tasks`, { title: "Blocked task" }],
      ["POST", `/api/orgs/${t.orgId}/invitations`, { email: uniqueEmail("ro"), role: "member" }],
    ] as const) {
      const res = await call(method, path, { token: t.token, body });
      expectStatus(res, 402);
      expect(res.json.error.message).toMatch(/data is safe/);
      expect(res.json.error.details).toMatchObject({ limit: "read_only", upgradeUrl: "/settings/billing" });
    }
    const read = await call("GET", `/api/workspaces/${ws.id}`, { token: t.token });
    expectStatus(read, 200);
    expect(read.json.name).toBe("Frozen client");
    expectStatus(await call("GET", `/api/orgs/${t.orgId}/finance/projects`, { token: t.token }), 200);
    // Billing stays reachable so the card can be fixed.
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/billing/portal`, { token: t.token }), 200);
    // Account settings stay writable.
    expectStatus(await call("PATCH", "/api/me", { token: t.token, body: { name: "Still me" } }), 200);
  });

  it("another organization is unaffected, and a foreign organization's path still answers 404, not 402", async () => {
    const frozen = await newTenant({ name: "Frozen" });
    const fine = await newTenant({ name: "Fine" });
    const frozenWs = await newWorkspace(frozen, "Frozen ws");
    const fineWs = await newWorkspace(fine, "Fine ws");
    await pastGrace(frozen);
    expectStatus(await call("PATCH", `/api/workspaces/${fineWs.id}`, { token: fine.token, body: { description: "ok" } }), 200);
    expectStatus(await call("PATCH", `/api/workspaces/${frozenWs.id}`, { token: fine.token, body: { description: "x" } }), 404);
    expectStatus(await call("POST", `/api/orgs/${frozen.orgId}/finance/projects`, { token: fine.token, body: { workspaceId: frozenWs.id, name: "x" } }), 404);
  });
});
