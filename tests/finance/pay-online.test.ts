import { describe, expect, it } from "vitest";
import { call, env, expectStatus, waitForEmail } from "../support/harness";
import { deliver, sandbox, signed } from "../billing/support";
import { newAgency, ok } from "./support";

const AGENCY_KEY = "sk_test_agency_northwind_1234";

async function sentWithLink(a: Awaited<ReturnType<typeof newAgency>>, email: string) {
  const inv = await ok("POST", a.fin("/invoices"), a.token, { workspaceId: a.workspaceId, currency: "EUR", billTo: { name: "Client", email }, lines: [{ description: "Retainer", quantity: 1, unitPriceMinor: 25_000 }] });
  await ok("POST", a.fin(`/invoices/${inv.id}/send`), a.token, {}, 200);
  const mail = await waitForEmail(email, (m) => m.subject.includes(inv.number));
  return { inv, token: /\/i\/([A-Za-z0-9_-]+)/.exec(mail.text)![1]! };
}

describe("finance: pay online through the agency's own Stripe account", () => {
  it("the client pays from the public link; only the verified webhook records the payment, once", async () => {
    const a = await newAgency("Online");
    const status = await ok("PUT", a.fin("/stripe"), a.token, { secretKey: AGENCY_KEY }, 200);
    expect(status).toMatchObject({ connected: true, hint: "test key …1234" });
    const { results } = await env.DB.prepare("SELECT ciphertext FROM finance_secrets WHERE org_id = ?").bind(a.orgId).all<{ ciphertext: string }>();
    expect(results).toHaveLength(2);
    expect(JSON.stringify(results)).not.toContain(AGENCY_KEY);
    const { inv, token } = await sentWithLink(a, "payer@client.test");
    expect((await call("GET", `/api/invoice-links/${token}`)).json.payOnline).toBe(true);
    const since = Date.now();
    const pay = await call("POST", `/api/invoice-links/${token}/pay`);
    expectStatus(pay, 200);
    const paid = await fetch(pay.json.url, { method: "POST", body: "", redirect: "manual" });
    expect(paid.headers.get("location")).toContain(`/i/${token}?paid=1`);
    expect((await ok("GET", a.fin(`/invoices/${inv.id}`), a.token)).status).toBe("viewed");
    const { deliveries } = await sandbox<{ deliveries: { url: string; headers: Record<string, string>; body: string }[] }>(`deliveries?key=${AGENCY_KEY}&since=${since}`);
    const completed = deliveries.find((d) => JSON.parse(d.body).type === "checkout.session.completed")!;
    expect(completed.url).toMatch(new RegExp(`/api/webhooks/stripe/orgs/${a.orgId}$`));
    const hook = (d: { headers: Record<string, string>; body: string }) => call("POST", `/api/webhooks/stripe/orgs/${a.orgId}`, { rawBody: d.body, headers: { "content-type": "application/json", "stripe-signature": d.headers["stripe-signature"]! } });
    expectStatus(await hook(await signed(completed.body, { secret: "whsec_someone_else" })), 401);
    expectStatus(await hook(completed), 200);
    expectStatus(await hook(completed), 200);
    const after = await ok("GET", a.fin(`/invoices/${inv.id}`), a.token);
    expect(after).toMatchObject({ status: "paid", paidMinor: 25_000, amountDueMinor: 0 });
    expect((await ok("GET", a.fin("/payments"), a.token)).payments).toHaveLength(1);
    expectStatus(await call("POST", `/api/invoice-links/${token}/pay`), 409);
    // QWEB's own webhook endpoint does not accept the agency's deliveries.
    expectStatus(await deliver(completed), 200);
    expect((await ok("GET", a.fin(`/invoices/${inv.id}`), a.token)).paidMinor).toBe(25_000);
  });

  it("a malformed key is refused; without a connected account there is no online payment", async () => {
    const a = await newAgency("NoOnline");
    expectStatus(await call("PUT", a.fin("/stripe"), { token: a.token, body: { secretKey: "pk_test_publishable" } }), 400);
    const { token } = await sentWithLink(a, "nopay@client.test");
    expect((await call("GET", `/api/invoice-links/${token}`)).json.payOnline).toBe(false);
    expectStatus(await call("POST", `/api/invoice-links/${token}/pay`), 404);
    expectStatus(await call("POST", `/api/webhooks/stripe/orgs/${a.orgId}`, { rawBody: "{}", headers: { "stripe-signature": "t=1,v1=0" } }), 404);
  });
});
