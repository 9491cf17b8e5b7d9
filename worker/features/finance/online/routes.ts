import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../core/context";
import { doc, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { checkoutUrlView, stripeStatusView, tokenParam, webhookReceivedView } from "../invoices/schemas";
import { connectStripe, disconnectStripe, payOnline, receiveAgencyEvent, stripeStatus } from "./service";

const tags = ["finance: pay online"];
const connectBody = z.strictObject({ secretKey: z.string().trim().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]{8,200}$/, "A Stripe secret key (sk_test_… or sk_live_…)") });

/** `/api/orgs/:orgId/finance/stripe`: the agency's own Stripe account for invoice payments. */
export const onlinePaymentRoutes = new Hono<AppEnv>()
  .get("/stripe", doc({ summary: "Whether invoices can be paid online (the agency's Stripe account)", tags, response: stripeStatusView }), async (c) => c.json(await stripeStatus({ ctx: ctxOf(c) })))
  .put("/stripe", doc({ summary: "Connect the agency's Stripe account (its secret key goes to the vault)", tags, response: stripeStatusView, activity: { action: "finance.stripe.connect" } }), validate("json", connectBody), async (c) =>
    c.json(await connectStripe({ ctx: ctxOf(c), input: c.req.valid("json") })),
  )
  .delete("/stripe", doc({ summary: "Disconnect the agency's Stripe account", tags, status: 204, activity: { action: "finance.stripe.disconnect" } }), async (c) => {
    await disconnectStripe({ ctx: ctxOf(c) });
    return c.body(null, 204);
  });

/** Public: the client pays an invoice from its link. */
export const publicPayRoutes = new Hono<AppEnv>().post("/:token/pay", doc({ summary: "Start paying an invoice online (Stripe Checkout on the agency's account)", tags, public: true, response: checkoutUrlView, activity: { action: "finance.invoice.pay-online" } }), validate("param", tokenParam), async (c) =>
  c.json(await payOnline(c.env, c.var.db, c.var.config.APP_URL, c.req.valid("param").token, c.var.ctx.now)),
);

const orgParam = z.object({ orgId: z.string().min(1).max(64) });
/** `/api/webhooks/stripe/orgs/:orgId`: the agency account's deliveries (signed with that account's endpoint secret). */
export const agencyWebhookRoutes = new Hono<AppEnv>().post("/:orgId", doc({ summary: "Stripe webhook of an agency's own account (invoice payments)", tags: ["webhooks"], public: true, response: webhookReceivedView, activity: { action: "webhook.receive", target: () => ({ type: "provider", id: "stripe" }) } }), validate("param", orgParam), async (c) =>
  c.json(await receiveAgencyEvent(c.env, c.var.db, c.req.valid("param").orgId, await c.req.text(), c.req.header("stripe-signature"), c.var.ctx.now)),
);
