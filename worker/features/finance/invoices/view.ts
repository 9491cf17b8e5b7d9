import type { invoiceLines, invoices } from "../../../db/schema";
import { fromMinor } from "../../../lib/money";

type Invoice = typeof invoices.$inferSelect;
type Line = typeof invoiceLines.$inferSelect;

export const todayIn = (now: number) => new Date(now).toISOString().slice(0, 10);
export const amountDue = (i: Pick<Invoice, "totalMinor" | "paidMinor" | "creditedMinor" | "kind">) => (i.kind === "credit_note" ? 0 : Math.max(0, i.totalMinor - i.paidMinor - i.creditedMinor));

/** Overdue is a reading of the clock, not a stored state: an open invoice past its due date. */
export function displayStatus(i: Invoice, now: number) {
  const open = i.status === "sent" || i.status === "viewed" || i.status === "partially_paid";
  return open && i.kind === "invoice" && i.dueDate < todayIn(now) ? "overdue" : i.status;
}

export const lineView = (l: Line) => ({
  id: l.id,
  position: l.position,
  description: l.description,
  quantity: l.quantityMilli / 1000,
  unitPriceMinor: l.unitPriceMinor,
  discountBp: l.discountBp,
  taxRates: l.taxRates,
  source: l.source,
  grossMinor: l.grossMinor,
  discountMinor: l.discountMinor,
  taxMinor: l.taxMinor,
  totalMinor: l.totalMinor,
});

export function invoiceView(i: Invoice, now: number, lines?: Line[]) {
  const { publicTokenHash, pdfKey, orgId, ...rest } = i;
  return {
    ...rest,
    orgId,
    status: displayStatus(i, now),
    amountDueMinor: amountDue(i),
    totalFormatted: `${fromMinor(i.totalMinor, i.currency)} ${i.currency}`,
    hasPdf: pdfKey !== null,
    ...(lines ? { lines: lines.sort((a, b) => a.position - b.position).map(lineView) } : {}),
  };
}
