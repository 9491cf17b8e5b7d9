import { createResource, createSignal, For, Show } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { createForm, FormError, SelectField, TextArea } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";
import type { DsrEvent, DsrRequest } from "../../lib/api/privacy";
import { kindLabel, statusTone } from "./labels";

const MAX_FILE = 512 * 1024;
const TYPES = ["application/pdf", "image/png", "image/jpeg", "text/plain"];

const toBase64 = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).split(",")[1] ?? "");
    r.onerror = () => reject(new Error("Could not read the file"));
    r.readAsDataURL(file);
  });

function NewRequest(props: { onDone: () => void }) {
  const [file, setFile] = createSignal<File | null>(null);
  const [fileError, setFileError] = createSignal<string | undefined>();
  const form = createForm({
    initial: { kind: "rectification", regime: "gdpr", details: "", orgId: "" },
    validate: (v) => ({ details: v.details.trim().length < 10 ? "Tell us what the request is about (at least 10 characters)" : undefined }),
  });
  const onSubmit = form.submit(async (v) => {
    const f = file();
    if (f && (!TYPES.includes(f.type) || f.size > MAX_FILE)) {
      setFileError("Attach a PDF, PNG, JPEG or text file of up to 512 KB");
      return;
    }
    const { request } = await api<{ request: DsrRequest }>("/api/privacy/requests", {
      body: { kind: v.kind, regime: v.regime, details: v.details.trim(), ...(v.orgId ? { orgId: v.orgId } : {}) },
    });
    if (f) {
      await api(`/api/privacy/requests/${request.id}/attachment`, {
        method: "PUT",
        body: { name: f.name.replace(/[^\w\-. ]/g, "_").slice(0, 120), contentType: f.type, dataBase64: await toBase64(f) },
      });
    }
    form.reset();
    setFile(null);
    toast.success(`Request received: we answer by ${formatDate(request.dueAt)}`);
    props.onDone();
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <div class="form-row">
        <SelectField
          label="What do you need?"
          name="kind"
          value={form.values.kind}
          onValue={(v) => form.set("kind", v)}
          options={["rectification", "access", "restriction", "objection", "know", "delete", "portability"].map((k) => ({ value: k, label: kindLabel[k]! }))}
        />
        <SelectField
          label="Under which law"
          name="regime"
          value={form.values.regime}
          onValue={(v) => form.set("regime", v)}
          options={[
            { value: "gdpr", label: "GDPR (answered within 30 days)" },
            { value: "ccpa", label: "CCPA (answered within 45 days)" },
          ]}
        />
      </div>
      <Show when={session.orgs().filter((o) => o.role !== "portal").length}>
        <SelectField
          label="About an organization's data"
          name="orgId"
          value={form.values.orgId}
          onValue={(v) => form.set("orgId", v)}
          options={[{ value: "", label: "No — about my own account" }, ...session.orgs().filter((o) => o.role !== "portal").map((o) => ({ value: o.id, label: o.name }))]}
        />
      </Show>
      <TextArea
        label="Details"
        name="details"
        rows={4}
        value={form.values.details}
        onValue={(v) => form.set("details", v)}
        error={form.errors.details}
        hint="For data you cannot edit yourself: say what is wrong and what it should be."
      />
      <div class="field">
        <label class="field-label" for="dsr-file">
          Supporting document <span class="field-optional">(optional)</span>
        </label>
        <input id="dsr-file" type="file" accept={TYPES.join(",")} onChange={(e) => (setFile(e.currentTarget.files?.[0] ?? null), setFileError(undefined))} />
        <Show when={fileError()} fallback={<p class="field-hint">PDF, PNG, JPEG or text, up to 512 KB. Kept with your account and deleted with it.</p>}>
          <p class="field-error">{fileError()}</p>
        </Show>
      </div>
      <div class="form-actions form-actions-start">
        <Button type="submit" variant="primary" loading={form.submitting()}>
          Send request
        </Button>
      </div>
    </form>
  );
}

function RequestDetail(props: { id: string | null; onClose: () => void; onChange: () => void }) {
  const [data, { refetch }] = createResource(
    () => props.id,
    (id) => api<{ request: DsrRequest; events: DsrEvent[] }>(`/api/privacy/requests/${id}`),
  );
  async function cancel() {
    try {
      await api(`/api/privacy/requests/${props.id}/cancel`, { method: "POST" });
      await refetch();
      props.onChange();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Modal open={!!props.id} title="Privacy request" onClose={props.onClose}>
      <Show when={data()}>
        {(d) => (
          <div class="stack">
            <dl class="kv">
              <dt>Request</dt>
              <dd>{kindLabel[d().request.kind] ?? d().request.kind}</dd>
              <dt>Status</dt>
              <dd>
                <Badge tone={statusTone(d().request.status)}>{d().request.status}</Badge>
              </dd>
              <dt>Received</dt>
              <dd>{formatDateTime(d().request.receivedAt)}</dd>
              <dt>Answer due</dt>
              <dd>{formatDateTime(d().request.dueAt)}</dd>
              <Show when={d().request.details}>
                <dt>Details</dt>
                <dd>{d().request.details}</dd>
              </Show>
              <Show when={d().request.attachment}>
                <dt>Document</dt>
                <dd>{d().request.attachment!.name}</dd>
              </Show>
            </dl>
            <h3>What happened</h3>
            <ul class="stack">
              <For each={d().events}>
                {(e) => (
                  <li>
                    <span class="muted nowrap">{formatDateTime(e.at)}</span> — {e.action}
                    {e.note ? `: ${e.note}` : ""}
                  </li>
                )}
              </For>
            </ul>
            <Show when={["received", "verifying", "in-progress"].includes(d().request.status) && d().request.kind !== "erasure"}>
              <div>
                <Button variant="danger-ghost" onClick={cancel}>
                  Withdraw this request
                </Button>
              </div>
            </Show>
          </div>
        )}
      </Show>
    </Modal>
  );
}

/** P21: every request and its deadline; the rectification form for data you cannot edit yourself. */
export function RequestsCard(props: { requests: DsrRequest[]; onChange: () => void }) {
  const [open, setOpen] = createSignal<string | null>(null);
  const [composing, setComposing] = createSignal(false);
  return (
    <Card
      id="requests"
      title="Your privacy requests"
      description="Everything you asked for and when we answer it. Each request is kept with its audit trail."
      flush
      actions={
        <Button icon="plus" onClick={() => setComposing(!composing())}>
          {composing() ? "Close" : "New request"}
        </Button>
      }
    >
      <Show when={composing()}>
        <div class="card-pad">
          <NewRequest
            onDone={() => {
              setComposing(false);
              props.onChange();
            }}
          />
        </div>
      </Show>
      <Table
        caption="Your privacy requests"
        rows={props.requests}
        rowKey={(r) => r.id}
        empty={
          <EmptyState icon="shield" title="No requests yet">
            Downloads, switches and deletions you make here are recorded as requests too.
          </EmptyState>
        }
        columns={[
          {
            header: "Request",
            cell: (r) => (
              <button type="button" class="link-button" onClick={() => setOpen(r.id)}>
                {kindLabel[r.kind] ?? r.kind}
              </button>
            ),
          },
          { header: "Law", cell: (r) => r.regime.toUpperCase(), class: "hide-sm" },
          { header: "Received", cell: (r) => <span class="nowrap">{formatDate(r.receivedAt)}</span> },
          { header: "Due", cell: (r) => <span class="nowrap">{r.completedAt ? "—" : formatDate(r.dueAt)}</span>, class: "hide-sm" },
          { header: "Status", cell: (r) => <Badge tone={r.overdue ? "danger" : statusTone(r.status)}>{r.overdue ? "overdue" : r.status}</Badge> },
        ]}
      />
      <RequestDetail id={open()} onClose={() => setOpen(null)} onChange={props.onChange} />
    </Card>
  );
}
