import { onCleanup, onMount } from "solid-js";
import type { UsageRow } from "../../lib/api/ai";

/** Cost and tokens per month as a uPlot bar chart; uPlot loads only with this page. */
export default function UsageChart(props: { rows: UsageRow[] }) {
  let el!: HTMLDivElement;
  let plot: { destroy(): void } | undefined;
  onMount(async () => {
    const [{ default: uPlot }] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
    const xs = props.rows.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.6, 60] });
    plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 240,
        scales: { x: { time: false }, cost: { auto: true }, tokens: { auto: true } },
        axes: [
          { values: (_u: unknown, ticks: number[]) => ticks.map((t) => props.rows[t]?.key ?? "") },
          { scale: "cost", label: "Cost (USD)", values: (_u: unknown, t: number[]) => t.map((v) => `$${v.toFixed(2)}`) },
          { scale: "tokens", side: 1, label: "Tokens", grid: { show: false } },
        ],
        series: [{}, { label: "Cost (USD)", scale: "cost", fill: "#6d5dfc88", stroke: "#6d5dfc", paths: bars }, { label: "Tokens", scale: "tokens", stroke: "#0f766e", width: 2 }],
      },
      [xs, props.rows.map((r) => r.costMicros / 1_000_000), props.rows.map((r) => r.inputTokens + r.outputTokens)],
      el,
    );
  });
  onCleanup(() => plot?.destroy());
  return <div ref={el} class="usage-chart" role="img" aria-label="AI cost and tokens per month" />;
}
