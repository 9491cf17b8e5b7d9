import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState } from "../../ui/Feedback";
import { createForm, FormError, TextArea, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";

type Incident = {
  id: string;
  title: string;
  detectedAt: number;
  deadlineAt: number;
  nature: string;
  dataCategories: string[];
  subjectCategories: string[];
  likelyConsequences: string;
  measuresTaken: string;
  authorityNotifiedAt: number | null;
  authorityReference: string | null;
  usersNotifiedAt: number | null;
  alertedAt: number | null;
  status: "open" | "notified" | "closed";
  late: boolean;
};

const [now, setNow] = createSignal(Date.now());

/** The 72-hour clock: time left until the deadline (or how late), ticking each second. */
function Clock(props: { incident: Incident }) {
  const t = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(t));
  const left = () => props.incident.deadlineAt - now();
  const fmt = (ms: number) => {
    const s = Math.abs(Math.floor(ms / 1000));
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m ${String(s % 60).padStart(2, "0")}s`;
  };
  return (
    <Show when={!props.incident.usersNotifiedAt} fallback={<Badge tone="success">users notified {formatDateTime(props.incident.usersNotifiedAt)}</Badge>}>
      <Badge tone={left() < 0 ? "danger" : left() < 12 * 3_600_000 ? "warning" : "info"}>
        <span class="clock">{left() < 0 ? `${fmt(left())} late` : `${fmt(left())} left`}</span>
      </Badge>
    </Show>
  );
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

function NewIncident(props: { onDone: () => void }) {
  const local = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const form = createForm({ initial: { title: "", detectedAt: local(), nature: "", dataCategories: "", subjectCategories: "", likelyConsequences: "", measuresTaken: "" } });
  const onSubmit = form.submit(async (v) => {
    await api("/api/operator/incidents", {
      body: { ...v, detectedAt: new Date(v.detectedAt).getTime(), dataCategories: list(v.dataCategories), subjectCategories: list(v.subjectCategories) },
    });
    form.reset({ detectedAt: local() });
    toast.success("Incident recorded: the 72-hour clock runs from its detection");
    props.onDone();
  });
  const field = (name: "title" | "nature" | "likelyConsequences" | "measuresTaken", label: string) => (
    <TextArea label={label} name={name} rows={2} value={form.values[name]} onValue={(v) => form.set(name, v)} error={form.errors[name]} />
  );
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <div class="form-row">
        <TextField label="Title" name="title" value={form.values.title} onValue={(v) => form.set("title", v)} error={form.errors.title} />
        <TextField label="Detected at" name="detectedAt" type="datetime-local" value={form.values.detectedAt} onValue={(v) => form.set("detectedAt", v)} />
      </div>
      {field("nature", "Nature of the breach")}
      <div class="form-row">
        <TextField label="Categories of data (comma-separated)" name="dataCategories" value={form.values.dataCategories} onValue={(v) => form.set("dataCategories", v)} error={form.errors.dataCategories} />
        <TextField label="Categories of people (comma-separated)" name="subjectCategories" value={form.values.subjectCategories} onValue={(v) => form.set("subjectCategories", v)} error={form.errors.subjectCategories} />
      </div>
      {field("likelyConsequences", "Likely consequences")}
      {field("measuresTaken", "Measures taken")}
      <div class="form-actions form-actions-start">
        <Button type="submit" variant="primary" loading={form.submitting()}>
          Record incident
        </Button>
      </div>
    </form>
  );
}

function IncidentCard(props: { incident: Incident; onChange: () => void }) {
  const [orgIds, setOrgIds] = createSignal("");
  const { busy, run } = createSubmit();
  const i = () => props.incident;
  const notify = (all: boolean) =>
    run(async () => {
      const res = await api<{ notified: number }>(`/api/operator/incidents/${i().id}/notify`, { body: all ? { all: true } : { orgIds: list(orgIds()) } });
      toast.success(`${res.notified} user(s) notified in the app and by email`);
      props.onChange();
    });
  const authorityNotified = () =>
    run(async () => {
      await api(`/api/operator/incidents/${i().id}`, { method: "PATCH", body: { authorityNotifiedAt: Date.now() } });
      props.onChange();
    }, "authority");
  return (
    <Card title={i().title} description={<>Detected {formatDateTime(i().detectedAt)} · deadline {formatDateTime(i().deadlineAt)}</>} actions={<Clock incident={i()} />}>
      <div class="stack">
        <dl class="kv">
          <dt>Nature</dt>
          <dd>{i().nature}</dd>
          <dt>Data</dt>
          <dd>{i().dataCategories.join(", ")}</dd>
          <dt>People</dt>
          <dd>{i().subjectCategories.join(", ")}</dd>
          <dt>Consequences</dt>
          <dd>{i().likelyConsequences}</dd>
          <dt>Measures</dt>
          <dd>{i().measuresTaken}</dd>
          <dt>Authority</dt>
          <dd>{i().authorityNotifiedAt ? `notified ${formatDateTime(i().authorityNotifiedAt)}${i().authorityReference ? ` (${i().authorityReference})` : ""}` : "not notified yet"}</dd>
        </dl>
        <div class="form-row">
          <TextField label="Affected organizations (ids, comma-separated)" value={orgIds()} onValue={setOrgIds} />
        </div>
        <div class="form-actions form-actions-start">
          <Button variant="primary" loading={busy()} disabled={!orgIds().trim()} onClick={() => notify(false)}>
            Notify their members
          </Button>
          <Button loading={busy()} onClick={() => notify(true)}>
            Notify every user
          </Button>
          <Show when={!i().authorityNotifiedAt}>
            <Button onClick={authorityNotified}>Authority notified now</Button>
          </Show>
        </div>
      </div>
    </Card>
  );
}

/** P24: incidents with their 72-hour clock. */
export function Incidents() {
  const [data, { refetch }] = createResource(() => api<{ incidents: Incident[] }>("/api/operator/incidents"));
  const [creating, setCreating] = createSignal(false);
  return (
    <div class="stack-lg">
      <Card
        title="Personal-data breaches"
        description="Users and the supervisory authority must be told within 72 hours of detection. An incident still unnotified 12 hours before its deadline alerts every operator."
        actions={
          <Button icon="plus" onClick={() => setCreating(!creating())}>
            Record incident
          </Button>
        }
      >
        <Show when={creating()} fallback={<Show when={data.latest && !data.latest.incidents.length}><EmptyState icon="shield" title="No incidents" /></Show>}>
          <NewIncident onDone={() => (setCreating(false), void refetch())} />
        </Show>
      </Card>
      <Show when={data.error}>
        <Alert tone="danger">{errorMessage(data.error)}</Alert>
      </Show>
      <For each={data.latest?.incidents ?? []}>{(i) => <IncidentCard incident={i} onChange={() => void refetch()} />}</For>
    </div>
  );
}
