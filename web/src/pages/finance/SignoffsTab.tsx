import { createResource, createSignal, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { FormError, SelectField, TextArea, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { confirmDialog, Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, type Signoff } from "./api";
import { isoDay } from "./money";
import { h, SignoffEntries, signoffLabel, signoffTone } from "./signoff";

/** The agency asks clients to sign off hours and sees each request's answer. */
export default function SignoffsTab() {
  const [list, { refetch }] = createResource(() => session.org()?.id, () => financeApi.signoffs());
  const [asking, setAsking] = createSignal(false);
  const [showing, setShowing] = createSignal<string | null>(null);
  const [detail] = createResource(showing, (id) => financeApi.signoff(id));
  async function reopen(s: Signoff) {
    const ok = await confirmDialog({ title: s.status === "pending" ? "Withdraw this request?" : "Reopen these hours?", message: <>The {s.entryCount} entries of <strong>{s.workspaceName}</strong> can be edited again; the client is told.</>, confirmLabel: s.status === "pending" ? "Withdraw" : "Reopen" });
    if (!ok) return;
    try {
      await financeApi.reopenSignoff(s.id);
      toast.success("Hours reopened");
      refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Card
      title="Client sign-off"
      description="Ask a client to approve a period's hours in their portal. Hours awaiting or holding a sign-off are locked until you reopen them."
      actions={<Button variant="primary" icon="plus" onClick={() => setAsking(true)}>Request sign-off</Button>}
      flush
    >
      <Table<Signoff>
        caption="Sign-off requests"
        rows={list() ?? []}
        empty={<EmptyState icon="finance" title="No sign-off requests yet">Ask a client to approve last month's hours before you invoice them.</EmptyState>}
        columns={[
          { header: "Client", cell: (s) => (s.projectName ? `${s.workspaceName} · ${s.projectName}` : s.workspaceName) },
          { header: "Period", cell: (s) => `${s.from} – ${s.to}` },
          { header: "Hours", class: "num", cell: (s) => h(s.totalMinutes) },
          { header: "Status", cell: (s) => <Badge tone={signoffTone[s.status]}>{signoffLabel[s.status]}</Badge> },
          { header: "Answer", cell: (s) => (s.decidedByName ? `${s.decidedByName}${s.comment ? `: “${s.comment}”` : ""}` : <span class="muted">—</span>) },
          {
            header: "Actions",
            actions: true,
            cell: (s) => (
              <span class="finance-row-actions">
                <Button size="sm" variant="secondary" onClick={() => setShowing(s.id)} aria-label={`Entries of ${s.workspaceName} ${s.from} – ${s.to}`}>Entries</Button>
                <Show when={s.status === "pending" || s.status === "approved"}>
                  <Button size="sm" variant="ghost" onClick={() => reopen(s)}>{s.status === "pending" ? "Withdraw" : "Reopen"}</Button>
                </Show>
              </span>
            ),
          },
        ]}
      />
      <Modal open={asking()} title="Request sign-off" onClose={() => setAsking(false)}>
        <RequestForm onDone={() => (setAsking(false), refetch())} />
      </Modal>
      <Modal open={showing() !== null} title="Hours in this request" onClose={() => setShowing(null)}>
        <Show when={detail()}>{(d) => <SignoffEntries detail={d()} />}</Show>
      </Modal>
    </Card>
  );
}

function RequestForm(props: { onDone: () => void }) {
  const [projects] = createResource(() => session.org()?.id, () => financeApi.projects());
  const now = new Date();
  const [ws, setWs] = createSignal(session.workspace()?.id ?? session.workspaces()[0]?.id ?? "");
  const [project, setProject] = createSignal("");
  const [from, setFrom] = createSignal(isoDay(new Date(now.getFullYear(), now.getMonth() - 1, 1)));
  const [to, setTo] = createSignal(isoDay(new Date(now.getFullYear(), now.getMonth(), 0)));
  const [message, setMessage] = createSignal("");
  const { busy, error, submit: onSubmit } = createSubmit({ show: "inline" });
  const submit = onSubmit(async () => {
    const s = await financeApi.requestSignoff({ workspaceId: ws(), projectId: project() || null, from: from(), to: to(), ...(message().trim() ? { message: message().trim() } : {}) });
    toast.success(`Sign-off requested: ${s.entryCount} entries, ${h(s.totalMinutes)}`);
    props.onDone();
  });
  return (
    <form class="form" onSubmit={submit} noValidate>
      <FormError error={error()} />
      <SelectField label="Client" value={ws()} options={session.workspaces().map((w) => ({ value: w.id, label: w.name }))} onValue={(v) => (setWs(v), setProject(""))} />
      <SelectField label="Project" value={project()} options={[{ value: "", label: "All projects" }, ...(projects() ?? []).filter((p) => p.workspaceId === ws()).map((p) => ({ value: p.id, label: p.name }))]} onValue={setProject} />
      <div class="finance-row">
        <TextField label="From" type="date" value={from()} onValue={setFrom} />
        <TextField label="To" type="date" value={to()} onValue={setTo} />
      </div>
      <TextArea label="Message to the client" optional value={message()} onValue={setMessage} maxLength={2000} />
      <div class="form-actions">
        <Button type="submit" variant="primary" loading={busy()}>Send request</Button>
      </div>
    </form>
  );
}
