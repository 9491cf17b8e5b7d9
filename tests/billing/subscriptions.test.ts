import { describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant, newWorkspace, waitForEmail } from "../support/harness";
import { billing, deliver, deliveriesSince, sandbox, signed, subscribe } from "./support";
import { SANDBOX_STRIPE } from "../../worker/connectors/stripe";

describe("billing: subscriptions through Stripe Checkout (P07)", () => {
  it("subscribes through the sandbox's hosted Checkout; the state arrives only with the signed webhooks", async () => {
    const t = await newTenant({ name: "Sub" });
    expect(await billing(t)).toMatchObject({ plan: "free", status: "none", access: "ok" });
    const since = Date.now();
    const res = await call("POST", `/api/orgs/${t.orgId}/billing/checkout`, { token: t.token, body: { plan: "agency" } });
    expectStatus(res, 200);
    expect(res.json.url).toContain("/checkout.stripe.com/c/pay/cs_test_");
    const paid = await fetch(res.json.url, { method: "POST", body: "", redirect: "manual" });
    expect(paid.status).toBe(302);
    expect(paid.headers.get("location")).toMatch(/\/settings\/billing\?checkout=success&session_id=cs_test_/);
    // Checkout completed at Stripe, but nothing changes in QWEB until the verified events arrive.
    expect((await billing(t)).status).toBe("none");
    const deliveries = await deliveriesSince(since);
    expect(deliveries.map((d) => JSON.parse(d.body).type)).toEqual(["checkout.session.completed", "customer.subscription.created", "invoice.paid"]);
    for (const d of deliveries) expectStatus(await deliver(d), 200);
    const after = await billing(t);
    expect(after).toMatchObject({ plan: "agency", planName: "Agency", status: "trialing", hasCustomer: true, limits: { workspaces: 30 } });
    expect(after.trialEndsAt).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/billing/checkout`, { token: t.token, body: { plan: "scale" } }), 409);
    const portal = await call("POST", `/api/orgs/${t.orgId}/billing/portal`, { token: t.token });
    expectStatus(portal, 200);
    expect(portal.json.url).toContain("/billing.stripe.com/p/session/bps_");
  });

  it("P07: a replayed event changes nothing, and an older event never overwrites a newer state", async () => {
    const t = await newTenant({ name: "Order" });
    const { deliveries } = await subscribe(t, "starter");
    const created = deliveries.find((d) => JSON.parse(d.body).type === "customer.subscription.created")!;
    // Replay: the same event id again is acknowledged and ignored.
    const again = await deliver(created);
    expectStatus(again, 200);
    expect(again.json.duplicate).toBe(true);
    // A newer update (plan changed to Scale, cancelling at period end) …
    const event = JSON.parse(created.body);
    const newer = { ...event, id: `${event.id}_newer`, type: "customer.subscription.updated", created: event.created + 60 };
    newer.data.object.items.data[0].price.lookup_key = "qweb_scale_monthly";
    newer.data.object.cancel_at_period_end = true;
    expectStatus(await deliver(await signed(JSON.stringify(newer))), 200);
    expect(await billing(t)).toMatchObject({ plan: "scale", cancelAtPeriodEnd: true });
    // … then an older one arriving late (say, past_due from before) leaves the newer state as it is.
    const older = { ...event, id: `${event.id}_older`, type: "customer.subscription.updated", created: event.created - 60 };
    older.data.object.status = "past_due";
    const late = await deliver(await signed(JSON.stringify(older)));
    expectStatus(late, 200);
    expect(await billing(t)).toMatchObject({ plan: "scale", status: "trialing", cancelAtPeriodEnd: true, access: "ok" });
  });

  it("a signed event naming an organization this database does not hold (deleted, or another deployment's) is acknowledged and writes nothing", async () => {
    const t = await newTenant({ name: "Elsewhere" });
    const { deliveries } = await subscribe(t, "starter");
    const ghost = crypto.randomUUID();
    const sub = JSON.parse(deliveries.find((d) => JSON.parse(d.body).type === "customer.subscription.created")!.body);
    sub.id = `${sub.id}_ghost`;
    sub.data.object.metadata = { orgId: ghost };
    sub.data.object.customer = "cus_ghost";
    const checkout = JSON.parse(deliveries.find((d) => JSON.parse(d.body).type === "checkout.session.completed")!.body);
    checkout.id = `${checkout.id}_ghost`;
    checkout.data.object.client_reference_id = ghost;
    for (const e of [sub, checkout]) {
      const res = await deliver(await signed(JSON.stringify(e)));
      expectStatus(res, 200);
    }
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM billing_accounts WHERE org_id = ?").bind(ghost).first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("P07: subscription state changes only through verified webhooks: bad, stale, tampered or unsigned deliveries are refused", async () => {
    const t = await newTenant({ name: "Forge" });
    const { deliveries } = await subscribe(t, "starter");
    const event = JSON.parse(deliveries.find((d) => JSON.parse(d.body).type === "customer.subscription.created")!.body);
    const forged = { ...event, id: "evt_forged_1", type: "customer.subscription.updated", created: event.created + 120 };
    forged.data.object.items.data[0].price.lookup_key = "qweb_scale_monthly";
    const body = JSON.stringify(forged);
    const attempts = [
      await signed(body, { secret: "whsec_not_ours" }),
      await signed(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      { headers: { "stripe-signature": (await signed(JSON.stringify({ ...forged, id: "evt_other" }))).headers["stripe-signature"] }, body },
      { headers: { "stripe-signature": "t=1,v1=00" }, body },
    ];
    for (const a of attempts) expectStatus(await deliver(a), 401);
    expectStatus(await call("POST", "/api/webhooks/stripe", { rawBody: body, headers: { "content-type": "application/json" } }), 401);
    expect(await billing(t)).toMatchObject({ plan: "starter", status: "trialing" });
    const { results } = await env.DB.prepare("SELECT id FROM stripe_events WHERE id = 'evt_forged_1'").all();
    expect(results).toHaveLength(0);
    // The same event, signed by Stripe's secret within the tolerance, is accepted.
    expectStatus(await deliver(await signed(body)), 200);
    expect((await billing(t)).plan).toBe("scale");
  });
});

describe("billing: plan limits", () => {
  it("P07: the workspace limit answers 402 with an upgrade path, and a subscription lifts it", async () => {
    const t = await newTenant({ name: "Limit" });
    for (let i = 0; i < 5; i++) await newWorkspace(t, `Client ${i}`);
    const refused = await call("POST", "/api/workspaces", { token: t.token, body: { orgId: t.orgId, name: "One too many" } });
    expectStatus(refused, 402);
    expect(refused.json.error.message).toMatch(/Free plan includes 5 workspaces/);
    expect(refused.json.error.details).toMatchObject({ limit: "workspaces", allowed: 5, upgradeUrl: "/settings/billing" });
    await subscribe(t, "starter");
    await newWorkspace(t, "Now allowed");
    expect((await billing(t)).usage.workspaces).toBe(6);
  });
});

describe("billing: dunning", () => {
  it("past due → grace period with a notice → read-only (reads work, nothing deleted) → card fixed → writable", async () => {
    const t = await newTenant({ name: "Dunning" });
    const ws = await newWorkspace(t, "Kept client");
    const { deliveries } = await subscribe(t, "agency");
    const subscription = JSON.parse(deliveries.find((d) => JSON.parse(d.body).type === "customer.subscription.created")!.body).data.object.id;
    const since = Date.now();
    await sandbox("advance", { key: SANDBOX_STRIPE.secretKey, subscription, action: "payment_failed" });
    for (const d of await deliveriesSince(since)) expectStatus(await deliver(d), 200);
    const grace = await billing(t);
    expect(grace).toMatchObject({ status: "past_due", access: "grace", plan: "agency" });
    await waitForEmail(t.email.toLowerCase(), (m) => m.subject.includes("payment failed"));
    const finance = `/api/orgs/${t.orgId}/finance/projects`;
    expectStatus(await call("POST", finance, { token: t.token, body: { workspaceId: ws.id, name: "During grace" } }), 201);
    // Eight days later (the grace period is seven): read-only.
    await env.DB.prepare("UPDATE billing_accounts SET past_due_since = past_due_since - 8 * 86400000 WHERE org_id = ?").bind(t.orgId).run();
    expect((await billing(t)).access).toBe("read_only");
    const blocked = await call("POST", finance, { token: t.token, body: { workspaceId: ws.id, name: "Blocked" } });
    expectStatus(blocked, 402);
    expect(blocked.json.error.message).toMatch(/data is safe/);
    expectStatus(await call("POST", "/api/workspaces", { token: t.token, body: { orgId: t.orgId, name: "Blocked too" } }), 402);
    const read = await call("GET", finance, { token: t.token });
    expectStatus(read, 200);
    expect(read.json.projects.map((p: any) => p.name)).toEqual(["During grace"]);
    const again = Date.now();
    await sandbox("advance", { key: SANDBOX_STRIPE.secretKey, subscription, action: "recover" });
    for (const d of await deliveriesSince(again)) expectStatus(await deliver(d), 200);
    expect(await billing(t)).toMatchObject({ status: "active", access: "ok" });
    expectStatus(await call("POST", finance, { token: t.token, body: { workspaceId: ws.id, name: "After recovery" } }), 201);
  });
});
