import { createSignal, For, Show } from "solid-js";
import { Button } from "../../ui/Button";
import { Checkbox, SelectField, TextArea, TextField } from "../../ui/Form";
import type { Kind } from "../../lib/api/ai";
import { KIND_LABELS, NETWORK_LABELS, NETWORKS } from "./format";

const PLACEHOLDERS: Record<Kind, string> = {
  social_post: "Our new autumn menu launches Friday — slow-cooked ragù and pumpkin soup",
  ad_copy: "Drive bookings for weekday lunches in October",
  email_campaign: "Tell subscribers about the autumn menu and the loyalty card",
  image: "Autumn menu launch, this Friday",
  strategy: "Plan November: more weekday bookings, grow the newsletter",
  insight: "How did last month go, and what should we change?",
};

export type Brief = { kind: Kind; input: Record<string, unknown> };

/** The brief form: one set of fields per kind. */
export function BriefForm(props: { busy: boolean; onSubmit: (b: Brief) => void }) {
  const [kind, setKind] = createSignal<Kind>("social_post");
  const [brief, setBrief] = createSignal("");
  const [networks, setNetworks] = createSignal<string[]>(["instagram", "facebook"]);
  const [variants, setVariants] = createSignal("2");
  const [product, setProduct] = createSignal("");
  const [error, setError] = createSignal<string>();
  const maxVariants = () => (kind() === "social_post" || kind() === "ad_copy" ? 3 : kind() === "email_campaign" ? 2 : 1);
  const submit = (e: Event) => {
    e.preventDefault();
    const text = brief().trim() || (kind() === "strategy" || kind() === "insight" ? PLACEHOLDERS[kind()] : "");
    if (text.length < 3) return setError("Describe what to write (a sentence is enough)");
    if (kind() === "social_post" && networks().length === 0) return setError("Pick at least one network");
    setError(undefined);
    const input: Record<string, unknown> = { brief: text, variants: Math.min(maxVariants(), Number(variants())) };
    if (kind() === "social_post") input.networks = networks();
    if (kind() === "ad_copy" && product().trim()) input.product = product().trim();
    props.onSubmit({ kind: kind(), input });
  };
  return (
    <form class="stack" onSubmit={submit} aria-label="Content brief">
      <SelectField label="What to write" value={kind()} onValue={(v) => setKind(v as Kind)} options={(Object.keys(KIND_LABELS) as Kind[]).map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
      <TextArea label="Brief" rows={4} value={brief()} onValue={setBrief} placeholder={PLACEHOLDERS[kind()]} error={error()} />
      <Show when={kind() === "social_post"}>
        <fieldset class="fieldset">
          <legend>Networks</legend>
          <div class="checks">
            <For each={NETWORKS}>
              {(n) => <Checkbox label={NETWORK_LABELS[n]} checked={networks().includes(n)} onChange={(on) => setNetworks((s) => (on ? [...s, n] : s.filter((x) => x !== n)))} />}
            </For>
          </div>
        </fieldset>
      </Show>
      <Show when={kind() === "ad_copy"}>
        <TextField label="Product" optional value={product()} onValue={setProduct} placeholder="Defaults to your best seller" />
      </Show>
      <Show when={maxVariants() > 1}>
        <SelectField label="Variants" value={variants()} onValue={setVariants} options={Array.from({ length: maxVariants() }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }))} />
      </Show>
      <Button type="submit" variant="primary" icon="sparkles" loading={props.busy}>Generate</Button>
    </form>
  );
}
