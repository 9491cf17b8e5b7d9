import { and, eq } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { invoices, stripeEvents } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { stripeClient, verifyStripeEvent, withStripe, type Stripe } from "../../../connectors/stripe";
import { requireFinanceAdmin, type FinanceCtx } from "../context";
import { openPublicInvoice } from "../invoices/public";
import { amountDue, todayIn } from "../invoices/view";
import { applyPayment } from "../payments/service";
import { forgetStripe, openStripe, sealStripe, stripeHint } from "./secrets";

const webhookUrl = (appUrl: string, orgId: string) => `${appUrl.replace(/\/$/, "")}/api/webhooks/stripe/orgs/${orgId}`;

/**
 * Connects the agency's own Stripe account: the key is tried at once by registering QWEB's
 * webhook endpoint on that account, whose signing secret Stripe returns only then; both are
 * stored only as vault ciphertext.
 */
export async function connectStripe({ ctx, input }: { ctx: FinanceCtx; input: { secretKey: string } }) {
  requireFinanceAdmin(ctx);
  const stripe = stripeClient(ctx.env, input.secretKey);
  let endpoint: Stripe.WebhookEndpoint;
  try {
    endpoint = await stripe.webhookEndpoints.create({ url: webhookUrl(ctx.config.APP_URL, ctx.org.orgId), enabled_events: ["checkout.session.completed"], metadata: { qwebOrg: ctx.org.orgId } });
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status === 401 || status === 403) throw new ApiError("UNPROCESSABLE", "Stripe refused this secret key");
    throw new ApiError("BAD_GATEWAY", "Stripe could not be reached; try again");
  }
  if (!endpoint.secret) throw new ApiError("BAD_GATEWAY", "Stripe returned no webhook signing secret");
  const stmts = await sealStripe(ctx.env, ctx.db, ctx.org.orgId, { secretKey: input.secretKey, webhookSecret: endpoint.secret }, ctx.now);
  await ctx.db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  return stripeStatus({ ctx });
}

export async function stripeStatus({ ctx }: { ctx: FinanceCtx }) {
  const hint = await stripeHint(ctx.db, ctx.org.orgId);
  return { connected: hint !== null, hint: hint?.hint ?? null, connectedAt: hint?.updatedAt ?? null };
}

export async function disconnectStripe({ ctx }: { ctx: FinanceCtx }) {
  requireFinanceAdmin(ctx);
  await forgetStripe(ctx.db, ctx.org.orgId);
}

/** From the public link: a Checkout Session for what is due, on the agency's own account. */
export async function payOnline(env: Env, db: Database, appUrl: string, token: string, now: number) {
  const inv = await openPublicInvoice(db, token, now, false);
  const due = amountDue(inv);
  if (inv.kind !== "invoice" || due <= 0 || !["sent", "viewed", "partially_paid"].includes(inv.status)) throw new ApiError("CONFLICT", "Nothing is due on this invoice");
  const keys = await openStripe(env, db, inv.orgId);
  if (!keys) throw notFound("Online payment");
  const back = `${appUrl.replace(/\/$/, "")}/i/${encodeURIComponent(token)}`;
  const session = await withStripe(() => stripeClient(env, keys.secretKey).checkout.sessions.create({
    mode: "payment",
    line_items: [{ quantity: 1, price_data: { currency: inv.currency.toLowerCase(), unit_amount: due, product_data: { name: `Invoice ${inv.number}` } } }],
    client_reference_id: inv.id,
    metadata: { invoiceId: inv.id, orgId: inv.orgId },
    payment_intent_data: { metadata: { invoiceId: inv.id } },
    success_url: `${back}?paid=1`,
    cancel_url: back,
  }), { keyRefused: "Online payment is not available for this invoice right now (the agency's Stripe account refused it); pay another way or contact the agency" });
  return { url: session.url! };
}

/**
 * The agency account's webhook: verified with that organization's signing secret; a paid
 * Checkout Session records the payment once (its session id is the payment's external id).
 */
export async function receiveAgencyEvent(env: Env, db: Database, orgId: string, raw: string, signature: string | undefined, now: number) {
  const keys = await openStripe(env, db, orgId).catch(() => null);
  if (!keys) throw notFound("Webhook");
  if (!signature) throw new ApiError("UNAUTHORIZED", "Missing Stripe-Signature");
  let event: Stripe.Event;
  try {
    event = await verifyStripeEvent(env, raw, signature, keys.webhookSecret);
  } catch {
    throw new ApiError("UNAUTHORIZED", "Invalid Stripe signature");
  }
  const [fresh] = await db.insert(stripeEvents).values({ id: event.id, account: orgId, type: event.type, created: event.created * 1000, receivedAt: now }).onConflictDoNothing().returning({ id: stripeEvents.id });
  if (!fresh || event.type !== "checkout.session.completed") return { received: true, duplicate: !fresh };
  const s = event.data.object as Stripe.Checkout.Session;
  const invoiceId = s.metadata?.invoiceId;
  if (s.payment_status !== "paid" || !invoiceId || !s.amount_total) return { received: true };
  const [inv] = await db.select({ id: invoices.id, currency: invoices.currency }).from(invoices).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, orgId))).limit(1);
  if (!inv || inv.currency.toLowerCase() !== (s.currency ?? "").toLowerCase()) return { received: true };
  try {
    await applyPayment(db, orgId, invoiceId, { amountMinor: s.amount_total, date: todayIn(now), method: "card (Stripe)", reference: s.id, externalId: s.id }, null, now);
  } catch (err) {
    if (!/UNIQUE/i.test(String((err as Error)?.cause ?? err))) throw err;
  }
  return { received: true };
}
