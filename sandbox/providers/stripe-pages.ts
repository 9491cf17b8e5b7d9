// The hosted pages of the Stripe sandbox: Checkout (a Pay button that completes the session) and
// the Customer Portal (change plan, update card, cancel). Card details are typed here, never in QWEB.
import { html, redirect, type SandboxResponse } from "../lib.ts";
import { emit, nowSec, stripeId, type Account, type Obj } from "./stripe-state.ts";
import { cancelAtPeriodEnd, changePrice, createSubscription, recoverPayment } from "./stripe-billing.ts";
import { int } from "./stripe-form.ts";

const esc = (s: unknown) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (minor: number, currency: string) => `${(minor / (["jpy", "krw"].includes(currency) ? 1 : 100)).toFixed(["jpy", "krw"].includes(currency) ? 0 : 2)} ${currency.toUpperCase()}`;
const page = (title: string, body: string) =>
  html(200, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f6f9fc;display:grid;place-items:center;min-height:100vh;margin:0;color:#1a1f36}
main{background:#fff;padding:32px;border-radius:12px;box-shadow:0 4px 24px #0002;width:min(440px,92vw)}label{display:block;margin:12px 0 4px;font-size:14px}
input{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c4cdd5;border-radius:6px;font-size:15px}
button{font-size:16px;padding:11px 18px;border-radius:8px;border:0;cursor:pointer;margin-top:16px;background:#635bff;color:#fff;width:100%}
.secondary{background:#e3e8ee;color:#1a1f36}.row{display:flex;gap:8px}.muted{color:#4f566b;font-size:14px}a{color:#4b44d6}</style></head>
<body><main><p class="muted">Stripe sandbox · test mode</p>${body}</main></body></html>`);

export function checkoutPage(_a: Account, s: Obj): SandboxResponse {
  if (s.status !== "open") return page("Checkout", `<h1>This checkout session is ${esc(s.status)}</h1>`);
  const trial = int(s.subscription_data?.trial_period_days);
  return page(
    "Checkout",
    `<h1>${s.mode === "subscription" ? "Subscribe" : "Pay"}</h1><p><strong>${esc(money(s.amount_total, s.currency))}</strong>${s.mode === "subscription" ? " per month" : ""}${trial ? ` after a ${trial}-day free trial` : ""}</p>
<form method="post"><label for="card">Card number</label><input id="card" name="card" value="4242 4242 4242 4242" autocomplete="off">
<div class="row"><div><label for="exp">Expiry</label><input id="exp" name="exp" value="12 / 34"></div><div><label for="cvc">CVC</label><input id="cvc" name="cvc" value="123"></div></div>
<button type="submit">${s.mode === "subscription" ? (trial ? "Start trial" : "Subscribe") : "Pay"}</button></form>
${s.cancel_url ? `<p><a href="${esc(s.cancel_url)}">Cancel and return</a></p>` : ""}`,
  );
}

/** The Pay button: completes the session, creates what it bought, and sends the signed events. */
export async function completeCheckout(a: Account, s: Obj): Promise<SandboxResponse> {
  if (s.status !== "open") return redirect(String(s.success_url).replace("{CHECKOUT_SESSION_ID}", s.id));
  if (!s.customer) {
    const c = { id: stripeId("cus"), object: "customer", email: s.customer_email, name: null, metadata: {}, created: nowSec(), livemode: false };
    a.customers.set(c.id, c);
    s.customer = c.id;
  }
  s.status = "complete";
  s.payment_status = "paid";
  let created: { sub: Obj; inv: Obj } | null = null;
  if (s.mode === "subscription") {
    const price = a.prices.get(s.line_items_input[0].price)!;
    created = await createSubscription(a, s.customer, price, { trialDays: int(s.subscription_data?.trial_period_days), metadata: s.subscription_data?.metadata });
    s.subscription = created.sub.id;
    if (created.sub.status === "trialing") s.payment_status = "no_payment_required";
  } else {
    s.payment_intent = stripeId("pi");
  }
  const { line_items_input: _l, subscription_data: _s, payment_intent_data: _p, ...shape } = s;
  await emit(a, "checkout.session.completed", shape);
  if (created) {
    await emit(a, "customer.subscription.created", created.sub);
    await emit(a, "invoice.paid", created.inv);
  }
  return redirect(String(s.success_url).replace("{CHECKOUT_SESSION_ID}", s.id));
}

export function portalPage(a: Account, p: Obj): SandboxResponse {
  const subs = [...a.subscriptions.values()].filter((s) => s.customer === p.customer && s.status !== "canceled");
  const prices = [...a.prices.values()].filter((x) => x.recurring);
  const body = subs
    .map((s) => {
      const current = s.items.data[0].price;
      const options = prices.filter((x) => x.id !== current.id).map((x) => `<button class="secondary" name="price" value="${esc(x.id)}">Switch to ${esc(x.lookup_key ?? x.id)} (${esc(money(x.unit_amount, x.currency))})</button>`).join("");
      return `<h2>${esc(current.lookup_key ?? current.id)} · ${esc(s.status)}</h2>${s.cancel_at_period_end ? `<p class="muted">Cancels at the end of the period.</p>` : ""}
<form method="post"><input type="hidden" name="subscription" value="${esc(s.id)}">${options}
<button class="secondary" name="action" value="update_card">Update card</button>
<button class="secondary" name="action" value="${s.cancel_at_period_end ? "renew" : "cancel"}">${s.cancel_at_period_end ? "Renew plan" : "Cancel plan"}</button></form>`;
    })
    .join("");
  return page("Customer portal", `<h1>Your subscription</h1>${body || "<p>No active subscription.</p>"}${p.return_url ? `<p><a href="${esc(p.return_url)}">Return to QWEB</a></p>` : ""}`);
}

export async function portalAction(a: Account, p: Obj, form: Obj): Promise<SandboxResponse> {
  const sub = a.subscriptions.get(form.subscription);
  if (sub && sub.customer === p.customer) {
    if (form.price && a.prices.has(form.price)) await changePrice(a, sub, a.prices.get(form.price)!);
    else if (form.action === "cancel") await cancelAtPeriodEnd(a, sub, true);
    else if (form.action === "renew") await cancelAtPeriodEnd(a, sub, false);
    else if (form.action === "update_card" && sub.status === "past_due") await recoverPayment(a, sub);
    else if (form.action === "update_card") await emit(a, "customer.updated", a.customers.get(p.customer) ?? { id: p.customer });
  }
  return redirect(`${p.url}`);
}
