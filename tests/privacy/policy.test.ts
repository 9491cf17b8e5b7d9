import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, PASSWORD, waitForEmail, type Tenant } from "../support/harness";
import { newOperator } from "./support";
import { FREQUENT_CRON, runCron } from "../retention/support";

const text = "Privacy Policy\nEffective date: 2027-01-15\nWe now also process … (a long enough policy text for the test).";

async function publish(op: Tenant, body: Record<string, unknown>) {
  const res = await call("POST", "/api/operator/policies", { token: op.token, body: { title: "Privacy Policy", text, ...body } });
  expectStatus(res, 201);
  return res.json.version;
}

async function loginAs(t: Tenant, acceptanceRequired?: boolean) {
  const res = await call("POST", "/api/auth/login", { body: { email: t.email, password: PASSWORD } });
  expectStatus(res, 200);
  if (acceptanceRequired !== undefined) expect(res.json.policy.acceptanceRequired).toBe(acceptanceRequired);
  return res.json.accessToken as string;
}

describe("policy versions (P25)", () => {
  it("P25: publishing a material version serves it at /privacy, notifies every user in the app and by email, and asks each to accept at next login", async () => {
    const op = await newOperator();
    const users = [await newTenant({ name: "Una" }), await newTenant({ name: "Dos" })];
    const today = new Date().toISOString().slice(0, 10);
    await publish(op, { version: "2027-material", effectiveDate: today, material: true, summary: "AI providers may now process inbox drafts." });

    const current = await call("GET", "/api/policy/text");
    expect(current.json).toMatchObject({ version: "2027-material", material: true });
    const versions = await call("GET", "/api/policy/versions");
    expect(versions.json.versions.map((v: { version: string }) => v.version)).toEqual(expect.arrayContaining(["2027-material", "2026-03-01"]));

    for (const u of users) {
      const note = await env.DB.prepare(`SELECT title, body FROM notifications WHERE user_id = ? AND kind = 'policy'`).bind(u.userId).first<{ title: string; body: string }>();
      expect(note?.title).toContain("2027-material");
      expect(note?.body).toContain("AI providers may now process inbox drafts.");
      const mail = await waitForEmail(u.email.toLowerCase(), (m) => m.subject.includes("2027-material"));
      expect(mail.text).toContain("next time you sign in");

      const token = await loginAs(u, true);
      const status = await call("GET", "/api/privacy/policy", { token });
      expect(status.json).toMatchObject({ acceptanceRequired: true, current: { version: "2027-material" } });
      expectStatus(await call("POST", "/api/privacy/policy/accept", { token, body: { version: "2026-03-01" } }), 422);
      const accepted = await call("POST", "/api/privacy/policy/accept", { token, body: { version: "2027-material" } });
      expectStatus(accepted, 200);
      expect(accepted.json.acceptanceRequired).toBe(false);
      expect(accepted.json.acceptances.map((a: { version: string }) => a.version)).toEqual(["2026-03-01", "2027-material"]);
      await loginAs(u, false);
    }

    // New signups accept the version in force.
    const signup = await call("POST", "/api/auth/signup", {
      body: { email: "late@example.test", password: PASSWORD, name: "Late", organizationName: "Late Co", organizationKind: "business", birthDate: "1990-01-01", acceptPolicyVersion: "2026-03-01" },
    });
    expectStatus(signup, 422);
  });

  it("P25: a non-material version is posted with its date but asks nobody to accept again", async () => {
    const op = await newOperator();
    const u = await newTenant();
    const before = (await call("GET", "/api/privacy/policy", { token: u.token })).json.acceptanceRequired;
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await publish(op, { version: "2027-typo", effectiveDate: tomorrow, material: false });
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND title LIKE '%2027-typo%'`).bind(u.userId).first<{ n: number }>();
    expect(n?.n).toBe(0);
    expect((await call("GET", "/api/privacy/policy", { token: u.token })).json.acceptanceRequired).toBe(before);
  });

  it("P25: announcements to many users continue batch by batch on the frequent trigger", async () => {
    const op = await newOperator();
    const now = Date.now();
    const stmts = [];
    for (let i = 0; i < 620; i++) {
      stmts.push(env.DB.prepare(`INSERT INTO users (id, email, name, password_hash, birth_date, created_at, updated_at) VALUES (?, ?, 'Bulk', 'x', '1990-01-01', ?, ?)`).bind(`bulk-${String(i).padStart(4, "0")}`, `bulk${i}@example.test`, now, now));
    }
    for (let i = 0; i < stmts.length; i += 100) await env.DB.batch(stmts.slice(i, i + 100));
    await publish(op, { version: "2027-bulk", effectiveDate: new Date().toISOString().slice(0, 10), material: true });
    const count = async () => (await env.DB.prepare(`SELECT COUNT(DISTINCT user_id) AS n FROM notifications WHERE title LIKE '%2027-bulk%'`).first<{ n: number }>())!.n;
    const total = (await env.DB.prepare(`SELECT COUNT(*) AS n FROM users WHERE deleted_at IS NULL`).first<{ n: number }>())!.n;
    expect(await count()).toBe(500);
    await runCron(FREQUENT_CRON, Date.now());
    expect(await count()).toBe(total);
  });

  it("only operators publish", async () => {
    const u = await newTenant();
    expectStatus(await call("POST", "/api/operator/policies", { token: u.token, body: { version: "x", effectiveDate: "2027-01-01", title: "t", text, material: true } }), 404);
  });
});
