import { A, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, on, createEffect, Show, Switch } from "solid-js";
import { errorMessage } from "../../lib/api";
import { timeAgo } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import Onboarding from "../Dashboard";
import { getDashboard, getLayout, type DashboardData, type RangeQuery, type Widget } from "./api";
import { Customize } from "./Customize";
import { KpiCard } from "./KpiCard";
import { RangeBar } from "./RangeBar";
import { BreakdownCard, DIMENSION_METRICS, DrillPanel, KpiChart } from "./Widgets";
import "./dashboard.css";

const AREAS: [string, string][] = [["overview", "Overview"], ["commerce", "Commerce"], ["analytics", "Analytics"], ["email", "Email"], ["ads", "Ads"], ["social", "Social"]];
const AREA_DIMENSIONS: Record<string, string[]> = { commerce: ["product"], analytics: ["channel", "landing_page"], email: ["campaign"], ads: ["ad_campaign"], social: ["social_account", "post"] };
const PROVIDER_NAMES: Record<string, string> = { shopify: "Shopify", woocommerce: "WooCommerce", ga4: "Google Analytics 4", klaviyo: "Klaviyo", mailchimp: "Mailchimp", meta: "Meta", "google-ads": "Google Ads" };
const metricOfWidget = (w: Widget) => (w.key.startsWith("chart:") ? w.key.slice(6) : w.key.startsWith("breakdown:") ? null : w.key);

export default function DashboardPage() {
  const [params, setParams] = useSearchParams<{ area?: string; preset?: string; from?: string; to?: string; compare?: string }>();
  const ws = () => session.workspace();
  const area = () => params.area ?? "overview";
  const range = (): RangeQuery => ({ preset: params.preset, from: params.from, to: params.to, compare: params.compare ?? "previous" });
  const [layout, { mutate: setLayout }] = createResource(() => ws()?.id, getLayout);
  const metrics = () => (area() === "overview" ? layout()?.widgets.flatMap((w) => metricOfWidget(w) ?? []) : undefined);
  const [data] = createResource(
    () => ws() && (area() !== "overview" || layout()) ? { id: ws()!.id, area: area(), range: range(), metrics: metrics() } : null,
    (k) => getDashboard(k.id, k.area, k.range, k.metrics),
  );
  const [drill, setDrill] = createSignal<{ dimension: string; value: string; label: string } | null>(null);
  const [customizing, setCustomizing] = createSignal(false);
  // A drill-down belongs to the area it was opened from.
  createEffect(on(area, () => setDrill(null), { defer: true }));
  const canEdit = () => session.can.editContent(ws()?.role);
  const setRange = (r: RangeQuery) => setParams({ preset: r.preset, from: r.from, to: r.to, compare: r.compare }, { replace: true });

  return (
    <Show when={ws()} fallback={<Onboarding />}>
      {(w) => (
        <>
          <PageHeader
            eyebrow={session.user()?.name ? `Welcome, ${session.user()!.name.split(/\s+/)[0]}` : undefined}
            title={w().name}
            description={<Show when={data()}>{(d) => <>Figures for {d().range.from} – {d().range.to} in {d().timeZone}{d().comparison ? <>, compared with {d().comparison!.from} – {d().comparison!.to}</> : null}.</>}</Show>}
            actions={<Show when={canEdit() && area() === "overview"}><Button variant="secondary" onClick={() => setCustomizing(!customizing())}>{customizing() ? "Done" : "Customize"}</Button></Show>}
          />
          <nav class="area-tabs" aria-label="Dashboard areas">
            <For each={AREAS}>{([a, label]) => <A href={`?${new URLSearchParams({ ...(params as Record<string, string>), area: a })}`} class="area-tab" classList={{ active: area() === a }} aria-current={area() === a ? "page" : undefined}>{label}</A>}</For>
            <Show when={session.isOrgMember()}><A href="/dashboard/clients" class="area-tab">All clients</A></Show>
          </nav>
          <RangeBar value={range()} onChange={setRange} />
          <Show when={session.isOrgMember() && area() === "overview" && data()?.sources.length}><Onboarding embedded /></Show>
          <Switch>
            <Match when={data.error}><Alert tone="danger" title="The dashboard could not be loaded">{errorMessage(data.error)}</Alert></Match>
            <Match when={!data()}><Loading label="Loading figures" /></Match>
            <Match when={data()!.sources.length === 0 && area() === "overview"}><Onboarding /></Match>
            <Match when={data()}>
              {(() => {
                const d = () => data() as DashboardData;
                const connected = () => d().connectedAreas.includes(area()) || area() === "overview";
                const kpi = (key: string) => d().kpis.find((k) => k.key === key && (area() !== "overview" || d().connectedAreas.includes(k.area)));
                return (
                  <>
                    <Freshness data={d()} />
                    <Show when={customizing() && layout()}>
                      <Customize ws={w().id} widgets={layout()!.widgets} onSaved={(l) => setLayout(l)} />
                    </Show>
                    <Show when={connected()} fallback={<NotConnected data={d()} area={area()} />}>
                      <Show when={area() === "overview"} fallback={
                        <div class="widgets">
                          <For each={d().kpis}>{(k) => <KpiCard kpi={k} />}</For>
                          <For each={d().kpis.slice(0, 2)}>{(k) => <div class="widget widget-l"><KpiChart kpi={k} /></div>}</For>
                          <For each={AREA_DIMENSIONS[area()] ?? []}>{(dim) => <div class="widget widget-l"><BreakdownCard ws={w().id} dimension={dim} range={range()} onDrill={(dimension, value, label) => setDrill({ dimension, value, label })} /></div>}</For>
                        </div>
                      }>
                        <div class="widgets">
                          <For each={layout()?.widgets ?? []}>
                            {(wd) => {
                              const m = metricOfWidget(wd);
                              if (wd.key.startsWith("breakdown:")) {
                                const dim = wd.key.slice(10);
                                return <Show when={DIMENSION_METRICS[dim]}><div class={`widget widget-${wd.size}`}><BreakdownCard ws={w().id} dimension={dim} range={range()} onDrill={(dimension, value, label) => setDrill({ dimension, value, label })} /></div></Show>;
                              }
                              return <Show when={m ? kpi(m) : undefined}>{(k) => <div class={`widget widget-${wd.size}`}>{wd.key.startsWith("chart:") ? <KpiChart kpi={k()} /> : <KpiCard kpi={k()} size={wd.size} />}</div>}</Show>;
                            }}
                          </For>
                        </div>
                      </Show>
                    </Show>
                    <Show when={drill()}>{(x) => <DrillPanel ws={w().id} dimension={x().dimension} value={x().value} label={x().label} range={range()} onClose={() => setDrill(null)} />}</Show>
                  </>
                );
              })()}
            </Match>
          </Switch>
        </>
      )}
    </Show>
  );
}

function Freshness(props: { data: DashboardData }) {
  return (
    <ul class="freshness" aria-label="Data sources">
      <For each={props.data.sources}>
        {(s) => (
          <li>
            <strong>{PROVIDER_NAMES[s.provider] ?? s.provider}</strong> <span class="muted">{s.label}</span>{" "}
            {s.status === "active" ? <Badge tone="success">synced {timeAgo(s.lastSyncAt)}</Badge> : <Badge tone="warning">{s.status === "needs_reconnect" ? "needs reconnect" : s.status}</Badge>}
          </li>
        )}
      </For>
    </ul>
  );
}

function NotConnected(props: { data: DashboardData; area: string }) {
  const providers = () => (props.data.areas.find((a) => a.area === props.area)?.providers ?? []).map((p) => PROVIDER_NAMES[p] ?? p);
  return (
    <EmptyState icon="plug" title={`Connect ${providers().join(" or ")} to see this page`} action={<A href="/integrations" class="btn btn-primary btn-md">Open integrations</A>}>
      No connected source supplies these figures yet.
    </EmptyState>
  );
}
