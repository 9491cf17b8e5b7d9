// ISO 4217 currencies without minor units, and those with three.
const ZERO_DECIMAL = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV", "XPF", "DJF", "BIF"]);
const THREE_DECIMAL = new Set(["BHD", "JOD", "KWD", "OMR", "TND", "IQD", "LYD"]);

export const minorDigits = (currency: string) =>
  ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : THREE_DECIMAL.has(currency.toUpperCase()) ? 3 : 2;

/** "12.34" (a provider's decimal string or number) → integer minor units, without float drift. */
export function toMinor(amount: string | number | null | undefined, currency: string): number {
  if (amount === null || amount === undefined || amount === "") return 0;
  const digits = minorDigits(currency);
  const s = typeof amount === "number" ? amount.toFixed(digits) : amount.trim();
  const m = /^(-)?(\d*)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`Not a decimal amount: ${s.slice(0, 40)}`);
  const [, neg, whole = "0", frac = ""] = m;
  const padded = (frac + "0".repeat(digits)).slice(0, digits);
  const roundUp = frac.length > digits && Number(frac[digits]) >= 5 ? 1 : 0;
  const value = Number(whole || "0") * 10 ** digits + Number(padded || "0") + roundUp;
  return neg ? -value : value;
}

export const fromMinor = (minor: number, currency: string) => (minor / 10 ** minorDigits(currency)).toFixed(minorDigits(currency));
