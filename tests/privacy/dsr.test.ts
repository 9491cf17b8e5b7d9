import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, waitForEmail } from "../support/harness";
import { DUE_DAYS, EXTENSION_DAYS, dueAt } from "../../worker/features/privacy/dsr";
import { DAY, FREQUENT_CRON, runCron } from "../retention/support";
import { fileRequest, newOperator } from "./support";

const alertsOf = async (userId: string) =>
  (await env.DB.prepare(`SELECT title FROM notifications WHERE user_id = ? AND kind = 'dsr-alert' ORDER BY created_at`).bind(userId).all<{ title: string }>()).results.map((r) => r.title);

describe("data-subject requests (P21)", () => {
  it("P21: due dates are 30 days under GDPR and 45 under CCPA, from receipt; one extension each (+60 / +45 days)", async () => {
    const received = Date.UTC(2027, 0, 31, 12);
    expect(dueAt("gdpr", received)).toBe(Date.UTC(2027, 2, 2, 12));
    expect(dueAt("ccpa", received)).toBe(Date.UTC(2027, 2, 17, 12));
    expect(DUE_DAYS).toEqual({ gdpr: 30, ccpa: 45 });

    const op = await newOperator();
    const filed = await call("POST", "/api/operator/dsr", {
      token: op.token,
      body: { email: "someone@example.test", regime: "ccpa", kind: "know", details: "Emailed to privacy@: what do you hold about me?", receivedAt: received },
    });
    expectStatus(filed, 201);
    expect(filed.json.request).toMatchObject({ source: "email", status: "verifying", verification: "pending", dueAt: Date.UTC(2027, 2, 17, 12) });
    const ext = await call("PATCH", `/api/operator/dsr/${filed.json.request.id}`, { token: op.token, body: { extend: true, note: "Complex request; requester told on 2027-03-01" } });
    expectStatus(ext, 200);
    expect(ext.json.request.dueAt).toBe(Date.UTC(2027, 2, 17, 12) + EXTENSION_DAYS.ccpa * DAY);
    expectStatus(await call("PATCH", `/api/operator/dsr/${filed.json.request.id}`, { token: op.token, body: { extend: true } }), 409);
    const done = await call("PATCH", `/api/operator/dsr/${filed.json.request.id}`, { token: op.token, body: { verification: "email", status: "completed", action: "Sent the categories and an export" } });
    expect(done.json.request).toMatchObject({ status: "completed", verification: "email" });
    const trail = await call("GET", `/api/operator/dsr/${filed.json.request.id}`, { token: op.token });
    expect(trail.json.events.map((e: { action: string }) => e.action)).toEqual([
      "received",
      expect.stringContaining("due:"),
      "status: completed, verification: email, action: Sent the categories and an export",
    ]);
  });

  it("P21: a request near its deadline alerts the operators and the organization's owners once; overdue, once more", async () => {
    const op = await newOperator();
    const owner = await newTenant({ name: "Owner" });
    const member = await newTenant({ name: "Member" });
    await env.DB.prepare(`INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES (?, ?, ?, 'member', ?)`).bind(crypto.randomUUID(), owner.orgId, member.userId, Date.now()).run();
    const r = await fileRequest(member, { kind: "rectification", orgId: owner.orgId, details: "Fix my name in the organization's client records" });

    await runCron(FREQUENT_CRON, r.dueAt - 6 * DAY);
    expect(await alertsOf(op.userId)).toEqual([]);
    await runCron(FREQUENT_CRON, r.dueAt - 4 * DAY);
    await runCron(FREQUENT_CRON, r.dueAt - 3 * DAY);
    expect(await alertsOf(op.userId)).toEqual([expect.stringMatching(/due in 4 days/)]);
    expect(await alertsOf(owner.userId)).toEqual([expect.stringMatching(/due in 4 days/)]);
    expect(await alertsOf(member.userId)).toEqual([]);

    await runCron(FREQUENT_CRON, r.dueAt + 60_000);
    await runCron(FREQUENT_CRON, r.dueAt + DAY);
    expect(await alertsOf(op.userId)).toEqual([expect.stringMatching(/due in/), expect.stringMatching(/overdue/)]);
    await waitForEmail(op.email.toLowerCase(), (m) => m.subject.includes("overdue"));

    const queue = await call("GET", "/api/operator/dsr", { token: op.token });
    expect(queue.json.requests.find((x: { id: string }) => x.id === r.id)).toMatchObject({ overdue: false });
  });

  it("P21: the operator queue lists open requests soonest deadline first; closed ones raise no alert", async () => {
    const op = await newOperator();
    const u = await newTenant();
    const first = await fileRequest(u, { regime: "gdpr" });
    const second = await fileRequest(u, { regime: "ccpa", kind: "know" });
    const queue = await call("GET", "/api/operator/dsr", { token: op.token });
    const ids = queue.json.requests.map((x: { id: string }) => x.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expectStatus(await call("POST", `/api/privacy/requests/${second.id}/cancel`, { token: u.token }), 200);
    await runCron(FREQUENT_CRON, second.dueAt + DAY);
    const alerted = await env.DB.prepare(`SELECT alert_level FROM dsr_requests WHERE id = ?`).bind(second.id).first();
    expect(alerted).toEqual({ alert_level: null });
  });

  it("the DSR queue is for operators only", async () => {
    const u = await newTenant();
    expectStatus(await call("GET", "/api/operator/dsr", { token: u.token }), 404);
    expectStatus(await call("GET", "/api/operator/me", { token: u.token }), 404);
  });
});
