import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, newWorkspace, PASSWORD } from "../support/harness";
import { tablesMentioning, daily } from "../retention/support";
import { newOperator, seedAccount, signIn } from "./support";

describe("operators", () => {
  it("P23: an operator flags a child's account: erased at once with its own organization, no grace period, and the action audited", async () => {
    const op = await newOperator();
    const child = await newTenant({ name: "Kid" });
    await newWorkspace(child, "Homework");
    await seedAccount(child);
    const found = await call("GET", `/api/operator/users?email=${encodeURIComponent(child.email)}`, { token: op.token });
    expectStatus(found, 200);

    const res = await call("POST", `/api/operator/users/${found.json.user.id}/child`, { token: op.token, body: { note: "Parent wrote to privacy@ with proof of age" } });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ erased: true, organizations: 1 });
    // Left: only the operator's own audit of the action, naming an id that no longer resolves to anyone.
    expect(await tablesMentioning(child.userId)).toEqual(["activity_log (1)"]);
    const audited = await env.DB.prepare(`SELECT user_id, action FROM activity_log WHERE target_id = ?`).bind(child.userId).first();
    expect(audited).toMatchObject({ user_id: op.userId });
    expect(await tablesMentioning(child.orgId)).toEqual([]);
    expect((await env.FILES.list({ prefix: `privacy/${child.userId}/` })).objects).toEqual([]);
    expectStatus(await call("GET", "/api/me", { token: child.token }), 401);
    expectStatus(await call("POST", "/api/auth/login", { body: { email: child.email, password: PASSWORD } }), 401);

    const audit = await call("GET", `/api/operator/dsr/${res.json.requestId}`, { token: op.token });
    expect(audit.json.request).toMatchObject({ kind: "erasure", source: "operator", status: "completed", userId: null, email: null });
    expect(audit.json.request.actions).toEqual(expect.arrayContaining(["Flagged as a child's account by an operator", expect.stringMatching(/^Erased by the retention run/)]));
    expect(audit.json.events.map((e: { action: string }) => e.action)).toEqual(["received", "note", "status: completed"]);
  });

  it("P23: a child flag needs an operator; a customer (even an organization owner) gets 404 and nothing happens", async () => {
    const owner = await newTenant();
    const victim = await newTenant();
    expectStatus(await call("POST", `/api/operator/users/${victim.userId}/child`, { token: owner.token, body: {} }), 404);
    expectStatus(await call("GET", "/api/me", { token: victim.token }), 200);
  });

  it("purge reports are visible to operators", async () => {
    const op = await newOperator();
    const now = Date.UTC(2028, 1, 1, 3);
    await daily(now);
    const token = await signIn(op);
    const res = await call("GET", "/api/operator/purge-reports", { token });
    expectStatus(res, 200);
    const run = res.json.reports.filter((r: { scheduledAt: number }) => r.scheduledAt === now);
    expect(run.length).toBeGreaterThan(10);
    expect(run[0]).toMatchObject({ cron: "0 3 * * *", complete: true, rowsDeleted: expect.any(Number), durationMs: expect.any(Number) });
    const overview = await call("GET", "/api/operator/overview", { token });
    expect(overview.json.lastPurgeRun).toMatchObject({ scheduledAt: now });
  });
});
