import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/db/client";
import { openCredentials, WEBHOOK_SECRET } from "../../worker/features/integrations/credentials";
import { BASE } from "../support/harness";
import { call, connectKey, connectOAuth, count, drain, env, ownerWithWorkspace, rowsOf, sandboxControl, syncObject } from "./support";

type Delivery = { headers: Record<string, string>; body: string };

/** Posts a delivery to our endpoint exactly as the provider would (raw body, its headers). */
async function deliver(path: string, d: Delivery) {
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method: "POST", headers: d.headers, body: d.body }));
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, any> };
}

const events = (integrationId: string) => count("SELECT 1 FROM webhook_events WHERE integration_id = ?", integrationId);
let seq = 0;
const uid = () => `${Date.now().toString(36)}${++seq}`;

async function webhookSecret(integrationId: string) {
  const row = await env.DB.prepare("SELECT id, org_id AS orgId, workspace_id AS workspaceId FROM integrations WHERE id = ?").bind(integrationId).first<{ id: string; orgId: string; workspaceId: string }>();
  return (await openCredentials(env, createDb(env.DB), row!))[WEBHOOK_SECRET]!;
}

describe("webhooks: Shopify (app-level, signed with the app secret)", () => {
  it("applies a valid delivery once: a replay changes nothing; a bad signature is 401 with nothing stored", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `wh-${uid()}-orders-30.myshopify.com`;
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    const synced = await rowsOf("orders", i.id);

    // A new order at the shop, announced by orders/create.
    const { created } = await sandboxControl<{ created: string[] }>("shopify/mutate", { shop, created: 1 });
    const bad = await sandboxControl<{ delivery: Delivery }>("shopify/webhooks", { shop, topic: "orders/create", badSignature: true });
    const rejected = await deliver("/api/webhooks/shopify", bad.delivery);
    expect(rejected.status).toBe(401);
    expect(await events(i.id)).toBe(0);
    expect(await rowsOf("orders", i.id)).toBe(synced);

    const good = await sandboxControl<{ delivery: Delivery }>("shopify/webhooks", { shop, topic: "orders/create" });
    const first = await deliver("/api/webhooks/shopify", good.delivery);
    expect(first).toMatchObject({ status: 200, json: { applied: 1 } });
    expect(await rowsOf("orders", i.id)).toBe(synced + 1);
    expect(await count("SELECT 1 FROM orders WHERE integration_id = ? AND provider_id = ?", i.id, created[0])).toBe(1);
    const snapshot = await env.DB.prepare("SELECT * FROM orders WHERE integration_id = ? ORDER BY provider_id").bind(i.id).all();

    const replay = await deliver("/api/webhooks/shopify", good.delivery);
    expect(replay).toMatchObject({ status: 200, json: { applied: 0, duplicate: true } });
    expect(await events(i.id)).toBe(1);
    expect((await env.DB.prepare("SELECT * FROM orders WHERE integration_id = ? ORDER BY provider_id").bind(i.id).all()).results).toEqual(snapshot.results);

    // A tampered body with the original signature is refused too.
    const tampered = await deliver("/api/webhooks/shopify", { ...good.delivery, body: good.delivery.body.replace(/"total_price":"[^"]*"/, '"total_price":"0.01"') });
    expect(tampered.status).toBe(401);
  });

  it("deletes on orders/delete and marks the integration needs-reconnect on app/uninstalled", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `whd-${uid()}-orders-25.myshopify.com`;
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    const before = await rowsOf("orders", i.id);
    const del = await sandboxControl<{ delivery: Delivery }>("shopify/webhooks", { shop, topic: "orders/delete", orderIndex: 3 });
    expect((await deliver("/api/webhooks/shopify", del.delivery)).status).toBe(200);
    expect(await rowsOf("orders", i.id)).toBe(before - 1);
    const gone = await sandboxControl<{ delivery: Delivery }>("shopify/webhooks", { shop, topic: "app/uninstalled" });
    expect((await deliver("/api/webhooks/shopify", gone.delivery)).status).toBe(200);
    const view = (await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json;
    expect(view.status).toBe("needs_reconnect");
    expect(view.lastError).toMatch(/uninstalled/);
  });
});

describe("webhooks: per-integration secrets", () => {
  it("WooCommerce: QWEB registers its hook with a per-integration secret; valid / invalid / replayed deliveries", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const storeUrl = `https://wh-${uid()}-orders-40.example`;
    const i = await connectKey(t, ws.id, "woocommerce", { storeUrl, consumerKey: "ck_sandbox_wh", consumerSecret: "cs_sandbox_wh" });
    await drain(ws.id);
    const before = await rowsOf("orders", i.id);
    await sandboxControl("woocommerce/mutate", { storeUrl, created: 1 });
    // The sandbox signs with the secret QWEB registered through the WooCommerce webhooks API.
    const good = await sandboxControl<{ delivery: Delivery }>("woocommerce/webhooks", { storeUrl, topic: "order.created", target: "http://127.0.0.1:9/unused" });
    const path = `/api/webhooks/woocommerce/${i.id}`;
    const bad = await sandboxControl<{ delivery: Delivery }>("woocommerce/webhooks", { storeUrl, topic: "order.created", badSignature: true, target: "http://127.0.0.1:9/unused" });
    expect((await deliver(path, bad.delivery)).status).toBe(401);
    expect(await events(i.id)).toBe(0);
    expect((await deliver(path, good.delivery)).json).toMatchObject({ applied: 1 });
    expect(await rowsOf("orders", i.id)).toBe(before + 1);
    expect((await deliver(path, good.delivery)).json).toMatchObject({ applied: 0, duplicate: true });
    expect(await events(i.id)).toBe(1);
    // Another integration's URL with this delivery: its own secret does not match.
    const other = await connectKey(t, ws.id, "woocommerce", { storeUrl: `https://wh2-${uid()}-orders-10.example`, consumerKey: "ck_sandbox_wh", consumerSecret: "cs_sandbox_wh" });
    expect((await deliver(`/api/webhooks/woocommerce/${other.id}`, good.delivery)).status).toBe(401);
    expect(await events(other.id)).toBe(0);
  });

  it("Klaviyo: signed with the integration's secret; bad signature 401, replay changes nothing", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const key = `pk_sandbox_wh${uid()}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const i = await connectKey(t, ws.id, "klaviyo", { apiKey: key });
    await drain(ws.id);
    const secret = await webhookSecret(i.id);
    const path = `/api/webhooks/klaviyo/${i.id}`;
    const bad = await sandboxControl<Delivery>("klaviyo/webhook", { key, secret, mode: "bad-signature" });
    expect((await deliver(path, bad)).status).toBe(401);
    const good = await sandboxControl<Delivery>("klaviyo/webhook", { key, secret });
    expect((await deliver(path, good)).status).toBe(200);
    const recorded = await events(i.id);
    expect(recorded).toBeGreaterThan(0);
    const replay = await sandboxControl<Delivery>("klaviyo/webhook", { key, secret, mode: "replay" });
    expect((await deliver(path, replay)).json).toMatchObject({ applied: 0 });
    expect(await events(i.id)).toBe(recorded);
  });

  it("Mailchimp: the secret in the URL; a wrong secret is 401; a row-less notice queues a sync", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const user = `wh-${uid()}`;
    const i = await connectOAuth(t, ws.id, "mailchimp", {}, { login_hint: user });
    await drain(ws.id);
    const secret = await webhookSecret(i.id);
    const url = `${BASE}/api/webhooks/mailchimp/${i.id}`;
    const send = async (d: { url: string; body: string; headers: Record<string, string> }) => {
      const res = await exports.default.fetch(new Request(d.url, { method: "POST", headers: d.headers, body: d.body }));
      return { status: res.status, json: (await res.json()) as Record<string, any> };
    };
    expect((await send(await sandboxControl("mailchimp/webhook", { user, url, secret, mode: "bad-secret" }))).status).toBe(401);
    expect(await events(i.id)).toBe(0);
    // Saving a webhook in Mailchimp first checks the URL with a GET.
    expect((await call("GET", `/api/webhooks/mailchimp/${i.id}`)).status).toBe(200);
    await env.DB.prepare("UPDATE integrations SET last_sync_at = 0 WHERE id = ?").bind(i.id).run();
    const good = await sandboxControl<{ url: string; body: string; headers: Record<string, string> }>("mailchimp/webhook", { user, url, secret, type: "subscribe" });
    expect((await send(good)).json).toMatchObject({ applied: 1 });
    const st = await syncObject(ws.id).status();
    expect([st.running?.integrationId, ...st.queued.map((q) => q.integrationId)]).toContain(i.id);
    expect((await send(good)).json).toMatchObject({ applied: 0, duplicate: true });
    expect(await events(i.id)).toBe(1);
    await drain(ws.id);
  });

  it("an unknown or disconnected integration's URL answers 401 and stores nothing", async () => {
    const body = { headers: { "content-type": "application/json" }, body: "{}" };
    expect((await deliver(`/api/webhooks/woocommerce/${crypto.randomUUID()}`, body)).status).toBe(401);
    expect((await deliver(`/api/webhooks/nope`, body)).status).toBe(404);
  });
});
