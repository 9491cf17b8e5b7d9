import { createResource, createSignal, lazy, Show, Suspense } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Alert, EmptyState, Loading } from "../../ui/Feedback";
import { SelectField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { Table } from "../../ui/Table";
import { getUsage, type UsageBy, type UsageRow } from "../../lib/api/ai";
import { usd } from "./format";

const UsageChart = lazy(() => import("./UsageChart"));
const fmt = new Intl.NumberFormat();
const GROUPS = [{ value: "month", label: "Month" }, { value: "agent", label: "Agent" }, { value: "provider", label: "Provider" }, { value: "model", label: "Model" }];

export default function Usage() {
  const [by, setBy] = createSignal<UsageBy>("month");
  const [data] = createResource(() => (session.isOrgAdmin() && session.org() ? { org: session.org()!.id, by: by() } : null), (p) => getUsage(p.org, p.by));
  const [months] = createResource(() => (session.isOrgAdmin() && session.org() ? session.org()!.id : null), (org) => getUsage(org, "month"));
  return (
    <>
      <PageHeader title="AI usage" description="Tokens, images, cost and time of every AI call over the last 12 months (kept 12 months)." />
      <Show when={session.isOrgAdmin()} fallback={<Alert tone="info">Only organization owners and admins see AI usage and cost.</Alert>}>
        <Show when={(months()?.rows.length ?? 0) > 0}>
          <Card title="By month">
            <Suspense fallback={<Loading />}>
              <UsageChart rows={months()!.rows} />
            </Suspense>
          </Card>
        </Show>
        <Card title="Breakdown" actions={<SelectField label="Group by" value={by()} onValue={(v) => setBy(v as UsageBy)} options={GROUPS} />}>
          <Show when={!data.error} fallback={<Alert tone="danger">{errorMessage(data.error)}</Alert>}>
            <Show when={data()} fallback={<Loading />}>
              <Table<UsageRow>
                caption="AI usage"
                rows={data()!.rows}
                rowKey={(r) => r.key}
                empty={<EmptyState icon="sparkles" title="No AI usage yet">Generate something in the content studio.</EmptyState>}
                columns={[
                  { header: GROUPS.find((g) => g.value === by())!.label, cell: (r) => r.key },
                  { header: "Calls", cell: (r) => fmt.format(r.calls) },
                  { header: "Input tokens", cell: (r) => fmt.format(r.inputTokens) },
                  { header: "Output tokens", cell: (r) => fmt.format(r.outputTokens) },
                  { header: "Images", cell: (r) => fmt.format(r.images) },
                  { header: "Cost", cell: (r) => usd(r.costMicros) },
                  { header: "Time", cell: (r) => `${(r.durationMs / 1000).toFixed(1)} s` },
                  { header: "Failed", cell: (r) => fmt.format(r.failures) },
                ]}
              />
            </Show>
          </Show>
        </Card>
      </Show>
    </>
  );
}
