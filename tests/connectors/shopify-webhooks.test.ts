import { describe, expect, it } from "vitest";
import { shopify } from "../../worker/connectors/shopify";
import { sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";
import { connectShop, newShop } from "./shopify-support";

const spec = shopify.webhook!;
const SECRET = "qweb-sandbox-secret";
const url = new URL("http://localhost:8787/api/webhooks/shopify");

type Delivery = { headers: Record<string, string>; body: string };
async function delivery(p: Record<string, unknown>): Promise<{ rawBody: Uint8Array; headers: Headers; url: URL }> {
  const { delivery: d } = await sandboxControl<{ delivery: Delivery }>("shopify/webhooks", p);
  return { rawBody: new TextEncoder().encode(d.body), headers: new Headers(d.headers), url };
}

describe("shopify: webhooks", () => {
  it("a signed orders/create verifies and parses to the same row the sync produces", async () => {
    const shop = newShop("hook", 40);
    const { grant } = await connectShop(shop, { unthrottled: true });
    const d = await delivery({ shop, topic: "orders/create", orderIndex: 17 });
    expect(await spec.verify({ ...d, secret: SECRET })).toBe(true);
    const event = (await spec.parse(d))!;
    expect(event.topic).toBe("orders/create");
    expect(event.accountKey).toBe(shop);
    expect(event.accountKey).toBe(shopify.accountKey!(grant.account!, grant.label!));
    expect(event.eventId).toBe(d.headers.get("x-shopify-event-id"));
    const synced = await syncAll(shopify, sandboxRuntime(), { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    const row = event.batch.orders![0]!;
    expect(row).toEqual(synced.store.orders.get(row.providerId));
  });

  it("a refunded order's webhook carries the refund amount; refunds/create itself adds no row", async () => {
    const shop = newShop("refund", 300);
    const { grant } = await connectShop(shop, { unthrottled: true });
    const refund = await delivery({ shop, topic: "refunds/create" });
    expect(await spec.verify({ ...refund, secret: SECRET })).toBe(true);
    const body = JSON.parse(new TextDecoder().decode(refund.rawBody)) as { order_id: number };
    const r = (await spec.parse(refund))!;
    expect(r.topic).toBe("refunds/create");
    expect(r.batch).toEqual({});
    const updated = (await spec.parse(await delivery({ shop, topic: "orders/updated", orderIndex: body.order_id - 5_550_000_000_000 })))!;
    const row = updated.batch.orders![0]!;
    expect(row.refundedMinor).toBeGreaterThan(0);
    const synced = await syncAll(shopify, sandboxRuntime(), { secrets: grant.secrets, account: grant.account!, streams: ["orders"] });
    expect(row).toEqual(synced.store.orders.get(String(body.order_id)));
  });

  it("rejects a wrong signature, a tampered body, a missing header and the wrong secret", async () => {
    const shop = newShop("badsig", 10);
    const bad = await delivery({ shop, topic: "orders/updated", badSignature: true });
    expect(await spec.verify({ ...bad, secret: SECRET })).toBe(false);
    const good = await delivery({ shop, topic: "orders/updated" });
    const tampered = new Uint8Array(good.rawBody);
    tampered[tampered.length - 2] = tampered.at(-2)! ^ 1;
    expect(await spec.verify({ ...good, rawBody: tampered, secret: SECRET })).toBe(false);
    expect(await spec.verify({ ...good, secret: "another-app-secret" })).toBe(false);
    const unsigned = new Headers(good.headers);
    unsigned.delete("x-shopify-hmac-sha256");
    expect(await spec.verify({ ...good, headers: unsigned, secret: SECRET })).toBe(false);
    const garbage = new Headers(good.headers);
    garbage.set("x-shopify-hmac-sha256", "%%%not-base64%%%");
    expect(await spec.verify({ ...good, headers: garbage, secret: SECRET })).toBe(false);
    expect(await spec.verify({ ...good, secret: "" })).toBe(false);
  });

  it("a replayed delivery keeps its event id, so the endpoint can drop it", async () => {
    const shop = newShop("replay", 10);
    const first = (await spec.parse(await delivery({ shop, topic: "orders/create", eventId: "evt-replay-1" })))!;
    const again = (await spec.parse(await delivery({ shop, topic: "orders/create", eventId: "evt-replay-1" })))!;
    expect(first.eventId).toBe("evt-replay-1");
    expect(again.eventId).toBe(first.eventId);
    expect(again.batch).toEqual(first.batch);
    const other = (await spec.parse(await delivery({ shop, topic: "orders/create" })))!;
    expect(other.eventId).not.toBe(first.eventId);
  });

  it("app/uninstalled revokes, orders/delete deletes, compliance topics parse to empty batches", async () => {
    const shop = newShop("topics", 10);
    const gone = (await spec.parse(await delivery({ shop, topic: "app/uninstalled" })))!;
    expect(gone).toMatchObject({ topic: "app/uninstalled", accountKey: shop, revoked: true, batch: {} });
    const del = (await spec.parse(await delivery({ shop, topic: "orders/delete", orderIndex: 3 })))!;
    expect(del.batch.deleted).toEqual([{ kind: "order", providerId: "5550000000003" }]);
    const redact = (await spec.parse(await delivery({ shop, topic: "customers/redact" })))!;
    expect(redact).toMatchObject({ topic: "customers/redact", batch: {} });
    expect(redact.revoked).toBeUndefined();
  });
});
