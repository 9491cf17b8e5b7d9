/** A tiny trend line (inline SVG, no library): decoration beside a figure that is also in text. */
export function Sparkline(props: { values: (number | null)[]; previous?: (number | null)[] | null; label: string }) {
  const path = (vs: (number | null)[], max: number) => {
    if (vs.length < 2) return "";
    return vs.map((v, i) => `${i ? "L" : "M"}${((i / (vs.length - 1)) * 100).toFixed(1)},${(28 - ((v ?? 0) / (max || 1)) * 26).toFixed(1)}`).join(" ");
  };
  const max = () => Math.max(0, ...props.values.map((v) => v ?? 0), ...(props.previous ?? []).map((v) => v ?? 0));
  return (
    <svg class="sparkline" viewBox="0 0 100 30" preserveAspectRatio="none" role="img" aria-label={props.label}>
      {props.previous && <path d={path(props.previous, max())} class="sparkline-prev" />}
      <path d={path(props.values, max())} class="sparkline-now" />
    </svg>
  );
}
