import { createEffect, For, onCleanup, onMount } from "solid-js";
import "uplot/dist/uPlot.min.css";
import type uPlotType from "uplot";

export type Series = { label: string; values: (number | null)[]; dashed?: boolean };

/**
 * A uPlot time series (or bars) with its data as a table behind it for screen readers and
 * keyboard users. uPlot is imported only here, and this file is loaded lazily by the pages.
 */
export default function TimeSeries(props: { title: string; buckets: string[]; series: Series[]; bars?: boolean; format?: (v: number) => string; height?: number }) {
  let host!: HTMLDivElement;
  let plot: uPlotType | undefined;
  const colors = ["#4f46e5", "#94a3b8", "#0ea5e9", "#f97316"];
  const build = async () => {
    const { default: uPlot } = await import("uplot");
    plot?.destroy();
    const xs = props.buckets.map((b) => Date.parse(`${b}T00:00:00Z`) / 1000);
    const bars = props.bars ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined;
    plot = new uPlot(
      {
        width: Math.max(280, host.clientWidth), height: props.height ?? 220,
        scales: { x: { time: true } },
        legend: { show: props.series.length > 1 },
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => (props.format ? props.format(t) : String(t))), size: 70 }],
        series: [{}, ...props.series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 2, dash: s.dashed ? [6, 4] : undefined, fill: props.bars && i === 0 ? "rgba(79,70,229,0.35)" : undefined, paths: bars }))],
      },
      [xs, ...props.series.map((s) => s.values)] as uPlotType.AlignedData,
      host,
    );
  };
  onMount(() => {
    void build();
    const ro = new ResizeObserver(() => plot?.setSize({ width: Math.max(280, host.clientWidth), height: props.height ?? 220 }));
    ro.observe(host);
    onCleanup(() => { ro.disconnect(); plot?.destroy(); });
  });
  createEffect(() => { void props.series; void props.buckets; if (plot) void build(); });
  return (
    <figure class="chart">
      <div ref={host} class="chart-canvas" aria-hidden="true" />
      <details class="chart-table">
        <summary>Data table: {props.title}</summary>
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">{props.title}</caption>
            <thead><tr><th scope="col">Period</th><For each={props.series}>{(s) => <th scope="col">{s.label}</th>}</For></tr></thead>
            <tbody>
              <For each={props.buckets}>
                {(b, i) => <tr><th scope="row">{b}</th><For each={props.series}>{(s) => <td>{s.values[i()] === null || s.values[i()] === undefined ? "—" : props.format ? props.format(s.values[i()]!) : s.values[i()]}</td>}</For></tr>}
              </For>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
