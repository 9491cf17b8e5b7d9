import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { shopify } from "../../worker/connectors/shopify";
import { normalizeShop } from "../../worker/connectors/shopify/oauth";
import type { OAuthFlow, Order } from "../../worker/connectors/types";
import { toMinor } from "../../worker/lib/money";
import { authorizeSilently, rowsOf, sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";
import { connectShop, expectExactOrders, newShop, type ShopStats } from "./shopify-support";

const flow = shopify.auth.kind === "oauth2" ? shopify.auth.flow : (undefined as never as OAuthFlow);
const rt = sandboxRuntime();

describe("shopify: oauth", () => {
  it("builds the authorize URL on the shop's own domain, through the sandbox, and shows a consent page", async () => {
    const shop = newShop("authz");
    const url = new URL(flow.authorizeUrl(rt, { state: "st-42", account: { shop } }));
    expect(url.pathname).toBe(`/shopify/${shop}/admin/oauth/authorize`);
    expect(url.searchParams.get("client_id")).toBe("qweb-sandbox-client");
    expect(url.searchParams.get("scope")).toBe("read_orders,read_all_orders,read_products,read_customers");
    expect(url.searchParams.get("redirect_uri")).toBe(rt.app.redirectUri);
    expect(url.searchParams.get("state")).toBe("st-42");
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Approve");
    expect(html).toContain(shop);
  });

  it("exchanges the code for an expiring offline token after checking the callback hmac", async () => {
    const shop = newShop("exchange", 30, "jpy");
    const before = Date.now();
    const { grant, back } = await connectShop(shop);
    expect(back.state).toBe("st-1");
    expect(back.shop).toBe(shop);
    expect(grant.secrets.accessToken).toMatch(/^shpat_/);
    expect(grant.secrets.refreshToken).toBeTruthy();
    expect(grant.expiresAt).toBeGreaterThanOrEqual(before + 3600_000 - 5000);
    expect(grant.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(grant.scopes).toEqual(["read_orders", "read_all_orders", "read_products", "read_customers"]);
    expect(grant.account).toEqual({ shop, currency: "JPY" });
    expect(grant.label).toContain(shop);
  });

  it("refuses a tampered callback, a callback for another shop and a reused code", async () => {
    const shop = newShop("tamper");
    const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "s", account: { shop } }));
    const tampered = { ...back, state: "other" };
    await expect(flow.exchange(rt, { code: back.code!, account: { shop }, query: tampered })).rejects.toMatchObject({ kind: "permanent" });
    const forged = { ...back, hmac: "0".repeat(64) };
    await expect(flow.exchange(rt, { code: back.code!, account: { shop }, query: forged })).rejects.toMatchObject({ kind: "permanent" });
    await expect(flow.exchange(rt, { code: back.code!, account: { shop: newShop("other") }, query: back })).rejects.toMatchObject({ kind: "permanent" });
    await flow.exchange(rt, { code: back.code!, account: { shop }, query: back });
    await expect(flow.exchange(rt, { code: back.code!, account: { shop }, query: back })).rejects.toMatchObject({ kind: "permanent", opts: { status: 400 } });
  });

  it("answers a denied consent with error=access_denied", async () => {
    const shop = newShop("deny");
    const url = new URL(flow.authorizeUrl(rt, { state: "d1", account: { shop } }));
    const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), decision: "deny" });
    const res = await fetch(url.origin + url.pathname, { method: "POST", body: form, redirect: "manual" });
    const back = new URL(res.headers.get("location")!);
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("d1");
  });

  it("refreshes with rotation: the new token works, the used refresh token is dead", async () => {
    const shop = newShop("refresh", 25);
    const { grant } = await connectShop(shop);
    const account = grant.account!;
    const next = await flow.refresh!(rt, { secrets: grant.secrets, account });
    expect(next.secrets.accessToken).not.toBe(grant.secrets.accessToken);
    expect(next.secrets.refreshToken).not.toBe(grant.secrets.refreshToken);
    expect(next.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(next.account?.shop).toBe(shop);
    const res = await syncAll(shopify, rt, { secrets: next.secrets, account, streams: ["orders"] });
    expect(res.store.orders.size).toBe(25);
    const err = await flow.refresh!(rt, { secrets: grant.secrets, account }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).kind).toBe("unauthorized");
  });

  it("normalizes the shop input and refuses anything that is not a myshopify.com shop", () => {
    expect(normalizeShop("Acme")).toBe("acme.myshopify.com");
    expect(normalizeShop("https://acme.myshopify.com/admin")).toBe("acme.myshopify.com");
    expect(normalizeShop("admin.shopify.com/store/acme-2")).toBe("acme-2.myshopify.com");
    for (const bad of ["", "acme.example.com", "evil.com/x.myshopify.com", "a_b.myshopify.com", "127.0.0.1"]) {
      expect(() => normalizeShop(bad), bad).toThrow(ProviderError);
    }
  });
});

describe("shopify: sync", () => {
  it("full sync of a shop below the bulk threshold returns exactly its orders and products across many pages", async () => {
    const shop = newShop("full-bulky", 190);
    const { grant } = await connectShop(shop, { unthrottled: true });
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account! });
    const stats = await sandboxControl<ShopStats>(`shopify/stats?shop=${shop}`);
    expect(res.duplicates).toBe(0);
    expect(res.pages.orders).toBe(Math.ceil(190 / 19));
    expectExactOrders(rowsOf(res.store, "orders"), stats);
    expect(res.store.products.size).toBe(stats.products);
    const orders = rowsOf(res.store, "orders");
    expect(res.watermarks.orders).toBe(Math.max(...orders.map((o) => o.updatedAt)));
    // Orders with more than 10 line items were completed with the follow-up query.
    expect(orders.some((o) => o.lines.length > 10)).toBe(true);
    expect(stats.lines).toBe(orders.reduce((s, o) => s + o.lines.length, 0));
    for (const p of rowsOf(res.store, "products")) {
      expect(p.currency).toBe(stats.currency);
      expect(Number.isInteger(p.priceMinor)).toBe(true);
    }
  });

  it("incremental sync after changes picks up exactly the changed orders (plus the watermark's own second)", async () => {
    const shop = newShop("incr", 260);
    const { grant } = await connectShop(shop, { unthrottled: true });
    const account = grant.account!;
    const first = await syncAll(shopify, rt, { secrets: grant.secrets, account, streams: ["orders"] });
    const w = first.watermarks.orders!;
    const onBoundary = rowsOf(first.store, "orders").filter((o) => o.updatedAt === w).map((o) => o.providerId);
    const changed = await sandboxControl<{ updated: string[]; created: string[] }>("shopify/mutate", { shop, updated: 7, created: 4 });
    const second = await syncAll(shopify, rt, { secrets: grant.secrets, account, streams: ["orders"], since: w, store: first.store });
    const got = second.received.orders!.flatMap((b) => b.orders ?? []).map((o) => o.providerId);
    expect(new Set(got)).toEqual(new Set([...changed.updated, ...changed.created, ...onBoundary]));
    expect(got.length).toBe(new Set(got).size);
    expect(second.watermarks.orders).toBeGreaterThan(w);
    const stats = await sandboxControl<ShopStats>(`shopify/stats?shop=${shop}`);
    expectExactOrders(rowsOf(second.store, "orders"), stats);
    // Nothing changed since: the next run only re-reads the watermark's own second.
    const third = await syncAll(shopify, rt, { secrets: grant.secrets, account, streams: ["orders"], since: second.watermarks.orders! });
    const again = rowsOf(third.store, "orders");
    expect(again.every((o) => o.updatedAt === second.watermarks.orders)).toBe(true);
    expect(again.length).toBeLessThanOrEqual(11);
  });

  it("keeps money exact in zero-decimal and three-decimal currencies", async () => {
    for (const cur of ["jpy", "kwd"]) {
      const shop = newShop(`money`, 90, cur);
      const { grant } = await connectShop(shop, { unthrottled: true });
      const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account! });
      const stats = await sandboxControl<ShopStats>(`shopify/stats?shop=${shop}`);
      expect(stats.currency).toBe(cur.toUpperCase());
      expectExactOrders(rowsOf(res.store, "orders"), stats);
    }
    expect(toMinor("0.10", "USD")).toBe(10);
    expect(toMinor("19.99", "USD")).toBe(1999);
    expect(toMinor("1980", "JPY")).toBe(1980);
    expect(toMinor("4.750", "KWD")).toBe(4750);
    expect([0.1, 0.2].reduce((s, x) => s + toMinor(String(x), "EUR"), 0)).toBe(30);
  });

  it("maps one order completely: totals, discount allocation over lines, refunds and customer", async () => {
    const shop = newShop("shape", 200);
    const { grant } = await connectShop(shop, { unthrottled: true });
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    const orders = rowsOf(res.store, "orders");
    const discounted = orders.find((o) => o.discountMinor > 0 && o.lines.length > 1) as Order;
    expect(discounted.lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(discounted.subtotalMinor);
    expect(discounted.number).toMatch(/^#\d+$/);
    expect(discounted.providerId).toMatch(/^\d+$/);
    const refunded = orders.filter((o) => o.refundedMinor > 0);
    expect(refunded.length).toBeGreaterThan(0);
    for (const o of refunded) expect(["refunded", "partially_refunded"]).toContain(o.status);
    expect(orders.some((o) => o.customerId === null)).toBe(true);
    expect(orders.some((o) => o.customerId && /^\d+$/.test(o.customerId))).toBe(true);
  });
});
