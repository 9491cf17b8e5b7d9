// Meta through the whole stack: connect via the API and the sandbox's Facebook Login, the sync
// engine writing the new tables, needs-reconnect on #190, the expiry warning, webhooks, P14.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { windowStart } from "../../worker/connectors/meta/graph";
import { DAY } from "../../worker/lib/time";
import { BASE } from "../support/harness";
import { daily } from "../retention/support";
import { call, connectOAuth, count, drain, env, expectStatus, injectFaults, ownerWithWorkspace, rowsOf, sandboxControl } from "../integrations/support";
import { slugOf, statsOf, userOf } from "./meta-support";

const NEW_TABLES = ["social_accounts", "social_insights_daily", "social_posts", "ad_accounts", "ad_campaigns", "ad_sets", "ad_insights_daily"];

async function connectMeta(slug: string) {
  const { t, ws } = await ownerWithWorkspace("Meta Client");
  const i = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
  return { t, ws, i };
}

const integration = async (token: string, id: string) => (await call("GET", `/api/integrations/${id}`, { token })).json as Record<string, any>;

describe("meta: sync engine", () => {
  it("connects through the API, syncs every stream into the new tables with exact rows, stores no token in D1", async () => {
    const slug = slugOf("engine");
    const runAt = Date.now();
    const { t, ws, i } = await connectMeta(slug);
    await drain(ws.id);
    const user = await userOf(slug);
    const s = await statsOf(slug, windowStart(runAt, null));
    const socialRows = Object.values(s.social).reduce((a, x) => a + x.rows!, 0);
    const posts = Object.values(s.social).reduce((a, x) => a + x.posts!, 0);
    const adRows = Object.values(s.ads).reduce((a, x) => a + x.rows, 0);
    expect(await rowsOf("social_insights_daily", i.id)).toBe(socialRows);
    expect(await rowsOf("social_posts", i.id)).toBe(posts);
    expect(await rowsOf("ad_insights_daily", i.id)).toBe(adRows);
    expect(await rowsOf("ad_campaigns", i.id)).toBe(user.campaigns.length);
    expect(await rowsOf("ad_sets", i.id)).toBe(user.adSets.length);
    const spend = await env.DB.prepare("SELECT SUM(spend_minor) AS s, SUM(conversion_value_minor) AS v FROM ad_insights_daily WHERE integration_id = ?").bind(i.id).first<{ s: number; v: number }>();
    expect(spend).toEqual({ s: Object.values(s.ads).reduce((a, x) => a + x.spendMinor, 0), v: Object.values(s.ads).reduce((a, x) => a + x.valueMinor, 0) });
    const view = await integration(t.token, i.id);
    expect(view).toMatchObject({ status: "active", provider: "meta", reconnectBy: null });
    expect(view.rowsSynced).toBe(
      socialRows + posts + adRows + user.campaigns.length + user.adSets.length + user.adAccounts.length + user.pages.length + user.pages.filter((p) => p.ig).length,
    );
    // Tokens live only in the vault.
    const row = await env.DB.prepare("SELECT * FROM integrations WHERE id = ?").bind(i.id).first();
    expect(JSON.stringify(row)).not.toMatch(/EAA[LPS]/);
  });

  it("a token expiring within 7 days shows 'reconnect before'; #190 during a sync marks the integration needs-reconnect", async () => {
    const slug = slugOf("ttl");
    await sandboxControl("meta/config", { user: slug, ttl: 3 * 86_400 });
    const { t, ws, i } = await connectMeta(slug);
    const view = await integration(t.token, i.id);
    expect(view.reconnectBy).toBe(view.tokenExpiresAt);
    expect(view.reconnectBy - Date.now()).toBeLessThan(3 * DAY + 1000);
    await drain(ws.id);

    await injectFaults({ provider: "meta", kind: "token-expired", match: "me/accounts" });
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    const after = await integration(t.token, i.id);
    expect(after.status).toBe("needs_reconnect");
    expect(after.lastError).toMatch(/reconnect|rejected/i);
  });

  it("P14: disconnect purges the social and ads rows after 30 days", async () => {
    const slug = slugOf("p14");
    const { t, ws, i } = await connectMeta(slug);
    await drain(ws.id);
    const held = await Promise.all(NEW_TABLES.map((tb) => rowsOf(tb, i.id)));
    expect(held.every((n) => n > 0)).toBe(true);
    expectStatus(await call("DELETE", `/api/integrations/${i.id}`, { token: t.token }), 204);
    const at = (await env.DB.prepare("SELECT disconnected_at AS at FROM integrations WHERE id = ?").bind(i.id).first<{ at: number }>())!.at;
    await daily(at + 29 * DAY);
    expect(await Promise.all(NEW_TABLES.map((tb) => rowsOf(tb, i.id)))).toEqual(held);
    await daily(at + 30 * DAY);
    expect(await Promise.all(NEW_TABLES.map((tb) => rowsOf(tb, i.id)))).toEqual(NEW_TABLES.map(() => 0));
  });
});

describe("meta: webhooks", () => {
  const hook = (path: string, init: RequestInit = {}) => exports.default.fetch(new Request(`${BASE}${path}`, init));

  it("GET handshake echoes hub.challenge only with the verify token", async () => {
    const ok = await hook("/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=qweb-sandbox-verify-token&hub.challenge=1158201444");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const bad = await hook("/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1");
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
  });

  it("a signed delivery for a Page is applied once (replay is a duplicate); a bad signature is 401 with nothing stored", async () => {
    const slug = slugOf("wh");
    const { ws, i } = await connectMeta(slug);
    await drain(ws.id);
    const pageId = i.account.pages!.split(",")[0]!;
    const body = JSON.stringify({ object: "page", entry: [{ id: pageId, time: 1764590000, changes: [{ field: "feed", value: { item: "post", verb: "add", post_id: `${pageId}_1` } }] }] });
    const { signature } = await sandboxControl<{ signature: string }>("meta/sign", { body });
    const post = (sig: string, b = body) => hook("/api/webhooks/meta", { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": sig }, body: b });
    const events = () => count("SELECT 1 FROM webhook_events WHERE integration_id = ?", i.id);

    const forged = await post(`sha256=${"0".repeat(64)}`);
    expect(forged.status).toBe(401);
    const tampered = await post(signature, body.replace("add", "remove"));
    expect(tampered.status).toBe(401);
    expect(await events()).toBe(0);

    const first = await post(signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ applied: 1 });
    const replay = await post(signature);
    expect(await replay.json()).toMatchObject({ applied: 0, duplicate: true });
    expect(await events()).toBe(1);
  });
});
