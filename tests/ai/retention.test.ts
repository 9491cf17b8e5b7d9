import { describe, it } from "vitest";
import { env } from "cloudflare:test";
import { addMonths } from "../../worker/lib/time";
import { PASSWORD } from "../support/harness";
import { count, daily, DAY } from "../retention/support";
import { call, expect, expectStatus, owner, startJob, waitForJob } from "./support";

const usageInsert = (id: string, orgId: string, at: number) =>
  env.DB.prepare("INSERT INTO ai_usage (id, org_id, provider, model, input_tokens, output_tokens, images, cost_micros, currency, duration_ms, outcome, idempotency_key, created_at) VALUES (?, ?, 'openai', 'gpt-5-mini', 10, 10, 0, 23, 'USD', 5, 'ok', ?, ?)").bind(id, orgId, id, at).run();

describe("retention of AI data", () => {
  it("P16: a usage row 12 months and a day old is purged by the daily run; one a day younger than 12 months stays", async () => {
    const { t } = await owner();
    const now = Date.UTC(2027, 8, 14, 3);
    const cutoff = addMonths(now, -12);
    await usageInsert("u-old", t.orgId, cutoff - DAY);
    await usageInsert("u-young", t.orgId, cutoff + DAY);
    await daily(now);
    expect(await count("SELECT 1 FROM ai_usage WHERE id = 'u-old'")).toBe(0);
    expect(await count("SELECT 1 FROM ai_usage WHERE id = 'u-young'")).toBe(1);
  });

  it("P15: generated content survives 13 months of daily runs and disappears with the organization's purge", async () => {
    const { t, ws } = await owner();
    const j = await waitForJob(t, await startJob(t, ws.id, "image"));
    expect(j.status, j.error).toBe("succeeded");
    const [contentId] = j.contentIds as string[];
    const key = (await env.DB.prepare("SELECT image_key FROM generated_content WHERE id = ?").bind(contentId).first<{ image_key: string }>())!.image_key;
    const start = Date.now();
    for (let m = 1; m <= 13; m++) await daily(addMonths(start, m));
    expect(await count("SELECT 1 FROM generated_content WHERE id = ?", contentId)).toBe(1);
    expect(await env.FILES.head(key)).not.toBeNull();

    // The session expired during those months: sign in again.
    const login = await call("POST", "/api/auth/login", { body: { email: t.email, password: PASSWORD } });
    expectStatus(login, 200);
    const del = await call("DELETE", `/api/privacy/orgs/${t.orgId}`, { token: login.json.accessToken, body: { password: PASSWORD } });
    expectStatus(del, 202);
    await daily(del.json.deletedAt + 30 * DAY);
    expect(await count("SELECT 1 FROM generated_content WHERE org_id = ?", t.orgId)).toBe(0);
    expect(await count("SELECT 1 FROM ai_jobs WHERE org_id = ?", t.orgId)).toBe(0);
    expect(await count("SELECT 1 FROM ai_usage WHERE org_id = ?", t.orgId)).toBe(0);
    expect(await env.FILES.head(key)).toBeNull();
  });

  it("P17: an expired pattern is never served; a read after expiry regenerates it; the daily run purges expired rows", async () => {
    const { t, ws } = await owner();
    const first = await call("GET", `/api/workspaces/${ws.id}/ai/patterns`, { token: t.token });
    expectStatus(first, 200);
    expect(first.json.expiresAt - first.json.computedAt).toBe(30 * DAY);
    const again = await call("GET", `/api/workspaces/${ws.id}/ai/patterns`, { token: t.token });
    expect(again.json.computedAt).toBe(first.json.computedAt);
    // Age the stored pattern past its expiry: it must not be served, and a fresh one is made.
    await env.DB.prepare("UPDATE content_patterns SET computed_at = computed_at - ?, expires_at = ? WHERE workspace_id = ?").bind(31 * DAY, Date.now() - DAY, ws.id).run();
    const fresh = await call("GET", `/api/workspaces/${ws.id}/ai/patterns`, { token: t.token });
    expect(fresh.json.computedAt).toBeGreaterThan(first.json.computedAt);
    expect(fresh.json.expiresAt).toBeGreaterThan(Date.now());
    expect(await count("SELECT 1 FROM content_patterns WHERE workspace_id = ?", ws.id)).toBe(2);
    await daily(Date.now());
    expect(await count("SELECT 1 FROM content_patterns WHERE workspace_id = ? AND expires_at < ?", ws.id, Date.now())).toBe(0);
    expect(await count("SELECT 1 FROM content_patterns WHERE workspace_id = ?", ws.id)).toBe(1);
  });
});
