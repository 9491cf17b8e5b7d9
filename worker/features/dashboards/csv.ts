import { metricOf } from "../metrics";
import type { Figure } from "./figures";
import { fromMinor } from "../../lib/money";

const cell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v);
  // Quote always; neutralise spreadsheet formulas in provider-supplied names.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** A breakdown as CSV: one column per metric and currency (money in major units); the values beyond the listed ones summed last. */
export function toCsv(b: { dimension: string; metrics: string[]; rows: { value: string; label: string; figures: Record<string, Figure> }[]; other: { count: number; figures: Record<string, Figure> } | null }): string {
  const all = b.other ? [...b.rows, { value: "", label: `Other (${b.other.count})`, figures: b.other.figures }] : b.rows;
  const cols: [string, string][] = [];
  for (const k of b.metrics) {
    const curs = new Set(all.flatMap((r) => Object.keys(r.figures[k] ?? {})));
    for (const cur of curs.size ? curs : new Set([""])) cols.push([k, cur]);
  }
  const head = [b.dimension, "label", ...cols.map(([k, cur]) => `${metricOf(k)?.label ?? k}${cur ? ` (${cur})` : ""}`)];
  const lines = all.map((r) => [r.value, r.label, ...cols.map(([k, cur]) => {
    const v = r.figures[k]?.[cur] ?? null;
    return metricOf(k)?.unit === "money" && v !== null ? fromMinor(Math.round(v), cur) : v;
  })]);
  return [head, ...lines].map((l) => l.map(cell).join(",")).join("\r\n") + "\r\n";
}
