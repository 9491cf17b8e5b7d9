import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PAGES_PER_ALARM, type WorkspaceSync } from "../../durable-objects/workspace-sync";
import { call, connectOAuth, count, drain, env, expectStatus, injectFaults, ownerWithWorkspace, rowsOf, runs, sandboxControl, shopifyStats, sleep, syncObject } from "./support";

let n = 0;
const shopName = (tag: string, orders: number) => `${tag}-${Date.now().toString(36)}${++n}-orders-${orders}.myshopify.com`;

/** The shop's rows in D1 equal the provider's: same count, same revenue, same line count. */
async function expectExact(integrationId: string, shop: string) {
  const stats = await shopifyStats(shop);
  expect(await rowsOf("orders", integrationId)).toBe(stats.orders);
  expect(await rowsOf("products", integrationId)).toBe(stats.products);
  expect(await rowsOf("order_lines", integrationId)).toBe(stats.lines);
  const sum = await env.DB.prepare("SELECT SUM(total_minor) AS s FROM orders WHERE integration_id = ?").bind(integrationId).first<{ s: number }>();
  expect(sum?.s).toBe(stats.revenueMinor);
}

/** A shop whose GraphQL cost bucket never throttles, so only the injected faults interrupt. */
async function roomyShop(tag: string, orders: number) {
  const shop = shopName(tag, orders);
  await sandboxControl("shopify/config", { shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
  return shop;
}

const alarmAt = (workspaceId: string) => runInDurableObject(syncObject(workspaceId), (_o, state) => state.storage.getAlarm());

describe("sync engine: faults (Shopify over the sandbox)", () => {
  it("honours Retry-After on a 429, then finishes with exactly the shop's rows", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = await roomyShop("rl", 80);
    // Request 1 is the connect flow's shop lookup, 2 the first orders page; the 3rd gets the 429.
    await injectFaults({ provider: "shopify", kind: "429", match: `${shop}/admin/api`, after: 2, retryAfter: 2 });
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    let live: Record<string, any> = {};
    for (let k = 0; k < 100 && !/rate limited/i.test(live.progress?.detail ?? ""); k++) {
      live = (await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json;
      await sleep(20);
    }
    const seen = Date.now();
    expect(live).toMatchObject({ status: "syncing", progress: { pages: 1, retries: 1 } });
    // The object sleeps until Retry-After (2 s) has passed, not sooner.
    const at = await alarmAt(ws.id);
    expect(at! - seen).toBeGreaterThan(1500);
    expect(at! - seen).toBeLessThanOrEqual(2000);
    await drain(ws.id);
    await expectExact(i.id, shop);
    const [run] = await runs(t, i.id);
    expect(run).toMatchObject({ status: "succeeded", retries: 1 });
    expect(run!.durationMs).toBeGreaterThanOrEqual(1900);
  });

  for (const kind of ["500", "503", "timeout", "malformed", "throttled"] as const) {
    it(`resumes after a ${kind} fault on page 3 without duplicate or missing rows`, async () => {
      const { t, ws } = await ownerWithWorkspace();
      const shop = await roomyShop(`f${kind}`, 70);
      await injectFaults({ provider: "shopify", kind, match: `${shop}/admin/api`, after: 3, count: 2, retryAfter: 1 });
      const i = await connectOAuth(t, ws.id, "shopify", { shop });
      await drain(ws.id);
      await expectExact(i.id, shop);
      const [run] = await runs(t, i.id);
      expect(run).toMatchObject({ status: "succeeded", retries: 2, error: null });
      expect((await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json.status).toBe("active");
    });
  }

  it("refreshes an expired token (401) and carries on", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = await roomyShop("exp", 60);
    await injectFaults({ provider: "shopify", kind: "token-expired", match: `${shop}/admin/api`, after: 1 });
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    const token = (await env.DB.prepare("SELECT ciphertext FROM integration_credentials WHERE integration_id = ? AND field = 'accessToken'").bind(i.id).first<{ ciphertext: string }>())!.ciphertext;
    await drain(ws.id);
    await expectExact(i.id, shop);
    const after = (await env.DB.prepare("SELECT ciphertext FROM integration_credentials WHERE integration_id = ? AND field = 'accessToken'").bind(i.id).first<{ ciphertext: string }>())!.ciphertext;
    expect(after).not.toBe(token);
    expect((await runs(t, i.id))[0]).toMatchObject({ status: "succeeded" });
  });

  it("gives up after repeated server errors, keeps its cursor, and the next sync resumes from it", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = await roomyShop("gu", 100);
    await injectFaults({ provider: "shopify", kind: "500", match: `${shop}/admin/api`, after: 3, count: 5 });
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    const [failed] = await runs(t, i.id);
    expect(failed).toMatchObject({ status: "failed", pages: 2 });
    const status = (await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json;
    expect(status.status).toBe("error");
    // The sentence for people; the provider's raw answer for the workspace's admins.
    expect(status.lastError).toMatch(/did not answer in time/);
    expect(status.lastErrorDetail).toMatch(/500/);
    const cursors = await syncObject(ws.id).cursors(i.id);
    expect(cursors.find((c) => c.stream === "orders")?.cursor).not.toBeNull();

    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    await expectExact(i.id, shop);
    const [resumed] = await runs(t, i.id);
    // 100 orders are 6 pages of 19 (+1 of products): the resumed run fetched only what was left.
    expect(resumed).toMatchObject({ status: "succeeded", reason: "manual" });
    expect(resumed!.pages).toBe(5);
    expect((await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json).toMatchObject({ status: "active", lastError: null });
  });

  it("spreads a long sync over several alarms (page budget per invocation), resuming from the stored cursor", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const orders = 19 * (PAGES_PER_ALARM + 10);
    const shop = await roomyShop("big", orders);
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    // The first backfill was one bulk export; touching every order makes the next sync page through all of them.
    await sandboxControl("shopify/mutate", { shop, updated: orders });
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    await expectExact(i.id, shop);
    const [run] = await runs(t, i.id);
    expect(run!.pages).toBeGreaterThan(PAGES_PER_ALARM);
  });

  it("runs a large shop's first backfill as one bulk export, its id kept in the cursor while the object waits", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = await roomyShop("bulk", 900);
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    let cursor: Record<string, unknown> | null = null;
    for (let k = 0; k < 50 && !cursor?.bulk; k++) {
      await runDurableObjectAlarm(syncObject(ws.id));
      cursor = (await syncObject(ws.id).cursors(i.id)).find((c) => c.stream === "orders")?.cursor ?? null;
    }
    expect(cursor?.bulk).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
    await drain(ws.id);
    await expectExact(i.id, shop);
    const { operations } = await sandboxControl<{ operations: { id: string; status: string }[] }>("shopify/bulk", { shop });
    expect(operations).toEqual([{ id: cursor!.bulk, status: "COMPLETED", objectCount: expect.any(Number), rootObjectCount: 900 }]);
    expect((await runs(t, i.id))[0]).toMatchObject({ status: "succeeded", reason: "initial" });
  });

  it("waits out Shopify's own cost throttle (THROTTLED): an empty leaky bucket that refills at 400 points/s", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = shopName("bucket", 19 * 3);
    await sandboxControl("shopify/config", { shop, maximumAvailable: 1000, restoreRate: 400, currentlyAvailable: 0 });
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    await expectExact(i.id, shop);
    expect((await runs(t, i.id))[0]!.retries).toBeGreaterThan(0);
  });
});

describe("sync engine: failed refresh", () => {
  it("marks the integration needs-reconnect and emails the workspace admins", async () => {
    const { t, ws } = await ownerWithWorkspace("Reconnect Co");
    const shop = shopName("rr", 40);
    const i = await connectOAuth(t, ws.id, "shopify", { shop });
    await drain(ws.id);
    // The shop revokes the grant: access tokens stop working and the refresh token is refused.
    await sandboxControl("shopify/expire", { shop });
    await env.DB.prepare("DELETE FROM integration_credentials WHERE integration_id = ? AND field = 'refreshToken'").bind(i.id).run();
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    const status = (await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json;
    expect(status.status).toBe("needs_reconnect");
    expect(status.lastError).toMatch(/Shopify/);
    expect((await runs(t, i.id))[0]).toMatchObject({ status: "failed" });
    let mail: { subject: string; text: string } | null = null;
    for (let k = 0; k < 60 && !mail; k++) {
      mail = await env.DB.prepare("SELECT subject, text FROM dev_mailbox WHERE \"to\" = ? AND subject LIKE 'Reconnect%'").bind(t.email).first();
      if (!mail) await sleep(100);
    }
    expect(mail?.subject).toContain("Reconnect Shopify for Reconnect Co");
    expect(mail?.text).toContain(`/workspaces/${ws.id}/integrations`);
    // Syncing is refused until the account is reconnected; reconnecting makes it active again.
    expectStatus(await call("POST", `/api/integrations/${i.id}/sync`, { token: t.token }), 409);
    const again = await connectOAuth(t, ws.id, "shopify", { shop });
    expect(again.id).toBe(i.id);
    await drain(ws.id);
    expect((await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json).toMatchObject({ status: "active", lastError: null });
  });
});

describe("sync engine: queue", () => {
  async function threeShops() {
    const { t, ws } = await ownerWithWorkspace();
    const ids: string[] = [];
    for (const tag of ["qa", "qb", "qc"]) ids.push((await connectOAuth(t, ws.id, "shopify", { shop: shopName(tag, 40) })).id);
    await drain(ws.id);
    return { t, ws, ids };
  }

  it("runs one sync at a time per workspace, even when alarms race", async () => {
    const { t, ws, ids } = await threeShops();
    for (const id of ids) expectStatus(await call("POST", `/api/integrations/${id}/sync`, { token: t.token }), 202);
    const stub = syncObject(ws.id);
    await Promise.all([runDurableObjectAlarm(stub), runDurableObjectAlarm(stub), drain(ws.id)]);
    const rows = await env.DB.prepare("SELECT started_at, finished_at FROM sync_runs WHERE workspace_id = ? ORDER BY started_at").bind(ws.id).all<{ started_at: number; finished_at: number }>();
    expect(rows.results).toHaveLength(6);
    for (let k = 1; k < rows.results.length; k++) expect(rows.results[k]!.started_at).toBeGreaterThanOrEqual(rows.results[k - 1]!.finished_at);
  });

  it("coalesces duplicate requests into one sync", async () => {
    const { t, ws, ids } = await threeShops();
    const first = await call("POST", `/api/integrations/${ids[0]}/sync`, { token: t.token });
    const second = await call("POST", `/api/integrations/${ids[0]}/sync`, { token: t.token });
    expect(first.json.state).toBe("queued");
    expect(second.json.state).toBe("coalesced");
    await syncObject(ws.id).enqueue(ids[0]!, "scheduled");
    await drain(ws.id);
    expect(await count("SELECT 1 FROM sync_runs WHERE integration_id = ?", ids[0])).toBe(2);
  });

  it("lets a manual sync jump ahead of scheduled ones", async () => {
    const { t, ws, ids } = await threeShops();
    const [a, b, c] = ids as [string, string, string];
    // Enqueued inside the object in one go, so no alarm starts one of them in between.
    const queued = await runInDurableObject(syncObject(ws.id), async (o: WorkspaceSync) => {
      await o.enqueue(a, "scheduled");
      await o.enqueue(b, "scheduled");
      await o.enqueue(c, "manual");
      return o.status();
    });
    expect(queued.queued.map((q) => q.integrationId)).toEqual([c, a, b]);
    await drain(ws.id);
    const order = await env.DB.prepare("SELECT integration_id, reason FROM sync_runs WHERE workspace_id = ? AND reason <> 'initial' ORDER BY started_at").bind(ws.id).all<{ integration_id: string; reason: string }>();
    expect(order.results.map((r) => [r.integration_id, r.reason])).toEqual([[c, "manual"], [a, "scheduled"], [b, "scheduled"]]);
  });

  it("schedules an hourly sync per integration with the object's alarm", async () => {
    const { ws, ids } = await threeShops();
    const at = await alarmAt(ws.id);
    expect(at).not.toBeNull();
    expect(at! - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(at! - Date.now()).toBeLessThanOrEqual(60 * 60_000);
    // Time passes: the due schedules become queued scheduled syncs.
    await runInDurableObject(syncObject(ws.id), (_o, state) => state.storage.sql.exec("UPDATE schedule SET next_at = 0"));
    await runDurableObjectAlarm(syncObject(ws.id));
    await drain(ws.id);
    const scheduled = await count("SELECT 1 FROM sync_runs WHERE workspace_id = ? AND reason = 'scheduled' AND status = 'succeeded'", ws.id);
    expect(scheduled).toBe(ids.length);
  });
});
