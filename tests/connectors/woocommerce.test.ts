import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { woocommerce } from "../../worker/connectors/woocommerce";
import { normalizeStoreUrl } from "../../worker/connectors/woocommerce/store-url";
import type { Cursor, Order } from "../../worker/connectors/types";
import { rowsOf, sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";
import { connectStore, expectExactOrders, newStore, nextSecond, sandboxKeys, wooFlow, type StoreStats } from "./woocommerce-support";

const rt = sandboxRuntime();
const stats = (storeUrl: string) => sandboxControl<StoreStats>(`woocommerce/stats?storeUrl=${encodeURIComponent(storeUrl)}`);

describe("woocommerce: api key", () => {
  it("verifies a good key with a real call and returns the store's account and currency", async () => {
    const storeUrl = newStore("verify", 20, "eur");
    const v = await wooFlow.verify(rt, { secrets: sandboxKeys(), account: { storeUrl: `${storeUrl.replace("https://", "")}/wp-admin/` } });
    expect(v.account).toEqual({ storeUrl, currency: "EUR" });
    expect(v.label).toBe(storeUrl.replace("https://", ""));
    expect(woocommerce.accountKey!(v.account, v.label)).toBe(storeUrl);
  });

  it("refuses a wrong key pair as unauthorized and a malformed one as permanent, before storing anything", async () => {
    const storeUrl = newStore("badkey", 20);
    const wrong = await wooFlow.verify(rt, { secrets: { consumerKey: "ck_sandbox_demo", consumerSecret: "cs_sandbox_other" }, account: { storeUrl } }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ProviderError);
    expect(wrong).toMatchObject({ kind: "unauthorized", opts: { status: 401 } });
    await expect(wooFlow.verify(rt, { secrets: { consumerKey: "nope", consumerSecret: "cs_x" }, account: { storeUrl } })).rejects.toMatchObject({ kind: "permanent" });
    await expect(wooFlow.verify(rt, { secrets: sandboxKeys(), account: { storeUrl: storeUrl.replace("https:", "http:") } })).rejects.toMatchObject({ kind: "permanent" });
  });

  it("works for a WordPress installed in a sub-folder", async () => {
    const storeUrl = newStore("subdir", 30, undefined, "/shop");
    const { secrets, account } = await connectStore(storeUrl);
    expect(account.storeUrl).toBe(storeUrl);
    const res = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] });
    expect(res.store.orders.size).toBe(30);
  });

  it("store URL: https only, no credentials, and no IP literals, private names or odd ports in live mode", () => {
    const live = { sandboxUrl: null };
    expect(normalizeStoreUrl(live, "Shop.Example.com")).toBe("https://shop.example.com");
    expect(normalizeStoreUrl(live, "https://example.com/store/wp-json/wc/v3/")).toBe("https://example.com/store");
    for (const bad of [
      "http://shop.example.com", "https://user:pw@shop.example.com", "https://127.0.0.1", "https://2130706433", "https://[::1]/",
      "https://10.0.0.5", "https://localhost", "https://nas.local", "https://db.internal", "https://intranet", "https://shop.example.com:8443", "ftp://shop.example.com", "",
    ]) {
      expect(() => normalizeStoreUrl(live, bad), bad).toThrow(ProviderError);
    }
    // In sandbox mode the host is rewritten to the sandbox, so any https host is fine.
    expect(normalizeStoreUrl({ sandboxUrl: "http://127.0.0.1:1" }, "https://localhost/shop")).toBe("https://localhost/shop");
    expect(() => normalizeStoreUrl({ sandboxUrl: "http://127.0.0.1:1" }, "http://shop.example.com")).toThrow(ProviderError);
  });
});

describe("woocommerce: sync", () => {
  it("full sync returns exactly the store's orders and products, 100 per page", async () => {
    const storeUrl = newStore("full", 1250);
    const { secrets, account } = await connectStore(storeUrl);
    const res = await syncAll(woocommerce, rt, { secrets, account });
    const s = await stats(storeUrl);
    expect(res.duplicates).toBe(0);
    expect(res.pages.orders).toBe(13);
    expectExactOrders(rowsOf(res.store, "orders"), s);
    expect(res.store.products.size).toBe(s.products);
    for (const p of rowsOf(res.store, "products")) expect(p.currency).toBe(s.currency);
  });

  it("incremental sync after changes picks up exactly the changed orders", async () => {
    const storeUrl = newStore("incr", 340);
    const { secrets, account } = await connectStore(storeUrl);
    const first = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] });
    const w = first.watermarks.orders!;
    expect(w).toBeLessThan(Date.now());
    const changed = await sandboxControl<{ updated: string[]; created: string[] }>("woocommerce/mutate", { storeUrl, updated: 6, created: 5 });
    await nextSecond();
    const second = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"], since: w, store: first.store });
    const got = second.received.orders!.flatMap((b) => b.orders ?? []).map((o) => o.providerId);
    expect(got.sort()).toEqual([...changed.updated, ...changed.created].sort());
    expect(second.watermarks.orders).toBeGreaterThan(w);
    expectExactOrders(rowsOf(second.store, "orders"), await stats(storeUrl));
    const third = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"], since: second.watermarks.orders! });
    expect(third.store.orders.size).toBe(0);
  });

  it("orders modified while a run pages through are neither skipped nor lost", async () => {
    const storeUrl = newStore("shift", 900);
    const { secrets, account } = await connectStore(storeUrl);
    const stream = woocommerce.streams.find((s) => s.name === "orders")!;
    const seen = new Map<string, Order>();
    let cursor: Cursor | null = null;
    let pages = 0;
    let watermark: number | null | undefined;
    let moved: string[] = [];
    do {
      const page = await stream.page(rt, { secrets, account, cursor, since: null });
      for (const o of page.batch.orders ?? []) seen.set(o.providerId, o);
      // After the 3rd page, 40 orders (some already read, most not yet) change and move past the window.
      if (++pages === 3) moved = (await sandboxControl<{ updated: string[] }>("woocommerce/mutate", { storeUrl, updated: 40 })).updated;
      cursor = page.next;
      watermark = page.watermark;
    } while (cursor);
    // Every order that did not change was read, although 30-odd rows shifted forward mid-run…
    const all = rowsOf((await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] })).store, "orders").map((o) => o.providerId);
    for (const id of all) if (!moved.includes(id)) expect(seen.has(id), `order ${id}`).toBe(true);
    expect(pages).toBeGreaterThan(9);
    // …and the changed ones are exactly what the next run brings.
    await nextSecond();
    const next = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"], since: watermark! });
    expect([...next.store.orders.keys()].sort()).toEqual([...moved].sort());
    for (const o of rowsOf(next.store, "orders")) seen.set(o.providerId, o);
    expectExactOrders([...seen.values()], await stats(storeUrl));
  });

  it("keeps money exact: refunds are negative in Woo and positive minor units here, JPY has no decimals", async () => {
    const storeUrl = newStore("money", 260, "jpy");
    const { secrets, account } = await connectStore(storeUrl);
    expect(account.currency).toBe("JPY");
    const res = await syncAll(woocommerce, rt, { secrets, account });
    const orders = rowsOf(res.store, "orders");
    expectExactOrders(orders, await stats(storeUrl));
    const refunded = orders.filter((o) => o.refundedMinor > 0);
    expect(refunded.length).toBeGreaterThan(0);
    for (const o of refunded) expect(o.refundedMinor).toBeLessThanOrEqual(o.totalMinor);
    const discounted = orders.find((o) => o.discountMinor > 0 && o.lines.length > 1)!;
    expect(discounted.lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(discounted.subtotalMinor);
    expect(orders.some((o) => o.customerId === null)).toBe(true);
  });
});
