import { createEffect, createResource, createSignal, onCleanup, Show } from "solid-js";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { TextArea, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, type Settings } from "./api";

/** Finance settings: the agency's details and logo on its invoices, currency, numbering and terms. */
export default function SettingsTab() {
  const [settings, { mutate }] = createResource(() => session.org()?.id, () => financeApi.settings());
  return (
    <Show when={settings()}>
      {(s) => (
        <div class="finance-stack">
          <LogoCard settings={s()} onChange={mutate} />
          <DetailsCard settings={s()} onChange={mutate} />
        </div>
      )}
    </Show>
  );
}

function LogoCard(props: { settings: Settings; onChange: (s: Settings) => void }) {
  const [url, setUrl] = createSignal<string | null>(null);
  const { busy, run } = createSubmit();
  let input!: HTMLInputElement;
  createEffect(() => {
    const logo = props.settings.logo;
    if (!logo) return setUrl(null);
    void props.settings.updatedAt;
    financeApi.logoUrl().then(setUrl, () => setUrl(null));
  });
  onCleanup(() => url() && URL.revokeObjectURL(url()!));
  async function upload(file: File | undefined) {
    if (!file) return;
    await run(async () => {
      props.onChange(await financeApi.uploadLogo(file));
      toast.success("Logo saved; new invoice PDFs show it");
    });
    input.value = "";
  }
  const remove = () =>
    run(async () => {
      props.onChange(await financeApi.removeLogo());
      toast.success("Logo removed");
    }, "remove");
  return (
    <Card title="Invoice logo" description="Drawn at the top of every invoice PDF. PNG or JPEG, at most 1 MB (SVG is not accepted).">
      <div class="finance-row">
        <Show when={props.settings.logo} fallback={<p class="muted">No logo yet: invoices show your initials.</p>}>
          {(logo) => (
            <div>
              <Show when={url()}>{(u) => <img class="logo-preview" src={u()} alt="Your invoice logo" data-testid="logo-preview" />}</Show>
              <p class="muted">{logo().type === "image/png" ? "PNG" : "JPEG"}, {logo().width} × {logo().height} px, {Math.ceil(logo().bytes / 1024)} KB</p>
            </div>
          )}
        </Show>
        <div class="finance-row-actions">
          <label class="btn btn-secondary btn-md" for="logo-file">{props.settings.logo ? "Replace logo" : "Upload logo"}</label>
          <input id="logo-file" ref={input} class="sr-only" type="file" accept="image/png,image/jpeg" disabled={busy("submit")} onChange={(e) => upload(e.currentTarget.files?.[0])} />
          <Show when={props.settings.logo}>
            <Button variant="ghost" onClick={remove}>Remove logo</Button>
          </Show>
        </div>
      </div>
    </Card>
  );
}

function DetailsCard(props: { settings: Settings; onChange: (s: Settings) => void }) {
  const [name, setName] = createSignal(props.settings.agencyName ?? "");
  const [details, setDetails] = createSignal(props.settings.agencyDetails ?? "");
  const [currency, setCurrency] = createSignal(props.settings.currency);
  const [pattern, setPattern] = createSignal(props.settings.invoicePattern);
  const [terms, setTerms] = createSignal(String(props.settings.paymentTermsDays));
  const { busy, submit } = createSubmit();
  const save = submit(async () => {
    props.onChange(await financeApi.saveSettings({ agencyName: name().trim() || null, agencyDetails: details().trim() || null, currency: currency(), invoicePattern: pattern(), paymentTermsDays: Number(terms()) }));
    toast.success("Settings saved");
  });
  return (
    <Card title="Agency details and invoicing" description="What your invoices say about you, and how they are numbered.">
      <form class="form" onSubmit={save} noValidate>
        <TextField label="Agency name" value={name()} onValue={setName} maxLength={200} />
        <TextArea label="Address and contact (up to 4 lines on the PDF)" value={details()} onValue={setDetails} maxLength={1000} rows={4} />
        <div class="finance-row">
          <TextField label="Default currency" value={currency()} onValue={(v) => setCurrency(v.toUpperCase())} maxLength={3} />
          <TextField label="Number pattern" value={pattern()} onValue={setPattern} hint="e.g. INV-{YYYY}-{seq:4}" />
          <TextField label="Payment terms (days)" inputMode="numeric" value={terms()} onValue={setTerms} />
        </div>
        <div class="form-actions">
          <Button type="submit" variant="primary" loading={busy()}>Save settings</Button>
        </div>
      </form>
    </Card>
  );
}
