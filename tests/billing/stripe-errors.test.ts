import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { call, env, expectStatus, newTenant } from "../support/harness";
import { injectFaults, sandboxControl } from "../support/connectors";
import { billing, subscribe } from "./support";
import { SANDBOX_STRIPE } from "../../worker/connectors/stripe";

const stripeAtSandbox = () => {
  const u = new URL(env.SANDBOX_URL);
  return new Stripe(SANDBOX_STRIPE.secretKey, { httpClient: Stripe.createFetchHttpClient(), host: u.hostname, port: Number(u.port), protocol: "http", maxNetworkRetries: 0 });
};
const customerOf = async (orgId: string) =>
  (await env.DB.prepare("SELECT stripe_customer_id AS id FROM billing_accounts WHERE org_id = ?").bind(orgId).first<{ id: string | null }>())?.id ?? null;

describe("billing: Stripe's errors reach the user as clear answers, never a 500", () => {
  afterEach(async () => {
    await sandboxControl("faults?provider=stripe", undefined, "DELETE");
  });

  it("the sandbox answers Stripe's own error body for an unknown customer", async () => {
    const res = await fetch(`${env.SANDBOX_URL}/v1/billing_portal/sessions`, { method: "POST", headers: { authorization: `Bearer ${SANDBOX_STRIPE.secretKey}`, "content-type": "application/x-www-form-urlencoded", host: "api.stripe.com" }, body: "customer=cus_gone_123" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ type: "invalid_request_error", code: "resource_missing", param: "customer", message: "No such customer: 'cus_gone_123'" });
  });

  it("opening the Customer Portal for a customer deleted at Stripe answers 409 with a way on, and a new subscription repairs the link", async () => {
    const t = await newTenant({ name: "Stale" });
    await subscribe(t, "starter");
    const stale = await customerOf(t.orgId);
    expect(stale).toMatch(/^cus_/);
    // Someone deletes the customer in Stripe's dashboard.
    expect((await stripeAtSandbox().customers.del(stale!)).deleted).toBe(true);

    const portal = await call("POST", `/api/orgs/${t.orgId}/billing/portal`, { token: t.token });
    expectStatus(portal, 409);
    expect(portal.json.error).toMatchObject({ code: "CONFLICT", message: "Your billing account could not be found at Stripe; start a new subscription" });
    // The stale id is forgotten; the plan state is left to the webhooks (P07).
    expect(await customerOf(t.orgId)).toBeNull();
    expect(await billing(t)).toMatchObject({ hasCustomer: false, plan: "starter" });
    expectStatus(await call("POST", `/api/orgs/${t.orgId}/billing/portal`, { token: t.token }), 409);
  });

  it("checkout with a stale customer id creates a new Stripe customer instead of failing", async () => {
    const t = await newTenant({ name: "Relink" });
    await env.DB.prepare("INSERT INTO billing_accounts (org_id, stripe_customer_id, plan, status, cancel_at_period_end, state_at, updated_at) VALUES (?, 'cus_from_another_mode', 'free', 'none', 0, 0, ?)").bind(t.orgId, Date.now()).run();
    const res = await call("POST", `/api/orgs/${t.orgId}/billing/checkout`, { token: t.token, body: { plan: "agency" } });
    expectStatus(res, 200);
    expect(res.json.url).toContain("/checkout.stripe.com/c/pay/cs_test_");
    const now = await customerOf(t.orgId);
    expect(now).toMatch(/^cus_/);
    expect(now).not.toBe("cus_from_another_mode");
    expect((await stripeAtSandbox().customers.retrieve(now!)).id).toBe(now);
  });

  it("Stripe failing answers 502/503 in the common error shape with a sentence", async () => {
    const t = await newTenant({ name: "Outage" });
    await subscribe(t, "starter");
    await injectFaults({ provider: "stripe", kind: "500", match: "billing_portal", count: 3 });
    const failing = await call("POST", `/api/orgs/${t.orgId}/billing/portal`, { token: t.token });
    expect([502, 503]).toContain(failing.status);
    expect(failing.json.error.message).toMatch(/Stripe .*try again/);
    expect(await customerOf(t.orgId)).toMatch(/^cus_/);

    await sandboxControl("faults?provider=stripe", undefined, "DELETE");
    await injectFaults({ provider: "stripe", kind: "429", match: "checkout/sessions", count: 1 });
    const t2 = await newTenant({ name: "Busy" });
    const busy = await call("POST", `/api/orgs/${t2.orgId}/billing/checkout`, { token: t2.token, body: { plan: "scale" } });
    expectStatus(busy, 503);
    expect(busy.json.error.message).toBe("Stripe is busy right now; try again in a minute");
  });
});
