import { describe, expect, it } from "vitest";
import { shopify } from "../../worker/connectors/shopify";
import type { OAuthFlow } from "../../worker/connectors/types";
import { injectFaults, rowsOf, sandboxControl, sandboxRuntime, syncAll, type SandboxFault, type SyncResult } from "../support/connectors";
import { connectShop, expectExactOrders, newShop, type ShopStats } from "./shopify-support";

const flow = shopify.auth.kind === "oauth2" ? shopify.auth.flow : (undefined as never as OAuthFlow);
const rt = sandboxRuntime();

/** Connects a fresh shop, fails its 3rd GraphQL call with `fault`, syncs orders to the end. */
async function syncThrough(tag: string, fault: Omit<SandboxFault, "provider" | "match">, runtime = rt) {
  const shop = newShop(tag, 100);
  const { grant } = await connectShop(shop, { unthrottled: true });
  await injectFaults({ provider: "shopify", match: `${shop}/admin/api`, after: 2, ...fault });
  const res = await syncAll(shopify, runtime, { secrets: grant.secrets, account: grant.account!, streams: ["orders"], maxWaitMs: 50 });
  return { shop, res };
}

/** Ends with exactly the provider's rows: none missing, none twice. */
async function expectComplete(shop: string, res: SyncResult) {
  const stats = await sandboxControl<ShopStats>(`shopify/stats?shop=${shop}`);
  expect(res.duplicates).toBe(0);
  expectExactOrders(rowsOf(res.store, "orders"), stats);
}

describe("shopify: errors", () => {
  it("429 with Retry-After → rate-limited honouring Retry-After, retried on the same cursor", async () => {
    const { shop, res } = await syncThrough("f429", { kind: "429", retryAfter: 2 });
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toMatchObject({ kind: "rate-limited", status: 429 });
    expect(res.errors[0]!.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(res.errors[0]!.cursor).not.toBeNull();
    await expectComplete(shop, res);
  });

  it("THROTTLED in an HTTP 200 body → rate-limited", async () => {
    const { shop, res } = await syncThrough("fthr", { kind: "throttled" });
    expect(res.errors).toMatchObject([{ kind: "rate-limited", status: 200 }]);
    expect(res.errors[0]!.retryAfterMs).toBeGreaterThan(0);
    await expectComplete(shop, res);
  });

  it("an exhausted cost bucket throttles with the wait computed from requested cost, availability and restore rate", async () => {
    const shop = newShop("bucket", 150);
    const { grant } = await connectShop(shop, { bucket: { maximumAvailable: 1000, restoreRate: 4000 } });
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    const throttles = res.errors.filter((e) => e.kind === "rate-limited");
    expect(throttles.length).toBeGreaterThan(0);
    // Each page asks for 2 + 19 × 52 = 990 points; at 4000/s the shortfall refills in well under a second.
    for (const t of throttles) {
      expect(t.status).toBe(200);
      expect(t.retryAfterMs).toBeGreaterThanOrEqual(100);
      expect(t.retryAfterMs).toBeLessThanOrEqual(250);
    }
    await expectComplete(shop, res);
  });

  it("a query over the single-query cost limit shrinks the page instead of failing", async () => {
    const shop = newShop("maxcost", 60);
    const { grant } = await connectShop(shop, { unthrottled: true });
    await sandboxControl("shopify/config", { shop, singleQueryMax: 500 });
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    expect(res.errors).toHaveLength(0);
    expect(res.pages.orders).toBe(Math.ceil(60 / 8));
    await expectComplete(shop, res);
  });

  it("500 → transient, then the same page again", async () => {
    const { shop, res } = await syncThrough("f500", { kind: "500" });
    expect(res.errors).toMatchObject([{ kind: "transient", status: 500 }]);
    await expectComplete(shop, res);
  });

  it("a timeout → transient (short rt.timeoutMs), then the same page again", async () => {
    const { shop, res } = await syncThrough("ftime", { kind: "timeout" }, sandboxRuntime({ timeoutMs: 300 }));
    expect(res.errors).toMatchObject([{ kind: "transient" }]);
    await expectComplete(shop, res);
  });

  it("malformed JSON → transient, then the same page again", async () => {
    const { shop, res } = await syncThrough("fjson", { kind: "malformed" });
    expect(res.errors).toMatchObject([{ kind: "transient", status: 200 }]);
    await expectComplete(shop, res);
  });

  it("a rejected token mid-run → unauthorized → refresh → the run continues", async () => {
    const { shop, res } = await syncThrough("f401", { kind: "token-expired" });
    expect(res.errors).toMatchObject([{ kind: "unauthorized", status: 401 }]);
    expect(res.refreshes).toBe(1);
    await expectComplete(shop, res);
  });

  it("an access token past its expiry is refused with Shopify's 401 and refreshed", async () => {
    const shop = newShop("expired", 50);
    const { grant } = await connectShop(shop, { unthrottled: true });
    await sandboxControl("shopify/expire", { shop });
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    expect(res.refreshes).toBe(1);
    expect(res.secrets.accessToken).not.toBe(grant.secrets.accessToken);
    await expectComplete(shop, res);
  });

  it("a refresh token already rotated away cannot bring an expired token back: unauthorized (reconnect)", async () => {
    const shop = newShop("revoked", 30);
    const { grant } = await connectShop(shop);
    await flow.refresh!(rt, { secrets: grant.secrets, account: grant.account! });
    await sandboxControl("shopify/expire", { shop });
    await expect(syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] })).rejects.toMatchObject({ kind: "unauthorized" });
  });
});
