import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../worker/lib/time";
import { daily } from "../retention/support";
import { createDb } from "../../worker/db/client";
import { openSecrets } from "../../worker/features/integrations/credentials";
import { call, connectOAuth, count, drain, env, expectStatus, ownerWithWorkspace, syncObject } from "./support";

let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`;

/** Rows of every D1 table that still mention the integration id, by table. */
async function mentions(integrationId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const out: Record<string, number> = {};
  for (const { name } of results) {
    const cols = (await env.DB.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>()).results.map((c) => c.name);
    const where = cols.map((c) => `CAST("${c}" AS TEXT) = ?1`).join(" OR ");
    const n = await env.DB.prepare(`SELECT COUNT(*) AS n FROM "${name}" WHERE ${where}`).bind(integrationId).first<{ n: number }>();
    if (n?.n) out[name] = n.n;
  }
  return out;
}

describe("disconnect and deletion: P14", () => {
  it("P14, P26: disconnect (at any time, by the user) revokes and deletes the credentials at once and stops syncs; the synced data is present on day 29 and gone after the day-30 cron", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const id = uid();
    const user = `p14-${id}@example.test`;
    const ga4 = await connectOAuth(t, ws.id, "ga4", {}, { login_hint: user });
    const shop = await connectOAuth(t, ws.id, "shopify", { shop: `p14-${id}-orders-40.myshopify.com` });
    await drain(ws.id);
    const property = ga4.account.propertyId!;
    const held = await mentions(ga4.id);
    expect(held).toMatchObject({ integrations: 1, daily_metrics: expect.any(Number), sync_runs: 1, integration_credentials: expect.any(Number) });
    const secrets = await openSecrets(env, createDb(env.DB), { id: ga4.id, orgId: t.orgId, workspaceId: ws.id });

    const res = await call("DELETE", `/api/integrations/${ga4.id}`, { token: t.token });
    expectStatus(res, 204);
    const disconnectedAt = (await env.DB.prepare("SELECT disconnected_at AS at FROM integrations WHERE id = ?").bind(ga4.id).first<{ at: number }>())!.at;
    expect(disconnectedAt).toBeGreaterThan(0);

    // At once: no credential, no schedule or cursor, no sync, not listed; the token is revoked at Google.
    expect(await count("SELECT 1 FROM integration_credentials WHERE integration_id = ?", ga4.id)).toBe(0);
    const state = await runInDurableObject(syncObject(ws.id), (_o, s) =>
      ["queue", "schedule", "cursors"].map((table) => s.storage.sql.exec(`SELECT COUNT(*) AS n FROM ${table} WHERE integration_id = ?`, ga4.id).one().n),
    );
    expect(state).toEqual([0, 0, 0]);
    expectStatus(await call("POST", `/api/integrations/${ga4.id}/sync`, { token: t.token }), 404);
    expectStatus(await call("GET", `/api/integrations/${ga4.id}`, { token: t.token }), 404);
    const list = (await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json;
    expect(list.integrations.map((i: { id: string }) => i.id)).toEqual([shop.id]);
    const report = await fetch(`${env.SANDBOX_URL}/ga4/analyticsdata.googleapis.com/v1beta/properties/${property}:runReport`, {
      method: "POST",
      headers: { authorization: `Bearer ${secrets.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ dateRanges: [{ startDate: "7daysAgo", endDate: "today" }], metrics: [{ name: "sessions" }] }),
    });
    expect(report.status).toBe(401);
    await report.text();

    const metrics = held.daily_metrics!;
    await daily(disconnectedAt + 29 * DAY);
    expect(await count("SELECT 1 FROM daily_metrics WHERE integration_id = ?", ga4.id)).toBe(metrics);
    expect(await count("SELECT 1 FROM sync_runs WHERE integration_id = ?", ga4.id)).toBe(1);

    await daily(disconnectedAt + 30 * DAY);
    // Only the usage log's record that the owner connected and disconnected it remains (P06, 12 months).
    const { activity_log: _log, ...left } = await mentions(ga4.id);
    expect(left).toEqual({});
    // The workspace's other integration is untouched (read from D1: the 30-days-later cron also expired the owner's session).
    expect(await count("SELECT 1 FROM orders WHERE integration_id = ?", shop.id)).toBe(40);
    expect(await count("SELECT 1 FROM integrations WHERE id = ? AND status = 'active'", shop.id)).toBe(1);
  });

  it("only organization admins and workspace admins disconnect; a disconnected integration cannot be disconnected twice", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const i = await connectOAuth(t, ws.id, "shopify", { shop: `p14b-${uid()}-orders-5.myshopify.com` });
    await drain(ws.id);
    const { t: editor } = await ownerWithWorkspace();
    await env.DB.prepare("INSERT INTO portal_access (id, org_id, workspace_id, user_id, role, created_at) VALUES (?, ?, ?, ?, 'editor', ?)")
      .bind(crypto.randomUUID(), t.orgId, ws.id, editor.userId, Date.now())
      .run();
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: editor.token }), 403);
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: t.token }), 204);
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: t.token }), 404);
  });
});
