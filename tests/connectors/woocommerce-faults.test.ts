import { describe, expect, it } from "vitest";
import { woocommerce } from "../../worker/connectors/woocommerce";
import { injectFaults, rowsOf, sandboxControl, sandboxRuntime, syncAll, type SandboxFault, type SyncResult } from "../support/connectors";
import { connectStore, expectExactOrders, newStore, type StoreStats } from "./woocommerce-support";

const rt = sandboxRuntime();

/** Connects a fresh store, fails its 3rd orders page with `fault`, syncs orders to the end. */
async function syncThrough(tag: string, fault: Omit<SandboxFault, "provider" | "match">, runtime = rt) {
  const storeUrl = newStore(tag, 450);
  const { secrets, account } = await connectStore(storeUrl);
  await injectFaults({ provider: "woocommerce", match: `${new URL(storeUrl).host}/wp-json/wc/v3/orders`, after: 2, ...fault });
  const res = await syncAll(woocommerce, runtime, { secrets, account, streams: ["orders"], maxWaitMs: 50 });
  return { storeUrl, res };
}

async function expectComplete(storeUrl: string, res: SyncResult) {
  const stats = await sandboxControl<StoreStats>(`woocommerce/stats?storeUrl=${encodeURIComponent(storeUrl)}`);
  expect(res.duplicates).toBe(0);
  expect(res.pages.orders).toBe(5);
  expectExactOrders(rowsOf(res.store, "orders"), stats);
}

describe("woocommerce: errors", () => {
  it("429 from the host with Retry-After → rate-limited, retried on the same page", async () => {
    const { storeUrl, res } = await syncThrough("f429", { kind: "429", retryAfter: 3 });
    expect(res.errors).toMatchObject([{ kind: "rate-limited", status: 429, retryAfterMs: 3000 }]);
    expect(res.errors[0]!.cursor).toMatchObject({ page: 3 });
    await expectComplete(storeUrl, res);
  });

  it("500 (a WordPress critical error) and 503 (maintenance) → transient", async () => {
    for (const kind of ["500", "503"] as const) {
      const { storeUrl, res } = await syncThrough(`f${kind}`, { kind });
      expect(res.errors).toMatchObject([{ kind: "transient", status: Number(kind) }]);
      await expectComplete(storeUrl, res);
    }
  });

  it("a timeout → transient (short rt.timeoutMs)", async () => {
    const { storeUrl, res } = await syncThrough("ftime", { kind: "timeout" }, sandboxRuntime({ timeoutMs: 300 }));
    expect(res.errors).toMatchObject([{ kind: "transient" }]);
    await expectComplete(storeUrl, res);
  });

  it("malformed JSON → transient", async () => {
    const { storeUrl, res } = await syncThrough("fjson", { kind: "malformed" });
    expect(res.errors).toMatchObject([{ kind: "transient", status: 200 }]);
    await expectComplete(storeUrl, res);
  });

  it("a key revoked mid-run → unauthorized, which an API key cannot refresh: the run stops for a reconnect", async () => {
    const storeUrl = newStore("f401", 450);
    const { secrets, account } = await connectStore(storeUrl);
    await injectFaults({ provider: "woocommerce", match: `${new URL(storeUrl).host}/wp-json/wc/v3/orders`, after: 1, kind: "token-expired" });
    await expect(syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] })).rejects.toMatchObject({ kind: "unauthorized", opts: { status: 401 } });
  });

  it("a wrong stored key answers Woo's authentication error as unauthorized", async () => {
    const storeUrl = newStore("wrongkey", 20);
    const { account } = await connectStore(storeUrl);
    const secrets = { consumerKey: "ck_sandbox_demo", consumerSecret: "cs_rotated_elsewhere" };
    await expect(syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] })).rejects.toMatchObject({ kind: "unauthorized" });
  });
});
