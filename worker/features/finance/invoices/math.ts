import type { TaxRate } from "../../../db/schema";

/**
 * Invoice arithmetic, in the currency's minor units (cents, yen, fils) and exact integers.
 *
 * Rounding, per line and half away from zero (all amounts here are ≥ 0, so half up):
 *   gross    = round(quantityMilli × unitPriceMinor / 1000)
 *   discount = round(gross × discountBp / 10000)
 *   net      = gross − discount
 *   tax_i    = round(net × rate_i.bp / 10000)        one rounding per tax rate per line
 *   total    = net + Σ tax_i
 * The invoice's figures are the sums of its lines' rounded figures, so the lines always add up
 * to the total printed under them. BigInt keeps products of large quantities and prices exact.
 */
export type LineInput = { quantityMilli: number; unitPriceMinor: number; discountBp: number; taxRates: TaxRate[] };
export type LineAmounts = { grossMinor: number; discountMinor: number; taxMinor: number; totalMinor: number };
export type Totals = { subtotalMinor: number; discountMinor: number; taxMinor: number; totalMinor: number };

const divRound = (n: bigint, d: bigint) => (n + d / 2n) / d;

export class AmountTooLarge extends Error {}
const safe = (n: bigint) => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountTooLarge("amount exceeds what can be stored exactly");
  return Number(n);
};

export function lineAmounts(l: LineInput): LineAmounts {
  const gross = divRound(BigInt(l.quantityMilli) * BigInt(l.unitPriceMinor), 1000n);
  const discount = divRound(gross * BigInt(l.discountBp), 10_000n);
  const net = gross - discount;
  const tax = l.taxRates.reduce((sum, t) => sum + divRound(net * BigInt(t.bp), 10_000n), 0n);
  return { grossMinor: safe(gross), discountMinor: safe(discount), taxMinor: safe(tax), totalMinor: safe(net + tax) };
}

export function invoiceTotals(lines: LineAmounts[]): Totals {
  const sum = (k: keyof LineAmounts) => safe(lines.reduce((s, l) => s + BigInt(l[k]), 0n));
  return { subtotalMinor: sum("grossMinor"), discountMinor: sum("discountMinor"), taxMinor: sum("taxMinor"), totalMinor: sum("totalMinor") };
}

/** "1.5" / 1.5 → 1500 thousandths; more than three decimals is refused (null). */
export function toMilli(q: number): number | null {
  const milli = Math.round(q * 1000);
  return Math.abs(milli - q * 1000) < 1e-6 ? milli : null;
}
