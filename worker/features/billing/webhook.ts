import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { billingAccounts, memberships, organizations, stripeEvents, users } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { platformStripe, verifyStripeEvent, type Stripe } from "../../connectors/stripe";
import { notify } from "../../core/notifications";
import { GRACE_DAYS, planOfLookupKey } from "./plans";

type Sub = Stripe.Subscription;

/**
 * QWEB's own Stripe webhook (P07): the only writer of subscription state. The signature is
 * checked on the raw body first (300 s tolerance); each event id is processed once; and a state
 * write carries the event's time, applied only if it is not older than the state held, so an
 * out-of-order delivery never overwrites a newer state.
 */
export async function receivePlatformEvent(env: Env, db: Database, raw: string, signature: string | undefined, now: number) {
  const stripe = platformStripe(env);
  if (!stripe) throw notFound("Webhook");
  if (!signature) throw new ApiError("UNAUTHORIZED", "Missing Stripe-Signature");
  let event: Stripe.Event;
  try {
    event = await verifyStripeEvent(env, raw, signature, stripe.webhookSecret);
  } catch {
    throw new ApiError("UNAUTHORIZED", "Invalid Stripe signature");
  }
  const at = event.created * 1000;
  const record = db.insert(stripeEvents).values({ id: event.id, account: "platform", type: event.type, created: at, receivedAt: now }).onConflictDoNothing().returning({ id: stripeEvents.id });
  const writes = await stateWrites(db, event, at, now);
  const [fresh] = await db.batch([record, ...writes]);
  const first = fresh.length > 0;
  if (first && event.type === "invoice.payment_failed") await dunningNotice(env, db, event.data.object as Stripe.Invoice, now);
  return { received: true, duplicate: !first, type: event.type };
}

async function orgOfCustomer(db: Database, customer: string | null | undefined) {
  if (!customer) return null;
  const [row] = await db.select({ orgId: billingAccounts.orgId }).from(billingAccounts).where(eq(billingAccounts.stripeCustomerId, customer)).limit(1);
  return row?.orgId ?? null;
}
/** An event may name an organization this database no longer (or never) held: it is acknowledged and changes nothing. */
async function orgExists(db: Database, orgId: string) {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).limit(1);
  return Boolean(row);
}
const customerId = (c: string | { id: string } | null | undefined) => (typeof c === "string" ? c : (c?.id ?? null));

async function stateWrites(db: Database, event: Stripe.Event, at: number, now: number) {
  if (event.type === "checkout.session.completed") {
    const s = event.data.object as Stripe.Checkout.Session;
    if (s.mode !== "subscription" || !s.client_reference_id || !(await orgExists(db, s.client_reference_id))) return [];
    const ids = { stripeCustomerId: customerId(s.customer), stripeSubscriptionId: typeof s.subscription === "string" ? s.subscription : (s.subscription?.id ?? null) };
    // Links the organization to its customer and subscription; the status comes from the subscription's own events.
    return [
      db
        .insert(billingAccounts)
        .values({ orgId: s.client_reference_id, ...ids, plan: "free", status: "none", trialEndsAt: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, pastDueSince: null, stateAt: 0, updatedAt: now })
        .onConflictDoUpdate({ target: billingAccounts.orgId, set: { ...ids, updatedAt: now } }),
    ];
  }
  if (!event.type.startsWith("customer.subscription.")) return [];
  const sub = event.data.object as Sub;
  const orgId = sub.metadata?.orgId || (await orgOfCustomer(db, customerId(sub.customer)));
  if (!orgId || !(await orgExists(db, orgId))) return [];
  const item = sub.items?.data?.[0];
  const status = event.type === "customer.subscription.deleted" ? "canceled" : sub.status;
  const state = {
    stripeCustomerId: customerId(sub.customer),
    stripeSubscriptionId: sub.id,
    plan: planOfLookupKey(item?.price?.lookup_key) ?? "starter",
    status,
    trialEndsAt: sub.trial_end ? sub.trial_end * 1000 : null,
    currentPeriodEnd: item?.current_period_end ? item.current_period_end * 1000 : null,
    cancelAtPeriodEnd: Boolean(sub.cancel_at_period_end),
    pastDueSince: status === "past_due" ? at : null,
    stateAt: at,
    updatedAt: now,
  };
  return [
    db
      .insert(billingAccounts)
      .values({ orgId, ...state })
      .onConflictDoUpdate({
        target: billingAccounts.orgId,
        set: { ...state, pastDueSince: sql`CASE WHEN excluded.status = 'past_due' THEN COALESCE(${billingAccounts.pastDueSince}, excluded.past_due_since) ELSE NULL END` },
        setWhere: sql`${billingAccounts.stateAt} <= excluded.state_at`,
      }),
  ];
}

/** A failed renewal: every owner and admin gets a notification and an email, once per event. */
async function dunningNotice(env: Env, db: Database, invoice: Stripe.Invoice, now: number) {
  const orgId = await orgOfCustomer(db, customerId(invoice.customer));
  if (!orgId) return;
  const admins = await db
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "admin"])));
  await notify({ ctx: { env, db, now }, input: { recipients: admins, notice: {
    kind: "system",
    title: "Your QWEB subscription payment failed",
    body: `We could not charge your card for QWEB. Update your card within ${GRACE_DAYS} days to keep full access; after that QWEB becomes read-only until the payment succeeds. Nothing is deleted.`,
    link: "/settings/billing",
  } } });
}
