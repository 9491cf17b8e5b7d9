import { fromMinor } from "../../lib/money";

/** The text a figure is printed as, in the PDF and in the tests that read it back. */
export function figureText(unit: string, v: number | null | undefined, currency: string): string {
  if (v === null || v === undefined) return "-";
  if (unit === "money" && currency) return `${fromMinor(Math.round(v), currency)} ${currency}`;
  if (unit === "ratio") return `${(v * 100).toFixed(2)}%`;
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}
export const changeText = (c: number | null | undefined) => (c === null || c === undefined ? "" : `${c > 0 ? "+" : ""}${(c * 100).toFixed(1)}%`);
