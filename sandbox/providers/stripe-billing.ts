// Subscriptions and their invoices in the Stripe sandbox: creation from Checkout, plan changes,
// cancellation, and the dunning path (a failed renewal → past_due; a recovered one → active).
import { emit, nowSec, stripeId, type Account, type Obj } from "./stripe-state.ts";

const MONTH = 30 * 86_400;

function invoiceFor(a: Account, sub: Obj, paid: boolean, attempt = 1) {
  const price = sub.items.data[0].price;
  const inv = {
    id: stripeId("in"), object: "invoice", customer: sub.customer, status: paid ? "paid" : "open", currency: price.currency,
    amount_due: sub.status === "trialing" ? 0 : price.unit_amount, amount_paid: paid && sub.status !== "trialing" ? price.unit_amount : 0,
    attempt_count: attempt, attempted: true, next_payment_attempt: paid ? null : nowSec() + 3 * 86_400,
    hosted_invoice_url: `https://invoice.stripe.com/i/${stripeId("inv")}`,
    parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: sub.metadata } },
    created: nowSec(), livemode: false,
  };
  a.invoices.set(inv.id, inv);
  sub.latest_invoice = inv.id;
  return inv;
}

export async function createSubscription(a: Account, customer: string, price: Obj, opts: { trialDays?: number; metadata?: Obj }) {
  const start = nowSec();
  const trialEnd = opts.trialDays ? start + opts.trialDays * 86_400 : null;
  const sub: Obj = {
    id: stripeId("sub"), object: "subscription", customer, status: trialEnd ? "trialing" : "active",
    items: { object: "list", data: [{ id: stripeId("si"), object: "subscription_item", price, quantity: 1, current_period_start: start, current_period_end: trialEnd ?? start + MONTH }] },
    cancel_at_period_end: false, canceled_at: null, trial_start: trialEnd ? start : null, trial_end: trialEnd, metadata: opts.metadata ?? {},
    created: start, start_date: start, latest_invoice: null, livemode: false,
  };
  a.subscriptions.set(sub.id, sub);
  const inv = invoiceFor(a, sub, true);
  return { sub, inv };
}

export async function changePrice(a: Account, sub: Obj, price: Obj) {
  const previous = { items: structuredClone(sub.items) };
  sub.items.data[0].price = price;
  await emit(a, "customer.subscription.updated", sub, previous);
}

export async function cancelAtPeriodEnd(a: Account, sub: Obj, cancel: boolean) {
  const previous = { cancel_at_period_end: sub.cancel_at_period_end };
  sub.cancel_at_period_end = cancel;
  sub.canceled_at = cancel ? nowSec() : null;
  await emit(a, "customer.subscription.updated", sub, previous);
}

/** A renewal whose charge fails: an open invoice, invoice.payment_failed, and the subscription goes past_due. */
export async function failPayment(a: Account, sub: Obj) {
  const inv = invoiceFor(a, { ...sub, status: "active" }, false);
  sub.latest_invoice = inv.id;
  await emit(a, "invoice.payment_failed", inv);
  const previous = { status: sub.status };
  sub.status = "past_due";
  await emit(a, "customer.subscription.updated", sub, previous);
}

/** The card was fixed: the open invoice is paid and the subscription is active again. */
export async function recoverPayment(a: Account, sub: Obj) {
  const inv = a.invoices.get(sub.latest_invoice);
  if (inv && inv.status === "open") {
    inv.status = "paid";
    inv.amount_paid = inv.amount_due;
    await emit(a, "invoice.paid", inv);
  }
  const previous = { status: sub.status };
  sub.status = "active";
  const item = sub.items.data[0];
  item.current_period_start = nowSec();
  item.current_period_end = nowSec() + MONTH;
  await emit(a, "customer.subscription.updated", sub, previous);
}
