import { createResource, createSignal, For, Show } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime, timeAgo } from "../../lib/format";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { createForm, FormError, SelectField, TextArea, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";
import type { DsrEvent } from "../../lib/api/privacy";
import type { OperatorRequest as DsrRequest } from "../../lib/api/operator";
import { kindLabel, statusTone } from "../privacy/labels";

const DAY = 86_400_000;
const dueBadge = (r: DsrRequest) => {
  if (r.completedAt) return <Badge tone="success">done</Badge>;
  const left = r.dueAt - Date.now();
  if (left < 0) return <Badge tone="danger">overdue {timeAgo(r.dueAt)}</Badge>;
  return <Badge tone={left < 5 * DAY ? "warning" : "neutral"}>{Math.ceil(left / DAY)} days left</Badge>;
};

function FileRequest(props: { onDone: () => void }) {
  const form = createForm({ initial: { email: "", regime: "gdpr", kind: "access", details: "", receivedOn: new Date().toISOString().slice(0, 10) } });
  const onSubmit = form.submit(async (v) => {
    await api("/api/operator/dsr", { body: { email: v.email.trim(), regime: v.regime, kind: v.kind, details: v.details.trim(), receivedAt: Date.parse(`${v.receivedOn}T12:00:00Z`) } });
    form.reset();
    toast.success("Request filed");
    props.onDone();
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <div class="form-row">
        <TextField label="Requester's email" name="email" type="email" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} />
        <TextField label="Received at privacy@ on" name="receivedOn" type="date" value={form.values.receivedOn} onValue={(v) => form.set("receivedOn", v)} />
      </div>
      <div class="form-row">
        <SelectField label="Law" name="regime" value={form.values.regime} onValue={(v) => form.set("regime", v)} options={[{ value: "gdpr", label: "GDPR (30 days)" }, { value: "ccpa", label: "CCPA (45 days)" }]} />
        <SelectField label="Request" name="kind" value={form.values.kind} onValue={(v) => form.set("kind", v)} options={Object.entries(kindLabel).map(([value, label]) => ({ value, label }))} />
      </div>
      <TextArea label="What they asked" name="details" rows={3} value={form.values.details} onValue={(v) => form.set("details", v)} error={form.errors.details} />
      <div class="form-actions form-actions-start">
        <Button type="submit" variant="primary" loading={form.submitting()}>
          File request
        </Button>
      </div>
    </form>
  );
}

function Work(props: { id: string | null; onClose: () => void; onChange: () => void }) {
  const [data, { refetch }] = createResource(() => props.id, (id) => api<{ request: DsrRequest; events: DsrEvent[] }>(`/api/operator/dsr/${id}`));
  const form = createForm({ initial: { status: "", verification: "", action: "", note: "" } });
  const onSubmit = form.submit(async (v) => {
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>;
    if (!Object.keys(body).length) return;
    await api(`/api/operator/dsr/${props.id}`, { method: "PATCH", body });
    form.reset();
    await refetch();
    props.onChange();
  });
  async function extend() {
    try {
      await api(`/api/operator/dsr/${props.id}`, { method: "PATCH", body: { extend: true, note: "Requester informed of the extension and its reasons" } });
      await refetch();
      props.onChange();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Modal open={!!props.id} title="Work a request" onClose={props.onClose}>
      <Show when={data()}>
        {(d) => (
          <div class="stack">
            <dl class="kv">
              <dt>Requester</dt>
              <dd>{d().request.email ?? (d().request.userId ? "account holder" : "erased")}</dd>
              <dt>Request</dt>
              <dd>
                {d().request.regime.toUpperCase()} · {kindLabel[d().request.kind] ?? d().request.kind} · {d().request.source}
              </dd>
              <dt>Due</dt>
              <dd>
                {formatDateTime(d().request.dueAt)} {dueBadge(d().request)}
              </dd>
              <dt>Status</dt>
              <dd>
                <Badge tone={statusTone(d().request.status)}>{d().request.status}</Badge> · verification: {d().request.verification}
              </dd>
              <Show when={d().request.details}>
                <dt>Details</dt>
                <dd>{d().request.details}</dd>
              </Show>
            </dl>
            <h3>Audit trail</h3>
            <ul class="stack">
              <For each={d().events}>
                {(e) => (
                  <li>
                    <span class="muted nowrap">{formatDateTime(e.at)}</span> · {e.actor} · {e.action}
                    {e.note ? ` — ${e.note}` : ""}
                  </li>
                )}
              </For>
            </ul>
            <form class="form" onSubmit={onSubmit} noValidate>
              <FormError error={form.errors.form} />
              <div class="form-row">
                <SelectField label="Status" name="status" value={form.values.status} onValue={(v) => form.set("status", v)} options={[{ value: "", label: "Unchanged" }, ...["received", "verifying", "in-progress", "completed", "rejected"].map((s) => ({ value: s, label: s }))]} />
                <SelectField label="Verification" name="verification" value={form.values.verification} onValue={(v) => form.set("verification", v)} options={[{ value: "", label: "Unchanged" }, ...["pending", "email", "manual"].map((s) => ({ value: s, label: s }))]} />
              </div>
              <TextField label="Action taken" name="action" value={form.values.action} onValue={(v) => form.set("action", v)} />
              <TextField label="Note" name="note" value={form.values.note} onValue={(v) => form.set("note", v)} />
              <div class="form-actions form-actions-start">
                <Button type="submit" variant="primary" loading={form.submitting()}>
                  Record
                </Button>
                <Button onClick={extend}>Use the one extension</Button>
              </div>
            </form>
          </div>
        )}
      </Show>
    </Modal>
  );
}

/** P21: the DSR queue, soonest deadline first. */
export function DsrQueue(props: { open?: string | null }) {
  const [all, setAll] = createSignal(false);
  const [queue, { refetch }] = createResource(all, (a) => api<{ requests: DsrRequest[] }>("/api/operator/dsr", { query: { status: a ? "all" : "open" } }));
  const [open, setOpen] = createSignal<string | null>(props.open ?? null);
  const [filing, setFiling] = createSignal(false);
  return (
    <div class="stack-lg">
      <Card
        title="Data-subject requests"
        description="GDPR requests are due 30 days after receipt, CCPA requests 45. Near-due and overdue requests alert operators and the organization's owners."
        flush
        actions={
          <>
            <Button onClick={() => setAll(!all())}>{all() ? "Open only" : "Show all"}</Button>
            <Button icon="plus" onClick={() => setFiling(!filing())}>
              File emailed request
            </Button>
          </>
        }
      >
        <Show when={filing()}>
          <div class="card-pad">
            <FileRequest onDone={() => (setFiling(false), void refetch())} />
          </div>
        </Show>
        <Show when={!queue.error} fallback={<Alert tone="danger">{errorMessage(queue.error)}</Alert>}>
          <Show when={queue.latest} fallback={<SkeletonRows cols={5} />}>
            <Table
              caption="Data-subject requests"
              rows={queue.latest!.requests}
              rowKey={(r) => r.id}
              empty={<EmptyState icon="shield" title="No open requests" />}
              columns={[
                { header: "Due", cell: (r) => <span class="nowrap">{formatDate(r.dueAt)} {dueBadge(r)}</span> },
                {
                  header: "Request",
                  cell: (r) => (
                    <button type="button" class="link-button" onClick={() => setOpen(r.id)}>
                      {r.regime.toUpperCase()} · {kindLabel[r.kind] ?? r.kind}
                    </button>
                  ),
                },
                { header: "Requester", cell: (r) => <span class="small">{r.email ?? "—"}</span>, class: "hide-sm" },
                { header: "Source", cell: (r) => r.source, class: "hide-sm" },
                { header: "Status", cell: (r) => <Badge tone={statusTone(r.status)}>{r.status}</Badge> },
              ]}
            />
          </Show>
        </Show>
      </Card>
      <Work id={open()} onClose={() => setOpen(null)} onChange={() => void refetch()} />
    </div>
  );
}
