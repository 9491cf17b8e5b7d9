import { onCleanup, onMount } from "solid-js";

/** A bar chart of one value per label; uPlot is loaded only when a chart is shown. */
export default function Chart(props: { labels: string[]; values: number[]; title: string }) {
  let el: HTMLDivElement | undefined;
  let plot: { destroy(): void } | undefined;
  onMount(async () => {
    const [{ default: uPlot }] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
    if (!el) return;
    const xs = props.labels.map((_, i) => i);
    plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 240,
        title: props.title,
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] } },
        axes: [{ values: (_u: unknown, ticks: number[]) => ticks.map((t) => props.labels[t] ?? "") }, {}],
        series: [{}, { label: props.title, fill: "rgba(31,111,235,0.35)", stroke: "#1f6feb", paths: uPlot.paths.bars!({ size: [0.6, 80] }), points: { show: false } }],
        legend: { show: false },
      },
      [xs, props.values],
      el,
    );
  });
  onCleanup(() => plot?.destroy());
  return <div ref={el} class="finance-chart" role="img" aria-label={`${props.title}: ${props.labels.map((l, i) => `${l} ${props.values[i]}`).join(", ")}`} />;
}
