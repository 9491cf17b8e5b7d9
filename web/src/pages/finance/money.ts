/** Display and entry of money in a currency's minor units (digits from Intl: JPY 0, USD 2, KWD 3). */
export const digitsOf = (currency: string) => {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
};

export function formatMoney(minor: number, currency: string) {
  const d = digitsOf(currency);
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, minimumFractionDigits: d, maximumFractionDigits: d }).format(minor / 10 ** d);
  } catch {
    return `${(minor / 10 ** d).toFixed(d)} ${currency}`;
  }
}

/** "12.5" → 1250 (USD); null when it is not an amount with at most the currency's decimals. */
export function parseMoney(text: string, currency: string): number | null {
  const d = digitsOf(currency);
  const m = /^\s*(\d{1,12})(?:[.,](\d*))?\s*$/.exec(text);
  if (!m || (m[2] ?? "").length > d) return null;
  return Number(m[1]) * 10 ** d + Number(((m[2] ?? "") + "0".repeat(d)).slice(0, d) || "0");
}

export const toDecimal = (minor: number, currency: string) => (minor / 10 ** digitsOf(currency)).toFixed(digitsOf(currency));

/** The invoice rounding rule (worker/features/finance/invoices/math.ts), for live totals while editing. */
export function lineTotal(l: { quantity: number; unitPriceMinor: number; discountBp: number; taxBp: number }) {
  const r = (n: bigint, d: bigint) => (n + d / 2n) / d;
  const gross = r(BigInt(Math.round(l.quantity * 1000)) * BigInt(l.unitPriceMinor), 1000n);
  const net = gross - r(gross * BigInt(l.discountBp), 10_000n);
  const tax = r(net * BigInt(l.taxBp), 10_000n);
  return { gross: Number(gross), net: Number(net), tax: Number(tax), total: Number(net + tax) };
}

export const hours = (ms: number) => (ms / 3_600_000).toFixed(2);
export const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
