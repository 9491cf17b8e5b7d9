import { describe, expect, it } from "vitest";
import {
  call, connectKey, connectOAuth, drainSkippingWaits, env, injectFaults, ownerWithWorkspace, rowsOf, runs, sandboxControl, shopifyStats, syncObject,
} from "./support";

let n = 0;
const tag = () => `${Date.now().toString(36)}${++n}`;

async function expectExactShop(integrationId: string, shop: string) {
  const stats = await shopifyStats(shop);
  expect(await rowsOf("orders", integrationId)).toBe(stats.orders);
  expect(await rowsOf("order_lines", integrationId)).toBe(stats.lines);
  expect(await rowsOf("products", integrationId)).toBe(stats.products);
  const sum = await env.DB.prepare("SELECT SUM(total_minor) AS s FROM orders WHERE integration_id = ?").bind(integrationId).first<{ s: number }>();
  expect(sum?.s).toBe(stats.revenueMinor);
}

describe("sync scheduling: a rate-limited sync yields the workspace", () => {
  it("a Shopify sync throttled by 429s does not keep a Klaviyo sync queued: Klaviyo finishes first, then Shopify with exact rows", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `yield-${tag()}-orders-70.myshopify.com`;
    await sandboxControl("shopify/config", { shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
    // Each throttled reply asks for a minute: far longer than Klaviyo's whole sync takes.
    await injectFaults({ provider: "shopify", kind: "429", match: `${shop}/admin/api`, after: 2, count: 3, retryAfter: 60 });
    const shopify = await connectOAuth(t, ws.id, "shopify", { shop });
    const key = `pk_sandbox_yield${tag()}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    const klaviyo = await connectKey(t, ws.id, "klaviyo", { apiKey: key });

    const klaviyoDone = async () => (await runs(t, klaviyo.id))[0]?.status === "succeeded";
    await drainSkippingWaits(ws.id, klaviyoDone);
    expect(await klaviyoDone()).toBe(true);
    const [waiting] = await runs(t, shopify.id);
    expect(waiting).toMatchObject({ status: "running", retries: 1 });
    expect(waiting!.detail).toMatch(/Rate limited; resuming in 60 s/);
    expect((await syncObject(ws.id).status()).runs).toEqual([{ integrationId: shopify.id, runId: waiting!.id, waitingUntil: expect.any(Number) }]);

    await drainSkippingWaits(ws.id);
    const [done] = await runs(t, shopify.id);
    expect(done).toMatchObject({ status: "succeeded", retries: 3, error: null });
    expect(done!.finishedAt).toBeGreaterThan((await runs(t, klaviyo.id))[0]!.finishedAt);
    await expectExactShop(shopify.id, shop);
    const list = (await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json.integrations as { provider: string; status: string }[];
    expect(list.map((i) => [i.provider, i.status]).sort()).toEqual([["klaviyo", "active"], ["shopify", "active"]]);
  });

  it("never runs two syncs of one integration at once: a sync asked for while one waits is coalesced into it", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `once-${tag()}-orders-40.myshopify.com`;
    await sandboxControl("shopify/config", { shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
    await injectFaults({ provider: "shopify", kind: "429", match: `${shop}/admin/api`, after: 2, count: 1, retryAfter: 60 });
    const shopify = await connectOAuth(t, ws.id, "shopify", { shop });
    await drainSkippingWaits(ws.id, async () => (await runs(t, shopify.id))[0]?.retries === 1);
    const again = await call("POST", `/api/integrations/${shopify.id}/sync`, { token: t.token });
    expect(again.json.state).toBe("running");
    await drainSkippingWaits(ws.id);
    expect((await runs(t, shopify.id)).map((r) => r.status)).toEqual(["succeeded"]);
    await expectExactShop(shopify.id, shop);
  });

  it("while a sync runs, the list's row count (ROWS) and the live status line's rows are the same number", async () => {
    const { t, ws } = await ownerWithWorkspace();
    const shop = `rows-${tag()}-orders-90.myshopify.com`;
    await sandboxControl("shopify/config", { shop, maximumAvailable: 1_000_000, restoreRate: 1_000_000 });
    // Pages 1 and 2 land, then the sync waits a minute: a moment in the middle of a first sync.
    await injectFaults({ provider: "shopify", kind: "429", match: `${shop}/admin/api`, after: 3, count: 1, retryAfter: 60 });
    const shopify = await connectOAuth(t, ws.id, "shopify", { shop });
    await drainSkippingWaits(ws.id, async () => (await runs(t, shopify.id))[0]?.retries === 1);
    const listed = async () =>
      ((await call("GET", `/api/workspaces/${ws.id}/integrations`, { token: t.token })).json.integrations as { id: string; rowsSynced: number; progress: { rowsWritten: number } | null }[]).find(
        (i) => i.id === shopify.id,
      )!;
    const mid = await listed();
    expect(mid.progress?.rowsWritten).toBeGreaterThan(0);
    expect(mid.rowsSynced).toBe(mid.progress!.rowsWritten);
    expect(mid.rowsSynced).toBe(await rowsOf("orders", shopify.id));
    await drainSkippingWaits(ws.id);
    const end = await listed();
    const [run] = await runs(t, shopify.id);
    expect(end.progress).toBeNull();
    expect(end.rowsSynced).toBe(run!.rowsWritten);
    expect(end.rowsSynced).toBe((await rowsOf("orders", shopify.id)) + (await rowsOf("products", shopify.id)));
  });
});
