import { and, count, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { billingAccounts, integrations, memberships, users, workspaces } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { isMissing, platformStripe, stripeClient, withStripe, type Stripe } from "../../connectors/stripe";
import type { OrgCtx } from "../../core/context";
import { PAID_PLANS, PLANS, TRIAL_DAYS, type PlanId } from "./plans";
import { billingRow, entitlement } from "./state";
import { aiSpendMinor, seatsTaken } from "./guard";
import { sandboxUrlOf } from "../../connectors/runtime";

export type BillingCtx = OrgCtx;

const requireAdmin = (ctx: BillingCtx) => {
  if (ctx.org.role === "member") throw new ApiError("FORBIDDEN", "Only organization owners and admins manage the subscription");
};
const platform = (ctx: BillingCtx) => {
  const keys = platformStripe(ctx.env);
  if (!keys) throw new ApiError("UNAVAILABLE", "Billing is not configured on this deployment");
  return { stripe: stripeClient(ctx.env, keys.secretKey), keys };
};

export async function usageOf(db: Database, orgId: string) {
  const [[ws], [seats], [accounts]] = await db.batch([
    db.select({ n: count() }).from(workspaces).where(eq(workspaces.orgId, orgId)),
    db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId)),
    db.select({ n: count() }).from(integrations).where(and(eq(integrations.orgId, orgId), ne(integrations.status, "disconnected"))),
  ]);
  return { workspaces: ws?.n ?? 0, seats: seats?.n ?? 0, connectedAccounts: accounts?.n ?? 0 };
}

export async function billingOverview({ ctx }: { ctx: BillingCtx }) {
  const row = await billingRow(ctx.db, ctx.org.orgId);
  const e = entitlement(row, ctx.now);
  return {
    plan: e.plan,
    planName: PLANS[e.plan].name,
    status: e.status,
    access: e.access,
    graceEndsAt: e.graceEndsAt,
    trialEndsAt: row?.trialEndsAt ?? null,
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: row?.cancelAtPeriodEnd ?? false,
    hasCustomer: Boolean(row?.stripeCustomerId),
    limits: e.limits,
    usage: { ...(await usageOf(ctx.db, ctx.org.orgId)), seats: await seatsTaken(ctx.db, ctx.org.orgId, ctx.now), aiSpendMinor: await aiSpendMinor(ctx.db, ctx.org.orgId, ctx.now) },
    plans: PAID_PLANS.map((id) => ({ id, name: PLANS[id].name, priceMinor: PLANS[id].priceMinor, currency: "USD", limits: PLANS[id].limits })),
    configured: platformStripe(ctx.env) !== null,
  };
}

/** The plan's Price, found by its lookup key; created on first use only against the sandbox. */
async function priceFor(ctx: BillingCtx, stripe: Stripe, plan: Exclude<PlanId, "free">) {
  const p = PLANS[plan];
  const found = await stripe.prices.list({ lookup_keys: [p.lookupKey!], limit: 1 });
  if (found.data[0]) return found.data[0].id;
  if (!sandboxUrlOf(ctx.env)) throw new ApiError("UNAVAILABLE", `No Stripe price with lookup key ${p.lookupKey}`);
  const created = await stripe.prices.create({ lookup_key: p.lookupKey!, currency: "usd", unit_amount: p.priceMinor, recurring: { interval: "month" }, product_data: { name: `QWEB ${p.name}` } });
  return created.id;
}

/** Against the sandbox, QWEB registers its own webhook endpoint (in production it is set up in Stripe's dashboard). */
async function ensureSandboxEndpoint(ctx: BillingCtx, stripe: Stripe) {
  if (!sandboxUrlOf(ctx.env)) return;
  const url = `${ctx.config.APP_URL.replace(/\/$/, "")}/api/webhooks/stripe`;
  const list = await stripe.webhookEndpoints.list({ limit: 100 });
  if (!list.data.some((e) => e.url === url)) await stripe.webhookEndpoints.create({ url, enabled_events: ["checkout.session.completed", "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted", "invoice.paid", "invoice.payment_failed"] });
}

/**
 * Forgets a customer id Stripe no longer knows (deleted in Stripe's dashboard, or from another
 * account/mode). Safe: Stripe deletes a customer's subscriptions with it, so nothing live hangs
 * on the id; the plan state itself still changes only through webhooks (P07).
 */
async function forgetStaleCustomer(ctx: BillingCtx, customerId: string) {
  await ctx.db.update(billingAccounts).set({ stripeCustomerId: null, updatedAt: ctx.now }).where(and(eq(billingAccounts.orgId, ctx.org.orgId), eq(billingAccounts.stripeCustomerId, customerId)));
}

async function customerFor(ctx: BillingCtx, stripe: Stripe, replacing?: string) {
  const row = await billingRow(ctx.db, ctx.org.orgId);
  if (row?.stripeCustomerId && row.stripeCustomerId !== replacing) return { id: row.stripeCustomerId, row };
  const [me] = await ctx.db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, ctx.org.userId)).limit(1);
  // A new key when replacing a stale customer, or Stripe would replay the old (deleted) one.
  const key = replacing ? `customer-${ctx.org.orgId}-after-${replacing}` : `customer-${ctx.org.orgId}`;
  const customer = await withStripe(() => stripe.customers.create({ email: me?.email, name: me?.name, metadata: { orgId: ctx.org.orgId } }, { idempotencyKey: key }));
  // Links the customer only; subscription state still comes only from webhooks.
  await ctx.db
    .insert(billingAccounts)
    .values({ orgId: ctx.org.orgId, stripeCustomerId: customer.id, stripeSubscriptionId: null, plan: "free", status: "none", trialEndsAt: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, pastDueSince: null, stateAt: 0, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: billingAccounts.orgId, set: { stripeCustomerId: customer.id, updatedAt: ctx.now } });
  return { id: customer.id, row };
}

/** withStripe rethrows as ApiError; the cause (Stripe's own error) tells a missing customer apart. */
const isMissingCustomer = (e: unknown) => isMissing((e as { cause?: unknown })?.cause ?? e, "customer");

/** A Stripe Checkout session for a plan (with a trial the first time); card details are typed on Stripe's page only. */
export async function startCheckout({ ctx, input }: { ctx: BillingCtx; input: { plan: Exclude<PlanId, "free"> } }) {
  requireAdmin(ctx);
  const { stripe } = platform(ctx);
  const e = entitlement(await billingRow(ctx.db, ctx.org.orgId), ctx.now);
  if (e.status === "active" || e.status === "trialing" || e.status === "past_due") throw new ApiError("CONFLICT", "You already have a subscription: change plan or card in the customer portal");
  let customer = await customerFor(ctx, stripe);
  const [price] = await withStripe(() => Promise.all([priceFor(ctx, stripe, input.plan), ensureSandboxEndpoint(ctx, stripe)]));
  const app = ctx.config.APP_URL.replace(/\/$/, "");
  const create = (customerId: string) => withStripe(() => stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customerId,
    client_reference_id: ctx.org.orgId,
    line_items: [{ price, quantity: 1 }],
    subscription_data: { metadata: { orgId: ctx.org.orgId }, ...(customer.row?.stripeSubscriptionId ? {} : { trial_period_days: TRIAL_DAYS }) },
    success_url: `${app}/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${app}/settings/billing?checkout=cancelled`,
  }));
  let session: Stripe.Checkout.Session;
  try {
    session = await create(customer.id);
  } catch (e) {
    if (!isMissingCustomer(e)) throw e;
    // The stored customer is gone at Stripe: repair the link with a new customer and try once more.
    await forgetStaleCustomer(ctx, customer.id);
    customer = await customerFor(ctx, stripe, customer.id);
    session = await create(customer.id);
  }
  return { url: session.url! };
}

/** A Customer Portal session: card, plan and cancellation are changed on Stripe's pages. */
export async function openPortal({ ctx }: { ctx: BillingCtx }) {
  requireAdmin(ctx);
  const { stripe } = platform(ctx);
  const row = await billingRow(ctx.db, ctx.org.orgId);
  if (!row?.stripeCustomerId) throw new ApiError("CONFLICT", "Subscribe to a plan first");
  const customerId = row.stripeCustomerId;
  try {
    await withStripe(() => ensureSandboxEndpoint(ctx, stripe));
    const session = await withStripe(() => stripe.billingPortal.sessions.create({ customer: customerId, return_url: `${ctx.config.APP_URL.replace(/\/$/, "")}/settings/billing` }));
    return { url: session.url };
  } catch (e) {
    if (!isMissingCustomer(e)) throw e;
    await forgetStaleCustomer(ctx, customerId);
    throw new ApiError("CONFLICT", "Your billing account could not be found at Stripe; start a new subscription", { details: { reason: "stripe_customer_missing" } });
  }
}
