import { createEffect, createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { Checkbox, SelectField, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { getSettings, removeKey, saveSettings, setKey, type KeyProvider, type ProviderId, type Settings } from "../../lib/api/ai";
import { PROVIDER_LABELS, usd } from "./format";

const PROVIDERS: ProviderId[] = ["local", "anthropic", "openai", "gemini"];
const SOURCE: Record<string, string> = { builtin: "No key needed", organization: "Your key is set", deployment: "Using QWEB's key", none: "No key" };

export default function AiSettings() {
  const org = () => session.org();
  const [data, { refetch }] = createResource(() => (session.isOrgAdmin() ? org()?.id : undefined), getSettings);
  const [s, setS] = createSignal<Settings | null>(null);
  const [budget, setBudget] = createSignal("");
  const { busy, fail, submit } = createSubmit();
  createEffect(() => {
    const d = data();
    if (!d) return;
    setS(structuredClone(d.settings));
    setBudget(d.settings.budgetMicros === null ? "" : String(d.settings.budgetMicros / 1_000_000));
  });
  const models = (p: ProviderId, image = false) => (data()?.models[p] ?? []).filter((m) => (image ? /image|local/.test(m) : !/image/.test(m))).map((m) => ({ value: m, label: m }));
  const pick = (field: "textProvider" | "imageProvider", p: ProviderId) =>
    setS((x) => ({ ...x!, [field]: p, [field === "textProvider" ? "textModel" : "imageModel"]: models(p, field === "imageProvider")[0]?.value ?? "" }));
  const save = submit(async () => {
    const b = budget().trim();
    const dollars = b === "" ? null : Number(b);
    if (dollars !== null && (!Number.isFinite(dollars) || dollars < 0)) return fail("The budget is an amount in USD, like 50");
    const { currency: _c, ...rest } = s()!;
    await saveSettings(org()!.id, { ...rest, budgetMicros: dollars === null ? null : Math.round(dollars * 1_000_000) });
    toast.success("AI settings saved");
    await refetch();
  });
  return (
    <>
      <PageHeader title="AI settings" description={<>Providers, models, keys and the monthly budget of <strong>{org()?.name}</strong>.</>} />
      <Show when={session.isOrgAdmin()} fallback={<Alert tone="info">Only organization owners and admins manage AI settings.</Alert>}>
        <Show when={s()} fallback={<Loading />}>
          <div class="grid-2">
            <Card title="Providers and budget" description={<>Spent this month: <strong>{usd(data()!.spentThisMonthMicros)}</strong></>}>
              <form class="stack" onSubmit={save}>
                <SelectField label="Text provider" value={s()!.textProvider} onValue={(v) => pick("textProvider", v as ProviderId)} options={PROVIDERS.map((p) => ({ value: p, label: PROVIDER_LABELS[p] }))} />
                <SelectField label="Text model" value={s()!.textModel} onValue={(v) => setS((x) => ({ ...x!, textModel: v }))} options={models(s()!.textProvider)} />
                <SelectField label="Image provider" value={s()!.imageProvider} onValue={(v) => pick("imageProvider", v as ProviderId)} options={PROVIDERS.filter((p) => p !== "anthropic").map((p) => ({ value: p, label: PROVIDER_LABELS[p] }))} />
                <SelectField label="Image model" value={s()!.imageModel} onValue={(v) => setS((x) => ({ ...x!, imageModel: v }))} options={models(s()!.imageProvider, true)} />
                <fieldset class="fieldset">
                  <legend>Fall back to, in this order, when the provider fails</legend>
                  <For each={PROVIDERS}>
                    {(p) => <Checkbox label={PROVIDER_LABELS[p]} checked={s()!.fallback.includes(p)} onChange={(on) => setS((x) => ({ ...x!, fallback: on ? [...x!.fallback, p] : x!.fallback.filter((f) => f !== p) }))} />}
                  </For>
                </fieldset>
                <TextField label="Monthly budget (USD)" optional inputmode="decimal" value={budget()} onValue={setBudget} hint="Owners and admins are warned at 80 %; at 100 % new AI jobs stop until the budget is raised. Empty: no cap." />
                <Button type="submit" variant="primary" loading={busy()}>Save settings</Button>
              </form>
            </Card>
            <Card title="API keys" description="Keys are stored encrypted and never shown again. Without one, the built-in provider writes everything offline.">
              <div class="stack">
                <For each={data()!.keys.flatMap((k) => (k.provider === "local" ? [] : [{ ...k, provider: k.provider }]))}>{(k) => <KeyRow orgId={org()!.id} provider={k.provider} source={k.source} onChange={refetch} />}</For>
              </div>
            </Card>
          </div>
        </Show>
      </Show>
    </>
  );
}

function KeyRow(props: { orgId: string; provider: KeyProvider; source: string; onChange: () => void }) {
  const [value, setValue] = createSignal("");
  const { busy, fail, submit } = createSubmit();
  const store = submit(async () => {
    if (value().trim().length < 8) return fail("That does not look like an API key");
    await setKey(props.orgId, props.provider, value().trim());
    setValue("");
    toast.success(`${PROVIDER_LABELS[props.provider]} key stored`);
    props.onChange();
  });
  return (
    <form class="stack" onSubmit={store} aria-label={`${PROVIDER_LABELS[props.provider]} key`}>
      <div class="post-head" style={{ "text-transform": "none" }}>
        <strong>{PROVIDER_LABELS[props.provider]}</strong>
        <Badge tone={props.source === "organization" ? "success" : "neutral"}>{SOURCE[props.source]}</Badge>
      </div>
      <TextField label={`${PROVIDER_LABELS[props.provider]} API key`} type="password" autocomplete="off" value={value()} onValue={setValue} placeholder={props.source === "organization" ? "•••••••• (replace)" : "Paste a key"} />
      <div class="variant-actions" style={{ padding: 0, border: 0 }}>
        <Button type="submit" size="sm" loading={busy()}>Store key</Button>
        <Show when={props.source === "organization"}>
          <Button size="sm" variant="danger-ghost" onClick={() => removeKey(props.orgId, props.provider).then(props.onChange, (e) => toast.error(errorMessage(e)))}>Remove</Button>
        </Show>
      </div>
    </form>
  );
}
