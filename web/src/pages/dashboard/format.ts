import type { Figure } from "./api";

const ZERO = new Set(["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV", "XPF", "DJF", "BIF"]);
const THREE = new Set(["BHD", "JOD", "KWD", "OMR", "TND", "IQD", "LYD"]);
const digits = (cur: string) => (ZERO.has(cur) ? 0 : THREE.has(cur) ? 3 : 2);

/** One figure as text: money in its own currency (never converted), ratios as percentages. */
export function formatValue(unit: string, v: number | null | undefined, currency = ""): string {
  if (v === null || v === undefined) return "—";
  if (unit === "money" && currency) {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: v / 10 ** digits(currency) >= 1000 ? 0 : digits(currency) }).format(v / 10 ** digits(currency));
  }
  if (unit === "ratio") return `${(v * 100).toFixed(v < 0.1 ? 2 : 1)} %`;
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: v < 10 ? 2 : 0 }).format(v);
}

/** Every currency's figure ("" first for non-money); an empty figure shows one dash. */
export const entries = (f: Figure | null | undefined): [string, number | null][] => {
  const list = Object.entries(f ?? {});
  return list.length ? list.sort(([a], [b]) => a.localeCompare(b)) : [["", null]];
};

export const formatChange = (c: number | null | undefined) => (c === null || c === undefined ? "—" : `${c > 0 ? "+" : ""}${(c * 100).toFixed(1)} %`);

/** Major units for charts and CSV. */
export const major = (unit: string, v: number | null, currency: string) => (v === null ? null : unit === "money" && currency ? v / 10 ** digits(currency) : unit === "ratio" ? v * 100 : v);

export function downloadCsv(name: string, header: string[], rows: (string | number | null)[][]) {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
  };
  const text = [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `${name}.csv` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
