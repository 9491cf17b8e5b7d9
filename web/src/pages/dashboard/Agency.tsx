import { A, useSearchParams } from "@solidjs/router";
import { createResource, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { Sparkline } from "../../components/charts/Sparkline";
import { getAgency, type Client, type RangeQuery } from "./api";
import { DataTable, type Col } from "./DataTable";
import { entries, formatChange, formatValue, major } from "./format";
import { RangeBar } from "./RangeBar";
import "./dashboard.css";

const KPIS: [string, string, string][] = [["revenue_net", "Revenue (net)", "money"], ["orders", "Orders", "count"], ["sessions", "Sessions", "count"], ["conversions", "Conversions", "count"], ["email_opens", "Email opens", "count"], ["ad_spend", "Ad spend", "money"]];

/** Every client on one page: headline KPIs, change and trend, flagged when figures dropped. */
export default function AgencyRollup() {
  const [params, setParams] = useSearchParams<{ preset?: string; from?: string; to?: string; compare?: string }>();
  const range = (): RangeQuery => ({ preset: params.preset, from: params.from, to: params.to, compare: params.compare ?? "previous" });
  const org = () => session.org();
  const [data] = createResource(() => (org() && session.isOrgMember() ? { id: org()!.id, r: range() } : null), (k) => getAgency(k.id, k.r));
  const currencies = () => data()?.currencies ?? [];
  const kpi = (c: Client, key: string) => c.kpis.find((k) => k.key === key);
  const columns = (): Col<Client>[] => [
    { key: "name", header: "Client", value: (c) => c.name, cell: (c) => <A href="/dashboard" onClick={() => session.selectWorkspace(c.workspaceId)}>{c.name}</A> },
    { key: "flag", header: "Status", value: (c) => (c.dropped ? 1 : 0), cell: (c) => (c.dropped ? <Badge tone="danger">Dropped</Badge> : <Badge tone="success">Steady</Badge>) },
    ...KPIS.flatMap(([key, label, unit]) =>
      (unit === "money" ? (currencies().length ? currencies() : [""]) : [""]).map((cur) => ({
        key: `${key}:${cur}`, numeric: true, header: `${label}${cur ? ` (${cur})` : ""}`,
        value: (c: Client) => major(unit, kpi(c, key)?.value[cur] ?? null, cur),
        cell: (c: Client) => {
          const k = kpi(c, key);
          const v = k?.value[cur];
          if (v === undefined || v === null) return "—";
          return <span class="cell-kpi">{formatValue(unit, v, cur)} <small classList={{ down: (k!.change?.[cur] ?? 0) < 0 }}>{formatChange(k!.change?.[cur])}</small> <Sparkline values={k!.series.map((p) => p.value[cur] ?? null)} label={`${label} trend for ${c.name}`} /></span>;
        },
      })),
    ),
  ];
  return (
    <>
      <PageHeader title="All clients" description="Every client workspace's headline figures. Money stays in each client's currency; totals are per currency." />
      <RangeBar value={range()} onChange={(r) => setParams({ preset: r.preset, from: r.from, to: r.to, compare: r.compare }, { replace: true })} />
      <Show when={session.isOrgMember()} fallback={<Alert tone="info">The client roll-up is for your agency's team.</Alert>}>
        <Show when={!data.error} fallback={<Alert tone="danger">{errorMessage(data.error)}</Alert>}>
          <Show when={data()} fallback={<Loading label="Loading clients" />}>
            {(d) => (
              <>
                <Card title="Totals per currency">
                  <ul class="totals">
                    {KPIS.map(([key, label, unit]) => <li><span class="muted">{label}</span> {entries(d().totals[key]).map(([cur, v]) => <strong class="total">{formatValue(unit, v, cur)}</strong>)}</li>)}
                  </ul>
                </Card>
                <Card title="Clients" flush>
                  <DataTable caption="Clients and their headline KPIs" name="clients" columns={columns()} rows={d().clients} initialSort="flag" />
                </Card>
              </>
            )}
          </Show>
        </Show>
      </Show>
    </>
  );
}
