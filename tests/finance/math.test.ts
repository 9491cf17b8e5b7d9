import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { invoiceTotals, lineAmounts, toMilli } from "../../worker/features/finance/invoices/math";
import { formatNumber, validPattern } from "../../worker/features/finance/invoices/numbering";
import { minorDigits } from "../../worker/lib/money";

/**
 * An independent model of the documented rounding: exact rationals in MAJOR units (a price of
 * 12.345 KWD is 12345/1000), each per-line step rounded half up to the currency's minor unit.
 */
type Q = { n: bigint; d: bigint };
const q = (n: bigint, d = 1n): Q => ({ n, d });
const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
const add = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
/** Round a non-negative amount in major units to a whole number of minor units (half up). */
const toMinorUnits = (x: Q, digits: number) => {
  const scale = 10n ** BigInt(digits);
  const num = x.n * scale;
  return (2n * num + x.d) / (2n * x.d);
};
const major = (minor: bigint, digits: number): Q => q(minor, 10n ** BigInt(digits));

function model(currency: string, l: { quantity: Q; unitMinor: number; discountBp: number; taxBps: number[] }) {
  const d = minorDigits(currency);
  const gross = toMinorUnits(mul(l.quantity, major(BigInt(l.unitMinor), d)), d);
  const discount = toMinorUnits(mul(major(gross, d), q(BigInt(l.discountBp), 10_000n)), d);
  const net = gross - discount;
  const taxes = l.taxBps.map((bp) => toMinorUnits(mul(major(net, d), q(BigInt(bp), 10_000n)), d));
  const tax = taxes.reduce((s, t) => s + t, 0n);
  return { gross, discount, tax, total: toMinorUnits(add(major(net, d), major(tax, d)), d) };
}

const currency = fc.constantFrom("JPY", "USD", "KWD", "EUR", "BHD", "KRW");
const line = fc.record({
  quantityMilli: fc.integer({ min: 0, max: 10_000_000 }),
  unitMinor: fc.integer({ min: 0, max: 100_000_000 }),
  discountBp: fc.integer({ min: 0, max: 10_000 }),
  taxBps: fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 3 }),
});

describe("finance: invoice arithmetic (property tests)", () => {
  it("line and invoice totals agree with an independent rational computation, for any lines and currencies (JPY 0, USD 2, KWD 3 decimals)", () => {
    fc.assert(
      fc.property(currency, fc.array(line, { minLength: 1, maxLength: 20 }), (cur, lines) => {
        const got = lines.map((l) => lineAmounts({ quantityMilli: l.quantityMilli, unitPriceMinor: l.unitMinor, discountBp: l.discountBp, taxRates: l.taxBps.map((bp) => ({ name: "VAT", bp })) }));
        const want = lines.map((l) => model(cur, { quantity: q(BigInt(l.quantityMilli), 1000n), unitMinor: l.unitMinor, discountBp: l.discountBp, taxBps: l.taxBps }));
        got.forEach((g, i) => {
          expect(BigInt(g.grossMinor)).toBe(want[i]!.gross);
          expect(BigInt(g.discountMinor)).toBe(want[i]!.discount);
          expect(BigInt(g.taxMinor)).toBe(want[i]!.tax);
          expect(BigInt(g.totalMinor)).toBe(want[i]!.total);
        });
        const totals = invoiceTotals(got);
        const sum = (k: "gross" | "discount" | "tax" | "total") => want.reduce((s, w) => s + w[k], 0n);
        expect(BigInt(totals.subtotalMinor)).toBe(sum("gross"));
        expect(BigInt(totals.discountMinor)).toBe(sum("discount"));
        expect(BigInt(totals.taxMinor)).toBe(sum("tax"));
        expect(BigInt(totals.totalMinor)).toBe(sum("total"));
        // The printed figures add up: subtotal − discounts + tax = total.
        expect(totals.subtotalMinor - totals.discountMinor + totals.taxMinor).toBe(totals.totalMinor);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });

  it("a 100 % discount leaves nothing to tax; zero quantity costs nothing", () => {
    expect(lineAmounts({ quantityMilli: 3500, unitPriceMinor: 999, discountBp: 10_000, taxRates: [{ name: "VAT", bp: 2000 }] }).totalMinor).toBe(0);
    expect(lineAmounts({ quantityMilli: 0, unitPriceMinor: 999, discountBp: 0, taxRates: [] }).totalMinor).toBe(0);
  });

  it("quantities keep at most three decimals", () => {
    expect(toMilli(1.5)).toBe(1500);
    expect(toMilli(0.001)).toBe(1);
    expect(toMilli(0.1 + 0.2)).toBe(300);
    expect(toMilli(1.0005)).toBeNull();
  });

  it("number patterns", () => {
    expect(formatNumber("INV-{YYYY}-{seq:4}", 7, "2026-03-02")).toBe("INV-2026-0007");
    expect(formatNumber("{YY}{MM}/{seq}", 12345, "2026-11-30")).toBe("2611/12345");
    expect(validPattern("INV-{YYYY}-{seq:4}")).toBe(true);
    for (const bad of ["INV-{YYYY}", "{seq}{seq}", "INV-{foo}-{seq}", "INV-{seq:0}", "INV-{seq"]) expect(validPattern(bad), bad).toBe(false);
  });
});
