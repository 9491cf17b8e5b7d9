import { sqliteTable, text, integer, index } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { organizations } from "./tenancy";

/**
 * QWEB's own subscription of an organization (P07). Written only by verified Stripe webhooks;
 * `stateAt` is the Stripe event time of the state held, so an older event never overwrites it.
 */
export const billingAccounts = sqliteTable(
  "billing_accounts",
  {
    orgId: text().primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
    stripeCustomerId: text(),
    stripeSubscriptionId: text(),
    plan: text().notNull(),
    /** Stripe's subscription status, or "none" before the first checkout. */
    status: text().notNull(),
    trialEndsAt: integer(),
    currentPeriodEnd: integer(),
    cancelAtPeriodEnd: integer({ mode: "boolean" }).notNull(),
    /** When the subscription went past due (start of the grace period); null otherwise. */
    pastDueSince: integer(),
    stateAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("billing_accounts_customer_idx").on(t.stripeCustomerId)],
);
declareData(billingAccounts, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Your organization's QWEB plan and subscription state (no card data: Stripe holds it)",
});

/** Every processed Stripe event id: a redelivered or replayed event is processed once. */
export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text().primaryKey(),
    /** "platform" for QWEB's account; the organization id for an agency's own account. */
    account: text().notNull(),
    type: text().notNull(),
    created: integer().notNull(),
    receivedAt: integer().notNull(),
  },
  (t) => [index("stripe_events_received_idx").on(t.receivedAt)],
);
declareData(stripeEvents, {
  owners: {},
  retention: { rule: "rolling", months: 3, column: "received_at" },
  export: false,
  purpose: "Ids of processed Stripe events (deduplication); no personal data",
});
