import { Show } from "solid-js";
import type { RangeQuery } from "./api";

const PRESETS: [string, string][] = [["7d", "Last 7 days"], ["28d", "Last 28 days"], ["90d", "Last 90 days"], ["12m", "Last 12 months"], ["mtd", "Month to date"], ["ytd", "Year to date"], ["custom", "Custom range"]];

/** Date presets, a custom range and the comparison choice; the state lives in the URL. */
export function RangeBar(props: { value: RangeQuery; onChange: (r: RangeQuery) => void }) {
  const preset = () => (props.value.from && props.value.to ? "custom" : (props.value.preset ?? "28d"));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div class="range-bar" role="group" aria-label="Date range">
      <label class="range-field">
        <span>Range</span>
        <select value={preset()} onChange={(e) => {
          const v = e.currentTarget.value;
          props.onChange(v === "custom" ? { ...props.value, preset: undefined, from: props.value.from ?? today.slice(0, 8) + "01", to: props.value.to ?? today } : { compare: props.value.compare, preset: v });
        }}>
          {PRESETS.map(([v, l]) => <option value={v}>{l}</option>)}
        </select>
      </label>
      <Show when={preset() === "custom"}>
        <label class="range-field"><span>From</span><input type="date" value={props.value.from ?? ""} max={props.value.to} onChange={(e) => props.onChange({ ...props.value, from: e.currentTarget.value })} /></label>
        <label class="range-field"><span>To</span><input type="date" value={props.value.to ?? ""} min={props.value.from} onChange={(e) => props.onChange({ ...props.value, to: e.currentTarget.value })} /></label>
      </Show>
      <label class="range-field">
        <span>Compare with</span>
        <select value={props.value.compare} onChange={(e) => props.onChange({ ...props.value, compare: e.currentTarget.value })}>
          <option value="previous">Previous period</option>
          <option value="year">Same period last year</option>
          <option value="none">No comparison</option>
        </select>
      </label>
    </div>
  );
}
