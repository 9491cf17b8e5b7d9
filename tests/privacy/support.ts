import { runDurableObjectAlarm } from "cloudflare:test";
import { expect } from "vitest";
import { call, env, expectStatus, newTenant, PASSWORD, type Tenant } from "../support/harness";

/** A platform operator: an ordinary account granted the role the way `npm run operator:create` does. */
export async function newOperator(): Promise<Tenant> {
  const t = await newTenant({ name: "Opal" });
  await env.DB.prepare(`INSERT INTO operators (id, user_id, granted_by, created_at) VALUES (?, ?, 'test', ?)`)
    .bind(crypto.randomUUID(), t.userId, Date.now())
    .run();
  return t;
}

export async function consent(t: Tenant, analytics: boolean, functional = false) {
  const res = await call("PUT", "/api/privacy/consents", { token: t.token, body: { functional, analytics, source: "banner" } });
  expectStatus(res, 200);
  return res.json.consent;
}

export async function pageView(t: Tenant, name = "/dashboard") {
  const res = await call("POST", "/api/analytics/events", { token: t.token, body: { kind: "page_view", name } });
  expectStatus(res, 202);
  return res.json.recorded as boolean;
}

export async function fileRequest(t: Tenant, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/api/privacy/requests", {
    token: t.token,
    body: { kind: "rectification", details: "My birth date is wrong: it should be 1990-04-21", ...body },
  });
  expectStatus(res, 201);
  return res.json.request as { id: string; dueAt: number; receivedAt: number; regime: string; status: string };
}

export async function attach(t: Tenant, requestId: string, name: string, text: string) {
  const res = await call("PUT", `/api/privacy/requests/${requestId}/attachment`, {
    token: t.token,
    body: { name, contentType: "text/plain", dataBase64: btoa(text) },
  });
  expectStatus(res, 200);
}

/** Drives a background export to its end through the Durable Object's alarms. */
export async function finishExport(t: Tenant, jobId: string) {
  const stub = env.PRIVACY_EXPORT.getByName(`export:${t.userId}`);
  for (let i = 0; i < 200; i++) {
    const res = await call("GET", `/api/privacy/exports/${jobId}`, { token: t.token });
    expectStatus(res, 200);
    if (res.json.job.status === "ready" || res.json.job.status === "failed") return res.json.job;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("export did not finish");
}

/** Data about `t` in as many registered tables as a customer can reach, through the API. */
export async function seedAccount(t: Tenant) {
  await consent(t, true, true);
  expect(await pageView(t, "/dashboard")).toBe(true);
  const request = await fileRequest(t);
  await attach(t, request.id, "proof.txt", `passport extract of ${t.email}`);
  const inv = await call("POST", `/api/orgs/${t.orgId}/invitations`, { token: t.token, body: { email: `friend.${t.userId.slice(0, 8)}@example.test`, role: "member" } });
  expectStatus(inv, 201);
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO notifications (id, user_id, kind, title, body, created_at) VALUES (?, ?, 'system', 'Welcome', 'Hello', ?)`).bind(crypto.randomUUID(), t.userId, now),
    env.DB.prepare(`INSERT INTO dev_mailbox (id, message_id, user_id, "to", subject, text, created_at) VALUES (?, ?, ?, ?, 'Hi', 'Body', ?)`).bind(crypto.randomUUID(), crypto.randomUUID(), t.userId, t.email, now),
  ]);
  const job = await call("POST", "/api/privacy/exports", { token: t.token });
  expectStatus(job, 202);
  await finishExport(t, job.json.job.id);
  return { requestId: request.id, jobId: job.json.job.id as string };
}

export async function rowsAbout(table: string, where: string, ...params: unknown[]) {
  return (await env.DB.prepare(`SELECT * FROM "${table}" WHERE ${where}`).bind(...params).all()).results;
}

/** A fresh sign-in: cron runs driven months ahead expire the sessions made at signup (real time). */
export async function signIn(t: Tenant) {
  const res = await call("POST", "/api/auth/login", { body: { email: t.email, password: PASSWORD } });
  expectStatus(res, 200);
  return res.json.accessToken as string;
}
