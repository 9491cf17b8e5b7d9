import { describe, expect, it } from "vitest";
import { woocommerce } from "../../worker/connectors/woocommerce";
import { sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";
import { connectStore, newStore } from "./woocommerce-support";

const spec = woocommerce.webhook!;
const rt = sandboxRuntime();
const SECRET = "whsec-integration-0123456789";
const url = new URL("http://localhost:8787/api/webhooks/woocommerce/int_1");

type Delivery = { headers: Record<string, string>; body: string };
async function delivery(p: Record<string, unknown>) {
  const { delivery: d } = await sandboxControl<{ delivery: Delivery }>("woocommerce/webhooks", p);
  return { rawBody: new TextEncoder().encode(d.body), headers: new Headers(d.headers), url };
}

describe("woocommerce: webhooks", () => {
  it("subscribe registers order.created/updated/deleted with our secret, once", async () => {
    const storeUrl = newStore("sub", 20);
    const { secrets, account } = await connectStore(storeUrl);
    const deliveryUrl = "http://127.0.0.1:9/api/webhooks/woocommerce/int_1";
    await spec.subscribe!(rt, { secrets, account, deliveryUrl, secret: SECRET });
    await spec.subscribe!(rt, { secrets, account, deliveryUrl, secret: SECRET });
    const res = await fetch(`${rt.sandboxUrl}/woocommerce/${new URL(storeUrl).host}/wp-json/wc/v3/webhooks`, {
      headers: { authorization: `Basic ${btoa(`${secrets.consumerKey}:${secrets.consumerSecret}`)}` },
    });
    const hooks = (await res.json()) as { topic: string; delivery_url: string; secret: string }[];
    expect(hooks.map((h) => h.topic).sort()).toEqual(["order.created", "order.deleted", "order.updated"]);
    for (const h of hooks) expect(h).toMatchObject({ delivery_url: deliveryUrl, secret: SECRET });
    // Deliveries of the registered webhook are signed with that secret.
    const d = await delivery({ storeUrl, topic: "order.updated", target: "" });
    expect(await spec.verify({ ...d, secret: SECRET })).toBe(true);
  });

  it("a signed order.created verifies and parses to the row the sync produces, keyed by the store URL", async () => {
    const storeUrl = newStore("hook", 60);
    const { secrets, account, label } = await connectStore(storeUrl);
    const d = await delivery({ storeUrl, topic: "order.created", orderIndex: 33, secret: SECRET });
    expect(await spec.verify({ ...d, secret: SECRET })).toBe(true);
    const event = (await spec.parse(d))!;
    expect(event).toMatchObject({ topic: "order.created", accountKey: storeUrl, eventId: d.headers.get("x-wc-webhook-delivery-id") });
    expect(event.accountKey).toBe(woocommerce.accountKey!(account, label));
    const synced = await syncAll(woocommerce, rt, { secrets, account, streams: ["orders"] });
    const row = event.batch.orders![0]!;
    expect(row.providerId).toBe("1033");
    expect(row).toEqual(synced.store.orders.get("1033"));
  });

  it("rejects a bad signature, a tampered body and the wrong secret", async () => {
    const storeUrl = newStore("badsig", 10);
    const bad = await delivery({ storeUrl, topic: "order.updated", secret: SECRET, badSignature: true });
    expect(await spec.verify({ ...bad, secret: SECRET })).toBe(false);
    const good = await delivery({ storeUrl, topic: "order.updated", secret: SECRET });
    expect(await spec.verify({ ...good, secret: "another-integration" })).toBe(false);
    const tampered = new TextEncoder().encode(new TextDecoder().decode(good.rawBody).replace(/"total":"/, '"total":"9'));
    expect(await spec.verify({ ...good, rawBody: tampered, secret: SECRET })).toBe(false);
    // A body that merely looks like a ping but is signed wrongly stays rejected.
    const fakePing = { ...good, rawBody: new TextEncoder().encode("webhook_id=1") };
    expect(await spec.verify({ ...fakePing, secret: SECRET })).toBe(false);
  });

  it("a replayed delivery keeps its delivery id; order.deleted deletes", async () => {
    const storeUrl = newStore("replay", 10);
    const a = (await spec.parse(await delivery({ storeUrl, topic: "order.updated", secret: SECRET, deliveryId: "d-77" })))!;
    const b = (await spec.parse(await delivery({ storeUrl, topic: "order.updated", secret: SECRET, deliveryId: "d-77" })))!;
    expect(a.eventId).toBe("d-77");
    expect(b.eventId).toBe(a.eventId);
    const gone = (await spec.parse(await delivery({ storeUrl, topic: "order.deleted", secret: SECRET, orderIndex: 4 })))!;
    expect(gone.batch).toEqual({ deleted: [{ kind: "order", providerId: "1004" }] });
  });

  it("the unsigned ping (webhook_id=…) is accepted and parses to nothing, so the endpoint answers 200 and stores nothing", async () => {
    const storeUrl = newStore("ping", 10);
    const ping = await delivery({ storeUrl, ping: true, webhookId: 12 });
    expect(new TextDecoder().decode(ping.rawBody)).toBe("webhook_id=12");
    expect(ping.headers.get("x-wc-webhook-signature")).toBeNull();
    expect(await spec.verify({ ...ping, secret: SECRET })).toBe(true);
    expect((await spec.parse(ping))).toBeNull();
    // Without a signature only the exact ping shape passes.
    const unsigned = { ...ping, rawBody: new TextEncoder().encode('{"id":1}') };
    expect(await spec.verify({ ...unsigned, secret: SECRET })).toBe(false);
  });
});
