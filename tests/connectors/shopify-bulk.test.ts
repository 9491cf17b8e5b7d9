import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { shopify } from "../../worker/connectors/shopify";
import { BULK_MIN_ORDERS, ordersStream } from "../../worker/connectors/shopify/streams";
import type { Secrets } from "../../worker/connectors/types";
import { rowsOf, sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";
import { connectShop, expectExactOrders, newShop, type ShopStats } from "./shopify-support";

const rt = sandboxRuntime();
type BulkOps = { operations: { id: string; status: string; objectCount: number; rootObjectCount: number }[] };
const bulkOps = (shop: string, body: Record<string, unknown> = {}) => sandboxControl<BulkOps>("shopify/bulk", { shop, ...body });
const stats = (shop: string) => sandboxControl<ShopStats>(`shopify/stats?shop=${shop}`);

async function gql(shop: string, secrets: Secrets, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${rt.sandboxUrl}/shopify/${shop}/admin/api/2026-04/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": secrets.accessToken! },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data: any };
}

describe("shopify: first backfill as a Bulk Operation", () => {
  it("exports every order of a large shop in one bulk operation, its line items joined by __parentId across byte ranges", async () => {
    const shop = newShop("bulk-bulky", 2000);
    const { grant } = await connectShop(shop);
    const res = await syncAll(shopify, rt, { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    const s = await stats(shop);
    expect(res.errors).toEqual([]);
    expect(res.duplicates).toBe(0);
    expectExactOrders(rowsOf(res.store, "orders"), s);
    expect(rowsOf(res.store, "orders").some((o) => o.lines.length > 10)).toBe(true);
    const { operations } = await bulkOps(shop);
    expect(operations).toEqual([{ id: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\/\d+$/), status: "COMPLETED", objectCount: s.orders + s.lines, rootObjectCount: s.orders }]);
    // The result is read in several ranges, each ending on a whole order.
    expect(res.received.orders!.filter((b) => b.orders?.length).length).toBeGreaterThan(1);
    expect(res.watermarks.orders).toBe(Math.max(...rowsOf(res.store, "orders").map((o) => o.updatedAt)));
  });

  it("keeps incremental syncs and small first backfills on the paged query", async () => {
    const small = newShop("bulk-small", BULK_MIN_ORDERS - 1);
    const a = await connectShop(small, { unthrottled: true });
    const r = await syncAll(shopify, rt, { secrets: a.grant.secrets, account: a.grant.account!, streams: ["orders"] });
    expect(r.store.orders.size).toBe(BULK_MIN_ORDERS - 1);
    expect((await bulkOps(small)).operations).toEqual([]);

    const big = newShop("bulk-incr", 400);
    const b = await connectShop(big, { unthrottled: true });
    const first = await syncAll(shopify, rt, { secrets: b.grant.secrets, account: b.grant.account!, streams: ["orders"] });
    const changed = await sandboxControl<{ updated: string[]; created: string[] }>("shopify/mutate", { shop: big, updated: 5, created: 2 });
    const second = await syncAll(shopify, rt, { secrets: b.grant.secrets, account: b.grant.account!, streams: ["orders"], since: first.watermarks.orders!, store: first.store });
    const got = new Set(second.received.orders!.flatMap((x) => x.orders ?? []).map((o) => o.providerId));
    for (const id of [...changed.updated, ...changed.created]) expect(got.has(id)).toBe(true);
    expect((await bulkOps(big)).operations).toHaveLength(1);
    expectExactOrders(rowsOf(second.store, "orders"), await stats(big));
  });

  it("resumes polling the operation named in its cursor, and adopts its own operation already in progress", async () => {
    const shop = newShop("bulk-resume", 600);
    const { grant } = await connectShop(shop);
    await bulkOps(shop, { msPerObject: 5 });
    const p = { secrets: grant.secrets, account: grant.account!, since: null };
    const measured = await ordersStream.page(rt, { ...p, cursor: null });
    const started = await ordersStream.page(rt, { ...p, cursor: measured.next });
    expect(started).toMatchObject({ waitMs: expect.any(Number), next: { bulk: expect.stringMatching(/BulkOperation/) } });
    // A run that lost its cursor meanwhile asks again: Shopify refuses a second export, and it adopts the first.
    const again = await ordersStream.page(rt, { ...p, cursor: measured.next });
    expect(again.next?.bulk).toBe(started.next!.bulk);
    const polled = await ordersStream.page(rt, { ...p, cursor: started.next });
    expect(polled.detail).toMatch(/preparing the export/);
    expect(polled.next?.bulk).toBe(started.next!.bulk);
    expect((await bulkOps(shop)).operations).toHaveLength(1);
    await bulkOps(shop, { msPerObject: 0 });
  });

  it("fails permanently on ACCESS_DENIED and runs a new export after INTERNAL_SERVER_ERROR", async () => {
    const denied = newShop("bulk-denied", 300);
    const d = await connectShop(denied);
    await bulkOps(denied, { fail: "ACCESS_DENIED", msPerObject: 0 });
    const err = await syncAll(shopify, rt, { secrets: d.grant.secrets, account: d.grant.account!, streams: ["orders"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "permanent", message: expect.stringMatching(/ACCESS_DENIED/) });

    const flaky = newShop("bulk-flaky", 300);
    const f = await connectShop(flaky);
    await bulkOps(flaky, { fail: "INTERNAL_SERVER_ERROR", msPerObject: 0 });
    const res = await syncAll(shopify, rt, { secrets: f.grant.secrets, account: f.grant.account!, streams: ["orders"] });
    expectExactOrders(rowsOf(res.store, "orders"), await stats(flaky));
    expect((await bulkOps(flaky)).operations.map((o) => o.status)).toEqual(["FAILED", "COMPLETED"]);
    const data = await gql(flaky, f.grant.secrets, "{ currentBulkOperation { status errorCode rootObjectCount } }");
    expect(data.data.currentBulkOperation).toEqual({ status: "COMPLETED", errorCode: null, rootObjectCount: "300" });
  });
});
