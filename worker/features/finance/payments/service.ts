import { and, desc, eq, sql } from "drizzle-orm";
import { invoices, payments } from "../../../db/schema";
import { ApiError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { fromMinor } from "../../../lib/money";
import type { Database } from "../../../db/client";
import { requireFinanceAdmin, type FinanceCtx } from "../context";
import { getInvoice, getInvoiceRow } from "../invoices/service";
import { amountDue } from "../invoices/view";

type PaymentInput = { amountMinor: number; date: string; method: string; reference?: string; externalId?: string | null };

/**
 * Adds a payment to an invoice: the amount due check and the new status sit in the one UPDATE,
 * so two payments recorded at once can never overpay; the payment row follows it. Used for
 * payments recorded by hand and for verified online payments (externalId: paid once).
 */
export async function applyPayment(db: Database, orgId: string, invoiceId: string, input: PaymentInput, by: string | null, now: number) {
  const [inv] = await db
    .update(invoices)
    .set({
      paidMinor: sql`${invoices.paidMinor} + ${input.amountMinor}`,
      status: sql`CASE WHEN ${invoices.paidMinor} + ${invoices.creditedMinor} + ${input.amountMinor} >= ${invoices.totalMinor} THEN 'paid' ELSE 'partially_paid' END`,
      updatedAt: now,
    })
    .where(
      and(
        eq(invoices.id, invoiceId),
        eq(invoices.orgId, orgId),
        eq(invoices.kind, "invoice"),
        sql`${invoices.status} IN ('sent', 'viewed', 'partially_paid')`,
        sql`${invoices.paidMinor} + ${invoices.creditedMinor} + ${input.amountMinor} <= ${invoices.totalMinor}`,
      ),
    )
    .returning();
  if (!inv) return null;
  const row = {
    id: newId(),
    orgId,
    workspaceId: inv.workspaceId,
    invoiceId,
    date: input.date,
    amountMinor: input.amountMinor,
    currency: inv.currency,
    method: input.method,
    reference: input.reference ?? "",
    externalId: input.externalId ?? null,
    recordedBy: by,
    createdAt: now,
  };
  try {
    await db.insert(payments).values(row);
  } catch (err) {
    // Put the amount back: the payment was not recorded (e.g. an online payment seen twice).
    await db.update(invoices).set({ paidMinor: sql`${invoices.paidMinor} - ${input.amountMinor}`, status: sql`CASE WHEN ${invoices.paidMinor} - ${input.amountMinor} = 0 THEN 'sent' ELSE 'partially_paid' END` }).where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, orgId)));
    throw err;
  }
  return row;
}

export async function recordPayment({ ctx, input }: { ctx: FinanceCtx; input: PaymentInput & { invoiceId: string } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.kind !== "invoice" || !["sent", "viewed", "partially_paid"].includes(inv.status)) {
    throw new ApiError("CONFLICT", inv.status === "paid" ? "This invoice is paid in full" : "Payments are recorded on sent invoices only");
  }
  const { invoiceId, externalId: _ignored, ...rest } = input;
  const row = await applyPayment(ctx.db, ctx.org.orgId, invoiceId, rest, ctx.org.userId, ctx.now);
  if (!row) {
    const fresh = await getInvoiceRow(ctx, invoiceId);
    throw new ApiError("UNPROCESSABLE", `At most ${fromMinor(amountDue(fresh), fresh.currency)} ${fresh.currency} is due on this invoice`, { details: [{ path: "amountMinor", message: "More than the amount due" }] });
  }
  return { payment: row, invoice: await getInvoice({ ctx, input: { invoiceId } }) };
}

export async function listPayments({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId?: string } }) {
  requireFinanceAdmin(ctx);
  return ctx.db
    .select({ payment: payments, number: invoices.number })
    .from(payments)
    .innerJoin(invoices, and(eq(invoices.id, payments.invoiceId), eq(invoices.orgId, payments.orgId)))
    .where(and(eq(payments.orgId, ctx.org.orgId), input.invoiceId ? eq(payments.invoiceId, input.invoiceId) : undefined))
    .orderBy(desc(payments.date), desc(payments.createdAt))
    .limit(500)
    .then((rows) => rows.map((r) => ({ ...r.payment, invoiceNumber: r.number })));
}
