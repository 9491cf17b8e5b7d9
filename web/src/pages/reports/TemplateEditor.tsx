import { createSignal } from "solid-js";
import { saveTemplate, type Template } from "../../lib/api/reports";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";


/** Title, branding, schedule, the free-text note and whether the signed-in member receives it. */
export function TemplateEditor(props: { ws: string; template: Template; onSaved: (t: Template) => void }) {
  const t = props.template;
  const [title, setTitle] = createSignal(t.title);
  const [agency, setAgency] = createSignal(t.branding.agencyName);
  const [client, setClient] = createSignal(t.branding.clientName);
  const [primary, setPrimary] = createSignal(t.branding.primaryColor);
  const [accent, setAccent] = createSignal(t.branding.accentColor);
  const [schedule, setSchedule] = createSignal(t.schedule);
  const [note, setNote] = createSignal((t.sections.find((s) => s.kind === "note") as { text: string } | undefined)?.text ?? "");
  const me = session.user()?.id ?? "";
  const [mine, setMine] = createSignal(t.recipients.includes(me));
  const { busy, submit } = createSubmit();
  const save = submit(async () => {
    const sections = [...t.sections.filter((s) => s.kind !== "note"), ...(note().trim() ? [{ kind: "note" as const, text: note().trim() }] : [])];
    const recipients = mine() ? [...new Set([...t.recipients, me])] : t.recipients.filter((r) => r !== me);
    const saved = await saveTemplate(props.ws, { title: title(), sections, branding: { agencyName: agency(), clientName: client(), primaryColor: primary(), accentColor: accent() }, schedule: schedule(), recipients: session.isOrgMember() ? recipients : [] });
    toast.success("Template saved");
    props.onSaved(saved);
  });
  return (
    <form class="card rule-form" onSubmit={save} aria-label="Report template">
      <label>Title <input value={title()} onInput={(e) => setTitle(e.currentTarget.value)} required maxLength={120} /></label>
      <label>Agency name <input value={agency()} onInput={(e) => setAgency(e.currentTarget.value)} required /></label>
      <label>Client name <input value={client()} onInput={(e) => setClient(e.currentTarget.value)} required /></label>
      <label>Main colour <input type="color" value={primary()} onInput={(e) => setPrimary(e.currentTarget.value)} /></label>
      <label>Accent colour <input type="color" value={accent()} onInput={(e) => setAccent(e.currentTarget.value)} /></label>
      <label>Schedule ({t.timeZone}) <select value={schedule()} onChange={(e) => setSchedule(e.currentTarget.value as Template["schedule"])}><option value="none">Only when generated</option><option value="weekly">Weekly (Mondays)</option><option value="monthly">Monthly (the 1st)</option></select></label>
      <label>Note <input value={note()} onInput={(e) => setNote(e.currentTarget.value)} maxLength={4000} /></label>
      <label class="inline"><input type="checkbox" checked={mine()} onChange={(e) => setMine(e.currentTarget.checked)} /> Email it to me</label>
      <Button type="submit" variant="primary" loading={busy()}>Save template</Button>
    </form>
  );
}
