import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { billingOverviewView, checkoutBody, sessionUrlView, webhookReceivedView } from "./schemas";
import { billingOverview, openPortal, startCheckout, type BillingCtx } from "./service";
import { receivePlatformEvent } from "./webhook";
import type { Context } from "hono";

const tags = ["billing"];
const ctxOf = (c: Context<AppEnv>): BillingCtx => c.var.orgCtx;

/** `/api/orgs/:orgId/billing`: the organization's QWEB plan; subscribing and changes go through Stripe's pages. */
export const billingRoutes = new Hono<AppEnv>()
  .use(requireOrg("member"))
  .get("/", doc({ summary: "Plan, subscription status, usage against the plan's limits", tags, response: billingOverviewView }), async (c) => c.json(await billingOverview({ ctx: ctxOf(c) })))
  .post("/checkout", doc({ summary: "A Stripe Checkout session for a plan (owners and admins); answers its URL", tags, response: sessionUrlView, activity: { action: "billing.checkout" } }), validate("json", checkoutBody), async (c) =>
    c.json(await startCheckout({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .post("/portal", doc({ summary: "A Stripe Customer Portal session (card, plan, cancel); answers its URL", tags, response: sessionUrlView, activity: { action: "billing.portal" } }), async (c) => c.json(await openPortal({ ctx: ctxOf(c) })));

/** POST /api/webhooks/stripe: QWEB's own Stripe account (signature checked on the raw body first). */
export const stripeWebhookRoutes = new Hono<AppEnv>().post("/", doc({ summary: "Stripe webhook of QWEB's own account (subscriptions)", tags: ["webhooks"], public: true, response: webhookReceivedView, activity: { action: "webhook.receive", target: () => ({ type: "provider", id: "stripe" }) } }), async (c) =>
  c.json(await receivePlatformEvent(c.env, c.var.db, await c.req.text(), c.req.header("stripe-signature"), c.var.ctx.now)),
);
