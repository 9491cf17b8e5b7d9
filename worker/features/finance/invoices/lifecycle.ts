import { and, eq, sql } from "drizzle-orm";
import { expenses, invoices, timeEntries } from "../../../db/schema";
import { sha256Hex } from "../../../lib/hash";
import { ApiError } from "../../../lib/errors";
import { newToken } from "../../../lib/ids";
import { fromMinor } from "../../../lib/money";
import { sendEmail } from "../../../core/email/outbound";
import { getSettings, requireFinanceAdmin, type FinanceCtx } from "../context";
import { logoBytes } from "./logo";
import { pdfKey, renderInvoicePdf } from "./pdf";
import { getInvoice, getInvoiceRow, insertInvoice, linesOf } from "./service";
import { specFromBody } from "./lines";
import type { LineBody } from "./schemas";

export const LINK_DAYS = 60;

/** Renders the PDF and stores it in R2 (replacing an older rendering). */
export async function storePdf(ctx: FinanceCtx, invoiceId: string) {
  const inv = await getInvoiceRow(ctx, invoiceId);
  const settings = await getSettings(ctx);
  const bytes = await renderInvoicePdf(inv, await linesOf(ctx, inv.id), settings, await logoBytes(ctx, settings));
  const key = pdfKey(ctx.org.orgId, inv.id);
  await ctx.env.FILES.put(key, bytes, { httpMetadata: { contentType: "application/pdf" } });
  await ctx.db.update(invoices).set({ pdfKey: key }).where(and(eq(invoices.id, inv.id), eq(invoices.orgId, ctx.org.orgId)));
  return bytes;
}

/** The PDF as it stands: drafts are rendered fresh (a preview), issued invoices from R2. */
export async function invoicePdf({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId: string } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.status !== "draft" && inv.pdfKey) {
    const obj = await ctx.env.FILES.get(inv.pdfKey);
    if (obj) return { bytes: new Uint8Array(await obj.arrayBuffer()), number: inv.number };
  }
  return { bytes: await storePdf(ctx, inv.id), number: inv.number };
}

/**
 * Sends an invoice: it leaves draft, its PDF is stored, and the client gets an email with a
 * public link (an unguessable token whose hash alone is stored; it expires after 60 days).
 * Sending again issues a fresh link and invalidates the old one.
 */
export async function sendInvoice({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId: string; to?: string; message?: string } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.status === "void") throw new ApiError("CONFLICT", "A void invoice cannot be sent");
  if (inv.kind === "invoice" && inv.totalMinor === 0) throw new ApiError("UNPROCESSABLE", "Add at least one line with an amount before sending");
  const to = input.to ?? inv.billTo.email;
  if (!to) throw new ApiError("VALIDATION_FAILED", "Who should receive it? Give `to` or a bill-to email", { details: [{ path: "to", message: "Required" }] });
  const token = newToken();
  const expiresAt = ctx.now + LINK_DAYS * 86_400_000;
  await ctx.db
    .update(invoices)
    .set({
      status: sql`CASE WHEN ${invoices.status} = 'draft' THEN 'sent' ELSE ${invoices.status} END`,
      sentAt: ctx.now,
      publicTokenHash: await sha256Hex(token),
      publicExpiresAt: expiresAt,
      billTo: { ...inv.billTo, email: to },
      updatedAt: ctx.now,
    })
    .where(and(eq(invoices.id, inv.id), eq(invoices.orgId, ctx.org.orgId)));
  await storePdf(ctx, inv.id);
  const settings = await getSettings(ctx);
  const base = ctx.config.APP_URL.replace(/\/$/, "");
  const from = settings.agencyName ?? "Your agency";
  await sendEmail(ctx.env, {
    to,
    subject: `${inv.kind === "credit_note" ? "Credit note" : "Invoice"} ${inv.number} from ${from}`,
    text: [
      `Hello ${inv.billTo.name},`,
      "",
      ...(input.message ? [input.message, ""] : []),
      `${from} sent you ${inv.kind === "credit_note" ? "credit note" : "invoice"} ${inv.number} for ${fromMinor(inv.totalMinor, inv.currency)} ${inv.currency}, due ${inv.dueDate}.`,
      "",
      "View it online:",
      `${base}/i/${token}`,
      "",
      "Download the PDF:",
      `${base}/api/invoice-links/${token}/pdf`,
      "",
      `The link expires on ${new Date(expiresAt).toUTCString()}.`,
    ].join("\n"),
  });
  return getInvoice({ ctx, input: { invoiceId: inv.id } });
}

/** Voids an invoice nobody paid; its time and expenses become unbilled again. */
export async function voidInvoice({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId: string } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.status === "void") return getInvoice({ ctx, input });
  if (inv.paidMinor > 0 || inv.creditedMinor > 0) throw new ApiError("CONFLICT", "This invoice has payments or credits: issue a credit note instead");
  const release = { invoiceId: null, invoiceLineId: null } as const;
  const [, updated] = await ctx.db.batch([
    ctx.db.update(timeEntries).set({ ...release, rateMinor: null }).where(and(eq(timeEntries.orgId, ctx.org.orgId), eq(timeEntries.invoiceId, inv.id))),
    ctx.db
      .update(invoices)
      .set({ status: "void", voidedAt: ctx.now, publicTokenHash: null, updatedAt: ctx.now })
      .where(and(eq(invoices.id, inv.id), eq(invoices.orgId, ctx.org.orgId), eq(invoices.paidMinor, 0), eq(invoices.creditedMinor, 0)))
      .returning({ id: invoices.id }),
    ctx.db.update(expenses).set(release).where(and(eq(expenses.orgId, ctx.org.orgId), eq(expenses.invoiceId, inv.id))),
  ]);
  if (!updated.length) throw new ApiError("CONFLICT", "This invoice was paid meanwhile: issue a credit note instead");
  return getInvoice({ ctx, input });
}

/**
 * A credit note against an issued invoice: its own number from the same sequence, by default
 * crediting every line; the credited invoice's amount due drops by the credit note's total.
 */
export async function creditInvoice({ ctx, input }: { ctx: FinanceCtx; input: { invoiceId: string; lines?: LineBody[]; notes?: string } }) {
  requireFinanceAdmin(ctx);
  const inv = await getInvoiceRow(ctx, input.invoiceId);
  if (inv.kind !== "invoice" || inv.status === "draft" || inv.status === "void") throw new ApiError("CONFLICT", "Only a sent invoice can be credited");
  const specs = input.lines
    ? input.lines.map(specFromBody)
    : (await linesOf(ctx, inv.id)).map((l) => ({ description: l.description, quantityMilli: l.quantityMilli, unitPriceMinor: l.unitPriceMinor, discountBp: l.discountBp, taxRates: l.taxRates, source: "manual" as const }));
  const note = await insertInvoice(
    ctx,
    { workspaceId: inv.workspaceId, kind: "credit_note", creditOf: inv.id, currency: inv.currency, billTo: inv.billTo, notes: input.notes ?? `Credit for invoice ${inv.number}.`, terms: "", status: "sent", dueDate: undefined },
    specs,
  );
  const open = inv.totalMinor - inv.creditedMinor;
  // Only what is still open can be credited; the check sits in the write so credits cannot race past it.
  const [updated] = await ctx.db
    .update(invoices)
    .set({
      creditedMinor: sql`${invoices.creditedMinor} + ${note.totalMinor}`,
      status: sql`CASE WHEN ${invoices.paidMinor} + ${invoices.creditedMinor} + ${note.totalMinor} >= ${invoices.totalMinor} THEN 'paid' ELSE ${invoices.status} END`,
      updatedAt: ctx.now,
    })
    .where(and(eq(invoices.id, inv.id), eq(invoices.orgId, ctx.org.orgId), sql`${invoices.creditedMinor} + ${note.totalMinor} <= ${invoices.totalMinor}`))
    .returning({ id: invoices.id });
  if (!updated || note.totalMinor === 0) {
    await ctx.db.update(invoices).set({ status: "void", voidedAt: ctx.now }).where(and(eq(invoices.id, note.id), eq(invoices.orgId, ctx.org.orgId)));
    throw new ApiError("UNPROCESSABLE", `A credit note can credit at most ${fromMinor(open, inv.currency)} ${inv.currency} on this invoice`);
  }
  return { creditNote: await getInvoice({ ctx, input: { invoiceId: note.id } }), invoice: await getInvoice({ ctx, input }) };
}

