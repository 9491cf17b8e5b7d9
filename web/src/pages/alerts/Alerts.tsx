import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { acknowledgeAlert, listAlerts, listRules, snoozeAlert } from "../../lib/api/alerts";
import { createTask } from "../../lib/api/tasks";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { toast } from "../../ui/Toast";
import { RuleForm } from "./RuleForm";
import "../dashboard/dashboard.css";

const KIND_LABELS: Record<string, string> = { budget_pacing: "Budget pacing", roas_drop: "ROAS drop", cpa_rise: "CPA rise", spend_spike: "Spend spike", revenue_drop: "Revenue drop", sync_failing: "Sync failing", token_expiring: "Token expiring" };
const DAY = 86_400_000;

/** The workspace's alerts (acknowledge, snooze) and the rules that raise them. */
export default function Alerts() {
  const ws = () => session.workspace();
  const [alerts, { refetch }] = createResource(() => ws()?.id, (id) => listAlerts(id));
  const [rules, { refetch: refetchRules }] = createResource(() => ws()?.id, (id) => listRules(id));
  const [adding, setAdding] = createSignal(false);
  const canEdit = () => session.can.editContent(ws()?.role);
  const act = async (id: string, what: "acknowledge" | "snooze") => {
    try {
      await (what === "snooze" ? snoozeAlert(ws()!.id, id, Date.now() + 7 * DAY) : acknowledgeAlert(ws()!.id, id));
      toast.success(what === "acknowledge" ? "Alert acknowledged" : "Snoozed for 7 days");
      void refetch();
    } catch (e) { toast.error(errorMessage(e)); }
  };
  const toTask = async (alertId: string) => {
    try { await createTask(ws()!.id, { fromAlertId: alertId }); toast.success("Task created from the alert"); } catch (e) { toast.error(errorMessage(e)); }
  };
  return (
    <Show when={ws()} fallback={<EmptyState title="Choose a workspace" />}>
      <PageHeader title="Alerts" description="Budget pacing, drops and sync health, checked every 15 minutes from the dashboard figures." actions={<Show when={canEdit()}><Button variant="primary" onClick={() => setAdding(!adding())}>{adding() ? "Cancel" : "New rule"}</Button></Show>} />
      <Show when={adding()}><RuleForm ws={ws()!.id} onCreated={() => { setAdding(false); void refetchRules(); }} /></Show>
      <Card title="Raised alerts" flush>
        <Show when={!alerts.error} fallback={<Alert tone="danger">{errorMessage(alerts.error)}</Alert>}>
          <Show when={alerts()} fallback={<Loading label="Loading alerts" />}>
            <Show when={alerts()!.alerts.length} fallback={<p class="muted pad">No alerts so far.</p>}>
              <ul class="alert-list">
                <For each={alerts()!.alerts}>
                  {(a) => (
                    <li class="alert-item" data-alert={a.id}>
                      <div>
                        <strong>{a.title}</strong> <Badge tone={a.status === "open" ? "danger" : "neutral"}>{a.status === "snoozed" ? `snoozed until ${formatDateTime(a.snoozedUntil)}` : a.status}</Badge>
                        <p>{a.body}</p>
                        <small class="muted">{KIND_LABELS[a.kind] ?? a.kind} · {a.periodKey} · {formatDateTime(a.createdAt)}</small>
                      </div>
                      <Show when={canEdit() && a.status === "open"}>
                        <div class="alert-actions">
                          <Button size="sm" onClick={() => act(a.id, "acknowledge")}>Acknowledge</Button>
                          <Button size="sm" variant="ghost" onClick={() => act(a.id, "snooze")}>Snooze 7 days</Button>
                          <Button size="sm" variant="ghost" onClick={() => toTask(a.id)}>Create task</Button>
                        </div>
                      </Show>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </Show>
        </Show>
      </Card>
      <Card title="Rules">
        <Show when={rules()} fallback={<Loading label="Loading rules" />}>
          <Show when={rules()!.rules.length} fallback={<p class="muted">No rules yet.</p>}>
            <ul class="rule-list"><For each={rules()!.rules}>{(r) => <li><strong>{r.name}</strong> <span class="muted">{KIND_LABELS[r.kind]}</span> {r.enabled ? null : <Badge tone="neutral">off</Badge>}</li>}</For></ul>
          </Show>
        </Show>
      </Card>
    </Show>
  );
}
