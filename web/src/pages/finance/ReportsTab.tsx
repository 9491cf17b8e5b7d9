import { createResource, createSignal, For, lazy, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { EmptyState } from "../../ui/Feedback";
import { SelectField, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { financeApi, type ReportId } from "./api";
import { isoDay } from "./money";

const Chart = lazy(() => import("./Chart"));
const REPORTS: { value: ReportId; label: string }[] = [
  { value: "revenue", label: "Revenue by client and month" },
  { value: "ar-aging", label: "Accounts receivable aging" },
  { value: "unbilled", label: "Unbilled work" },
  { value: "expenses", label: "Expenses by category" },
  { value: "profitability", label: "Profitability per client" },
];

export default function ReportsTab() {
  const now = new Date();
  const [report, setReport] = createSignal<ReportId>("revenue");
  const [from, setFrom] = createSignal(isoDay(new Date(now.getFullYear(), 0, 1)));
  const [to, setTo] = createSignal(isoDay(now));
  const q = () => ({ from: from(), to: to() });
  const [data] = createResource(() => [report(), from(), to(), session.org()?.id] as const, ([r]) => financeApi.report(r, q()));
  const points = () => {
    const d = data();
    if (!d) return { labels: [], values: [] };
    const acc = new Map<string, number>();
    for (const r of d.rows) acc.set(String(r[d.chart.label]), (acc.get(String(r[d.chart.label])) ?? 0) + Number(r[d.chart.value] ?? 0));
    return { labels: [...acc.keys()], values: [...acc.values()] };
  };
  const download = async () => {
    try {
      const res = await financeApi.reportCsv(report(), q());
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await res.blob());
      a.download = `${report()}.csv`;
      a.click();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  return (
    <Card title="Reports" actions={<Button variant="secondary" onClick={download}>Export CSV</Button>}>
      <div class="finance-row">
        <SelectField label="Report" value={report()} options={REPORTS} onValue={(v) => setReport(v as ReportId)} />
        <TextField label="From" type="date" value={from()} onValue={setFrom} disabled={report() === "ar-aging" || report() === "unbilled"} />
        <TextField label="To" type="date" value={to()} onValue={setTo} disabled={report() === "ar-aging" || report() === "unbilled"} />
      </div>
      <Show when={data()} fallback={<Show when={data.error}><p role="alert">{errorMessage(data.error)}</p></Show>}>
        {(d) => (
          <Show when={d().rows.length} fallback={<EmptyState icon="reports" title="Nothing to report for this period" />}>
            <Chart labels={points().labels} values={points().values} title={d().title} />
            <div class="table-wrap" tabindex="0" role="region" aria-label={d().title}>
              <table class="table">
                <thead>
                  <tr><For each={d().columns}>{(c) => <th scope="col">{c}</th>}</For></tr>
                </thead>
                <tbody>
                  <For each={d().rows}>{(r) => <tr><For each={r}>{(v) => <td class={typeof v === "number" ? "num" : undefined}>{v ?? "—"}</td>}</For></tr>}</For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Show>
    </Card>
  );
}
