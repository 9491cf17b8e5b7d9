import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { EmptyState } from "../../ui/Feedback";
import { FormError, SelectField, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { confirmDialog, Modal } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, type Budget } from "./api";
import { formatMoney, parseMoney, toDecimal } from "./money";

/** "warn" from 80 %, "over" from 100 %: the same thresholds the notifications use. */
export const budgetLevel = (percent: number) => (percent >= 100 ? "over" : percent >= 80 ? "warn" : "ok");

export default function BudgetsTab() {
  const [budgets, { refetch }] = createResource(() => session.org()?.id, () => financeApi.budgets());
  const [projects] = createResource(() => session.org()?.id, () => financeApi.projects());
  const [settings] = createResource(() => session.org()?.id, () => financeApi.settings());
  const [editing, setEditing] = createSignal<Budget | "new" | null>(null);
  const currency = () => settings()?.currency ?? "USD";
  const wsName = (id: string) => session.workspaces().find((w) => w.id === id)?.name ?? "Client";
  const target = (b: Budget) => (b.projectId ? `${wsName(b.workspaceId)} · ${projects()?.find((p) => p.id === b.projectId)?.name ?? "Project"}` : wsName(b.workspaceId));
  const amount = (b: Budget, n: number) => (b.unit === "hours" ? `${Math.round((n / 60) * 10) / 10} h` : formatMoney(n, currency()));
  async function remove(b: Budget) {
    if (!(await confirmDialog({ title: "Remove this budget?", message: <>The monthly budget of <strong>{target(b)}</strong> and its warnings stop.</>, confirmLabel: "Remove budget", danger: true }))) return;
    try {
      await financeApi.deleteBudget(b.id);
      toast.success("Budget removed");
      refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Card
      title="Budgets"
      description={<>Monthly hours or money per client or project. Owners and admins are notified at 80 % and 100 %; this month is {budgets()?.[0]?.month ?? "shown"}.</>}
      actions={<Button variant="primary" icon="plus" onClick={() => setEditing("new")}>Add budget</Button>}
    >
      <Show when={(budgets() ?? []).length} fallback={<EmptyState icon="finance" title="No budgets yet">Give a retainer client its monthly hours to see when it runs over.</EmptyState>}>
        <ul class="budget-list" aria-label="Budgets">
          <For each={budgets()}>
            {(b) => (
              <li class="budget-row" data-level={budgetLevel(b.percent)}>
                <div class="budget-head">
                  <strong>{target(b)}</strong>
                  <span class="muted">{b.unit === "hours" ? "hours" : "money"} per month</span>
                </div>
                <div class="budget-bar" role="progressbar" aria-label={`${target(b)}: ${b.percent} % used`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(b.percent, 100)}>
                  <span style={{ width: `${Math.min(b.percent, 100)}%` }} />
                </div>
                <div class="budget-foot">
                  <span>
                    {amount(b, b.used)} of {amount(b, b.monthlyLimit)} · <strong>{b.percent} %</strong>
                    {budgetLevel(b.percent) === "over" ? " · over budget" : budgetLevel(b.percent) === "warn" ? " · nearly used" : ""}
                  </span>
                  <span class="finance-row-actions">
                    <Button size="sm" variant="secondary" onClick={() => setEditing(b)} aria-label={`Edit budget of ${target(b)}`}>Edit</Button>
                    <Button size="sm" variant="ghost" onClick={() => remove(b)} aria-label={`Remove budget of ${target(b)}`}>Remove</Button>
                  </span>
                </div>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Modal open={editing() !== null} title={editing() === "new" ? "Add budget" : "Edit budget"} onClose={() => setEditing(null)}>
        <BudgetForm budget={editing() === "new" ? null : (editing() as Budget)} currency={currency()} projects={projects() ?? []} onDone={() => (setEditing(null), refetch())} />
      </Modal>
    </Card>
  );
}

function BudgetForm(props: { budget: Budget | null; currency: string; projects: { id: string; name: string; workspaceId: string }[]; onDone: () => void }) {
  const b = props.budget;
  const [ws, setWs] = createSignal(b?.workspaceId ?? session.workspaces()[0]?.id ?? "");
  const [project, setProject] = createSignal(b?.projectId ?? "");
  const [unit, setUnit] = createSignal<"hours" | "amount">(b?.unit ?? "hours");
  const [limit, setLimit] = createSignal(b ? (b.unit === "hours" ? String(b.monthlyLimit / 60) : toDecimal(b.monthlyLimit, props.currency)) : "");
  const { busy, error, fail, submit: onSubmit } = createSubmit({ show: "inline" });
  const submit = onSubmit(async () => {
    const monthlyLimit = unit() === "hours" ? Math.round(Number(limit()) * 60) : parseMoney(limit(), props.currency);
    if (!monthlyLimit || !Number.isFinite(monthlyLimit) || monthlyLimit < 1) return fail(unit() === "hours" ? "Enter the hours per month, e.g. 40" : `Enter an amount in ${props.currency}`);
    await financeApi.putBudget({ workspaceId: ws(), projectId: project() || null, unit: unit(), monthlyLimit });
    toast.success("Budget saved");
    props.onDone();
  });
  return (
    <form class="form" onSubmit={submit} noValidate>
      <FormError error={error()} />
      <SelectField label="Client" value={ws()} disabled={!!b} options={session.workspaces().map((w) => ({ value: w.id, label: w.name }))} onValue={(v) => (setWs(v), setProject(""))} />
      <SelectField label="Project" value={project()} disabled={!!b} options={[{ value: "", label: "Whole client" }, ...props.projects.filter((p) => p.workspaceId === ws()).map((p) => ({ value: p.id, label: p.name }))]} onValue={setProject} />
      <SelectField label="Budget in" value={unit()} options={[{ value: "hours", label: "Hours" }, { value: "amount", label: `Money (${props.currency}, at billing rates)` }]} onValue={(v) => setUnit(v as "hours" | "amount")} />
      <TextField label={unit() === "hours" ? "Hours per month" : `Amount per month (${props.currency})`} inputMode="decimal" value={limit()} onValue={setLimit} placeholder={unit() === "hours" ? "40" : "5000.00"} />
      <div class="form-actions">
        <Button type="submit" variant="primary" loading={busy()}>Save budget</Button>
      </div>
    </form>
  );
}
