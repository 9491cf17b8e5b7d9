import { and, count, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { billingAccounts, integrations, memberships, users, workspaces } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { platformStripe, stripeClient, type Stripe } from "../../connectors/stripe";
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

async function customerFor(ctx: BillingCtx, stripe: Stripe) {
  const row = await billingRow(ctx.db, ctx.org.orgId);
  if (row?.stripeCustomerId) return { id: row.stripeCustomerId, row };
  const [me] = await ctx.db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, ctx.org.userId)).limit(1);
  const customer = await stripe.customers.create({ email: me?.email, name: me?.name, metadata: { orgId: ctx.org.orgId } }, { idempotencyKey: `customer-${ctx.org.orgId}` });
  // Links the customer only; subscription state still comes only from webhooks.
  await ctx.db
    .insert(billingAccounts)
    .values({ orgId: ctx.org.orgId, stripeCustomerId: customer.id, stripeSubscriptionId: null, plan: "free", status: "none", trialEndsAt: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, pastDueSince: null, stateAt: 0, updatedAt: ctx.now })
    .onConflictDoUpdate({ target: billingAccounts.orgId, set: { stripeCustomerId: customer.id, updatedAt: ctx.now } });
  return { id: customer.id, row };
}

/** A Stripe Checkout session for a plan (with a trial the first time); card details are typed on Stripe's page only. */
export async function startCheckout({ ctx, input }: { ctx: BillingCtx; input: { plan: Exclude<PlanId, "free"> } }) {
  requireAdmin(ctx);
  const { stripe } = platform(ctx);
  const e = entitlement(await billingRow(ctx.db, ctx.org.orgId), ctx.now);
  if (e.status === "active" || e.status === "trialing" || e.status === "past_due") throw new ApiError("CONFLICT", "You already have a subscription: change plan or card in the customer portal");
  const customer = await customerFor(ctx, stripe);
  const [price] = await Promise.all([priceFor(ctx, stripe, input.plan), ensureSandboxEndpoint(ctx, stripe)]);
  const app = ctx.config.APP_URL.replace(/\/$/, "");
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    client_reference_id: ctx.org.orgId,
    line_items: [{ price, quantity: 1 }],
    subscription_data: { metadata: { orgId: ctx.org.orgId }, ...(customer.row?.stripeSubscriptionId ? {} : { trial_period_days: TRIAL_DAYS }) },
    success_url: `${app}/settings/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${app}/settings/billing?checkout=cancelled`,
  });
  return { url: session.url! };
}

/** A Customer Portal session: card, plan and cancellation are changed on Stripe's pages. */
export async function openPortal({ ctx }: { ctx: BillingCtx }) {
  requireAdmin(ctx);
  const { stripe } = platform(ctx);
  const row = await billingRow(ctx.db, ctx.org.orgId);
  if (!row?.stripeCustomerId) throw new ApiError("CONFLICT", "Subscribe to a plan first");
  await ensureSandboxEndpoint(ctx, stripe);
  const session = await stripe.billingPortal.sessions.create({ customer: row.stripeCustomerId, return_url: `${ctx.config.APP_URL.replace(/\/$/, "")}/settings/billing` });
  return { url: session.url };
}
