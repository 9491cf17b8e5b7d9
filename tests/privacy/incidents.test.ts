import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, waitForEmail, type Tenant } from "../support/harness";
import { HOUR } from "../../worker/lib/time";
import { FREQUENT_CRON, runCron } from "../retention/support";
import { newOperator } from "./support";

const incident = (detectedAt: number) => ({
  title: "Leaked report links",
  detectedAt,
  nature: "Shared report links were indexed by a search engine for 2 days.",
  dataCategories: ["client names", "campaign spend"],
  subjectCategories: ["agency users", "client contacts"],
  likelyConsequences: "Competitors could have seen campaign budgets.",
  measuresTaken: "Links revoked, robots headers added, search engine removal requested.",
});

async function create(op: Tenant, detectedAt: number) {
  const res = await call("POST", "/api/operator/incidents", { token: op.token, body: incident(detectedAt) });
  expectStatus(res, 201);
  return res.json.incident;
}

const incidentAlerts = async (userId: string) =>
  (await env.DB.prepare(`SELECT title FROM notifications WHERE user_id = ? AND kind = 'incident-alert'`).bind(userId).all<{ title: string }>()).results.map((r) => r.title);

describe("breach notification (P24)", () => {
  it("P24: an incident has a 72-hour deadline; notifying the affected users sends each an in-app and email notice with its contents, once, and records delivery", async () => {
    const op = await newOperator();
    const affected = await newTenant({ name: "Hit" });
    const bystander = await newTenant({ name: "Safe" });
    const detectedAt = Date.now() - 5 * HOUR;
    const inc = await create(op, detectedAt);
    expect(inc.deadlineAt).toBe(detectedAt + 72 * HOUR);

    const sent = await call("POST", `/api/operator/incidents/${inc.id}/notify`, { token: op.token, body: { orgIds: [affected.orgId] } });
    expectStatus(sent, 200);
    expect(sent.json.notified).toBe(1);
    expect(sent.json.incident).toMatchObject({ status: "notified", usersNotifiedAt: expect.any(Number) });
    expect(sent.json.notices).toMatchObject({ users: 1, emails: 1 });

    const note = await env.DB.prepare(`SELECT title, body FROM notifications WHERE user_id = ? AND kind = 'breach'`).bind(affected.userId).first<{ title: string; body: string }>();
    for (const part of [incident(0).nature, "client names, campaign spend", "agency users, client contacts", incident(0).likelyConsequences, incident(0).measuresTaken]) {
      expect(note?.body).toContain(part);
    }
    const mail = await waitForEmail(affected.email.toLowerCase(), (m) => m.subject.startsWith("Security notice"));
    expect(mail.text).toContain(incident(0).measuresTaken);
    const bystanderNotes = await env.DB.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND kind = 'breach'`).bind(bystander.userId).first<{ n: number }>();
    expect(bystanderNotes?.n).toBe(0);

    const again = await call("POST", `/api/operator/incidents/${inc.id}/notify`, { token: op.token, body: { orgIds: [affected.orgId] } });
    expect(again.json.notified).toBe(0);
    const delivery = await env.DB.prepare(`SELECT notification_id, email_message_id, notified_at FROM incident_notices WHERE incident_id = ? AND user_id = ?`).bind(inc.id, affected.userId).all();
    expect(delivery.results).toHaveLength(1);
    expect(delivery.results[0]).toMatchObject({ notification_id: expect.any(String), email_message_id: expect.any(String) });

    const authority = await call("PATCH", `/api/operator/incidents/${inc.id}`, { token: op.token, body: { authorityNotifiedAt: Date.now(), authorityReference: "CNIL-2027-0042" } });
    expect(authority.json.incident).toMatchObject({ authorityReference: "CNIL-2027-0042" });
  });

  it("P24: an incident still unnotified 12 hours before its deadline raises one alert to the operators, and not earlier", async () => {
    const op = await newOperator();
    const detectedAt = Date.UTC(2027, 4, 1, 8);
    const inc = await create(op, detectedAt);
    await runCron(FREQUENT_CRON, detectedAt + 59 * HOUR);
    expect(await incidentAlerts(op.userId)).toEqual([]);
    await runCron(FREQUENT_CRON, detectedAt + 60 * HOUR);
    await runCron(FREQUENT_CRON, detectedAt + 61 * HOUR);
    expect(await incidentAlerts(op.userId)).toEqual([`Incident "Leaked report links": notify users within 12 h`]);
    await waitForEmail(op.email.toLowerCase(), (m) => m.subject.includes("notify users within 12 h"));
    const listed = await call("GET", "/api/operator/incidents", { token: op.token });
    expect(listed.json.incidents.find((i: { id: string }) => i.id === inc.id)).toMatchObject({ deadlineAt: detectedAt + 72 * HOUR, alertedAt: detectedAt + 60 * HOUR });
  });

  it("P24: incident records are for operators only", async () => {
    const op = await newOperator();
    const u = await newTenant();
    const inc = await create(op, Date.now());
    expectStatus(await call("GET", "/api/operator/incidents", { token: u.token }), 404);
    expectStatus(await call("POST", `/api/operator/incidents/${inc.id}/notify`, { token: u.token, body: { all: true } }), 404);
  });
});

describe("breach notification at scale (P24, D1's 100 bound parameters)", () => {
  it("P24: notifying an organization of 250 users reaches every one of them once, in the app and by email", async () => {
    const op = await newOperator();
    const owner = await newTenant({ name: "Big" });
    const now = Date.now();
    const ids = Array.from({ length: 249 }, (_, i) => `bulk-${owner.orgId}-${String(i).padStart(3, "0")}`);
    await env.DB.batch(
      ids.flatMap((id) => [
        env.DB.prepare(`INSERT INTO users (id, email, name, password_hash, birth_date, created_at, updated_at) VALUES (?, ?, 'Bulk', 'x', '1990-01-01', ?, ?)`).bind(id, `${id}@example.test`, now, now),
        env.DB.prepare(`INSERT INTO memberships (id, org_id, user_id, role, created_at) VALUES (?, ?, ?, 'member', ?)`).bind(`m-${id}`, owner.orgId, id, now),
      ]),
    );
    const inc = await create(op, now - HOUR);

    const sent = await call("POST", `/api/operator/incidents/${inc.id}/notify`, { token: op.token, body: { orgIds: [owner.orgId] } });
    expectStatus(sent, 200);
    expect(sent.json.notified).toBe(250);
    expect(sent.json.notices).toMatchObject({ users: 250, emails: 250 });
    const notes = await env.DB.prepare(
      `SELECT COUNT(DISTINCT n.user_id) AS n FROM notifications n JOIN memberships m ON m.user_id = n.user_id WHERE m.org_id = ? AND n.kind = 'breach'`,
    ).bind(owner.orgId).first<{ n: number }>();
    expect(notes?.n).toBe(250);

    const again = await call("POST", `/api/operator/incidents/${inc.id}/notify`, { token: op.token, body: { orgIds: [owner.orgId] } });
    expectStatus(again, 200);
    expect(again.json.notified).toBe(0);
  });
});
