import { createSignal, Show } from "solid-js";
import { createRule, type RuleInput } from "../../lib/api/alerts";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";

/** Creates a rule; the signed-in member gets its emails. */
export function RuleForm(props: { ws: string; onCreated: () => void }) {
  const [kind, setKind] = createSignal("budget_pacing");
  const [name, setName] = createSignal("Monthly ad budget");
  const [budget, setBudget] = createSignal("1500");
  const [currency, setCurrency] = createSignal("USD");
  const [pct, setPct] = createSignal("10");
  const form = createSubmit();
  const busy = form.busy;
  const submit = form.submit(async () => {
    const params: NonNullable<RuleInput["params"]> = { thresholdPct: Number(pct()) };
    if (kind() === "budget_pacing") Object.assign(params, { monthlyBudgetMinor: Math.round(Number(budget()) * 100), currency: currency().toUpperCase() });
    const me = session.isOrgMember() ? [session.user()!.id] : [];
    await createRule(props.ws, { kind: kind() as RuleInput["kind"], name: name(), params, recipients: me });
    toast.success("Rule created");
    props.onCreated();
  });
  return (
    <form class="card rule-form" onSubmit={submit}>
      <label>Kind <select value={kind()} onChange={(e) => setKind(e.currentTarget.value)}>
        <option value="budget_pacing">Budget pacing</option><option value="roas_drop">ROAS drop</option><option value="cpa_rise">CPA rise</option>
        <option value="spend_spike">Spend spike</option><option value="revenue_drop">Revenue drop</option><option value="sync_failing">Sync failing</option><option value="token_expiring">Token expiring</option>
      </select></label>
      <label>Name <input value={name()} onInput={(e) => setName(e.currentTarget.value)} required maxLength={120} /></label>
      <Show when={kind() === "budget_pacing"}>
        <label>Monthly budget <input type="number" min="1" step="0.01" value={budget()} onInput={(e) => setBudget(e.currentTarget.value)} /></label>
        <label>Currency <input value={currency()} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value)} /></label>
      </Show>
      <label>Threshold (%) <input type="number" min="1" value={pct()} onInput={(e) => setPct(e.currentTarget.value)} /></label>
      <Button type="submit" variant="primary" loading={busy()}>Create rule</Button>
    </form>
  );
}
