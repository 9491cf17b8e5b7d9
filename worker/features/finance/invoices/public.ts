import { and, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { financeSecrets, financeSettings, invoiceLines, invoices } from "../../../db/schema";
import { sha256Hex } from "../../../lib/hash";
import { notFound } from "../../../lib/errors";
import { displayStatus, amountDue, lineView } from "./view";

/**
 * The public invoice behind an emailed link: found only by the hash of its token, and only
 * until the link expires. The first view of a sent invoice marks it viewed. It answers what
 * the PDF shows and nothing else (no ids of other rows, no organization data beyond the header).
 */
export async function openPublicInvoice(db: Database, token: string, now: number, markViewed = true) {
  const hash = await sha256Hex(token);
  const [inv] = await db.select().from(invoices).where(and(eq(invoices.publicTokenHash, hash), gt(invoices.publicExpiresAt, now))).limit(1);
  if (!inv || inv.status === "void") throw notFound("Invoice");
  if (markViewed && inv.status === "sent") {
    await db
      .update(invoices)
      .set({ status: sql`CASE WHEN ${invoices.status} = 'sent' THEN 'viewed' ELSE ${invoices.status} END`, viewedAt: now })
      .where(and(eq(invoices.id, inv.id), eq(invoices.orgId, inv.orgId)));
    inv.status = "viewed";
    inv.viewedAt = now;
  }
  return inv;
}

export async function publicInvoiceView(db: Database, token: string, now: number) {
  const inv = await openPublicInvoice(db, token, now);
  const lines = await db.select().from(invoiceLines).where(and(eq(invoiceLines.invoiceId, inv.id), eq(invoiceLines.orgId, inv.orgId)));
  const [settings] = await db.select({ agencyName: financeSettings.agencyName, agencyDetails: financeSettings.agencyDetails }).from(financeSettings).where(eq(financeSettings.orgId, inv.orgId)).limit(1);
  const [online] = await db.select({ field: financeSecrets.field }).from(financeSecrets).where(and(eq(financeSecrets.orgId, inv.orgId), eq(financeSecrets.field, "stripeSecretKey"))).limit(1);
  return {
    number: inv.number,
    kind: inv.kind,
    status: displayStatus(inv, now),
    currency: inv.currency,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    billTo: inv.billTo,
    from: { name: settings?.agencyName ?? null, details: settings?.agencyDetails ?? null },
    notes: inv.notes,
    terms: inv.terms,
    subtotalMinor: inv.subtotalMinor,
    discountMinor: inv.discountMinor,
    taxMinor: inv.taxMinor,
    totalMinor: inv.totalMinor,
    paidMinor: inv.paidMinor,
    creditedMinor: inv.creditedMinor,
    amountDueMinor: amountDue(inv),
    payOnline: Boolean(online) && amountDue(inv) > 0,
    lines: lines.sort((a, b) => a.position - b.position).map((l) => {
      const { id: _id, ...rest } = lineView(l);
      return rest;
    }),
  };
}

export async function publicInvoicePdf(db: Database, files: R2Bucket, token: string, now: number) {
  const inv = await openPublicInvoice(db, token, now);
  const obj = inv.pdfKey ? await files.get(inv.pdfKey) : null;
  if (!obj) throw notFound("Invoice PDF");
  return { body: obj.body, number: inv.number };
}
