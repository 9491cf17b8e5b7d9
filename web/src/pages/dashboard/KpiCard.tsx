import { For, Show } from "solid-js";
import { Sparkline } from "../../components/charts/Sparkline";
import type { Kpi } from "./api";
import { entries, formatChange, formatValue } from "./format";

/** Lower is better for these (a rise is shown as bad news). */
const LOWER_IS_BETTER = new Set(["refunds", "email_bounces", "cpc", "cpa"]);

export function KpiCard(props: { kpi: Kpi; size?: "s" | "m" | "l" }) {
  const k = () => props.kpi;
  return (
    <section class={`kpi kpi-${props.size ?? "s"}`} aria-label={k().label} data-kpi={k().key}>
      <h3 class="kpi-label" title={k().definition}>{k().label}</h3>
      <For each={entries(k().value)}>
        {([cur, v]) => {
          const c = () => k().change?.[cur] ?? null;
          const good = () => (c() === null ? null : (c()! >= 0) !== LOWER_IS_BETTER.has(k().key));
          const values = () => k().series.map((p) => p.value[cur] ?? null);
          return (
            <div class="kpi-row">
              <div class="kpi-value" data-currency={cur}>{formatValue(k().unit, v, cur)}</div>
              <Show when={k().previous}>
                <div class="kpi-change" classList={{ up: good() === true, down: good() === false }}>
                  {formatChange(c())} <span class="kpi-prev">vs {formatValue(k().unit, k().previous?.[cur], cur)}</span>
                </div>
              </Show>
              <Sparkline values={values()} previous={k().previousSeries?.map((p) => p.value[cur] ?? null)} label={`${k().label} trend`} />
            </div>
          );
        }}
      </For>
    </section>
  );
}
