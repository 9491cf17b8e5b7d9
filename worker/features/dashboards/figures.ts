import { metricOf, type Unit } from "../metrics";

/** Stored values of one period (or bucket): metric → currency ("" for non-money) → value. */
export type Values = Map<string, Map<string, number>>;
/** A figure per currency: money never adds across currencies; other units have one "" entry. */
export type Figure = Record<string, number | null>;

export function addValue(v: Values, metric: string, currency: string, n: number) {
  let m = v.get(metric);
  if (!m) v.set(metric, (m = new Map()));
  m.set(currency, (m.get(currency) ?? 0) + n);
}

const unitOf = (key: string): Unit => metricOf(key)?.unit ?? "count";
const total = (m: Map<string, number> | undefined) => [...(m?.values() ?? [])].reduce((a, b) => a + b, 0);

/** One stored metric as shown: per currency for money, a single total otherwise. */
function stored(v: Values, key: string): Figure {
  const m = v.get(key);
  if (unitOf(key) !== "money") return { "": total(m) };
  const out: Figure = {};
  for (const [cur, n] of m ?? []) out[cur] = n;
  return out;
}

/**
 * A catalogue metric's figure from stored values: ratios are ratios of sums (per currency when
 * the numerator is money, using the denominator's own currency split when it has one, e.g. orders).
 */
export function figure(v: Values, key: string): Figure {
  const m = metricOf(key);
  if (!m) return {};
  if (m.kind === "stored") return stored(v, key);
  const f = m.formula;
  if ("difference" in f) {
    const [a, b] = [stored(v, f.difference[0]), stored(v, f.difference[1])];
    const out: Figure = {};
    for (const cur of new Set([...Object.keys(a), ...Object.keys(b)])) out[cur] = (a[cur] ?? 0) - (b[cur] ?? 0);
    return out;
  }
  if ("ratio" in f) {
    const [num, den] = f.ratio;
    const a = stored(v, num);
    const split = v.get(den);
    const out: Figure = {};
    for (const [cur, n] of Object.entries(a)) {
      const d = cur !== "" && split?.has(cur) ? split.get(cur)! : total(split);
      out[cur] = d ? n! / d : null;
    }
    return out;
  }
  // Snapshot metrics: the service stores the period's end as `key` and its start as `key@start`.
  return { "": total(v.get(f.growth)) - total(v.get(`${f.growth}@start`)) };
}

/** Relative change (−0.25 = down 25 %), null when there is nothing to compare with. */
export const change = (now: number | null | undefined, before: number | null | undefined) =>
  now == null || before == null || before === 0 ? null : (now - before) / Math.abs(before);
