import type { invoiceLines, TaxRate } from "../../../db/schema";
import { ApiError } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { AmountTooLarge, invoiceTotals, lineAmounts, toMilli, type Totals } from "./math";
import type { LineBody } from "./schemas";

type LineRow = typeof invoiceLines.$inferInsert;
export type LineSpec = { id?: string; description: string; quantityMilli: number; unitPriceMinor: number; discountBp: number; taxRates: TaxRate[]; source: LineRow["source"] };

export function specFromBody(l: LineBody, i: number): LineSpec {
  const quantityMilli = toMilli(l.quantity);
  if (quantityMilli === null) throw new ApiError("VALIDATION_FAILED", "A quantity has at most three decimals", { details: [{ path: `lines.${i}.quantity`, message: "At most three decimals" }] });
  return { id: l.id, description: l.description, quantityMilli, unitPriceMinor: l.unitPriceMinor, discountBp: l.discountBp ?? 0, taxRates: l.taxRates ?? [], source: "manual" };
}

/** Rows with their rounded amounts, and the invoice totals; 422 when a figure cannot be stored exactly. */
export function priceLines(orgId: string, invoiceId: string, specs: LineSpec[]): { rows: (LineRow & { id: string })[]; totals: Totals } {
  try {
    const rows = specs.map((s, position) => ({ ...s, id: s.id ?? newId(), orgId, invoiceId, position, ...lineAmounts(s) }));
    return { rows, totals: invoiceTotals(rows) };
  } catch (err) {
    if (err instanceof AmountTooLarge) throw new ApiError("UNPROCESSABLE", "An amount on this invoice is too large");
    throw err;
  }
}

/** 15 columns a line: 6 rows per statement keeps under D1's 100 bound parameters. */
export const LINES_PER_INSERT = 6;
