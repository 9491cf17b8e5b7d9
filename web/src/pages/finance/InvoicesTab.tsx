import { useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { FormError, SelectField, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, statusLabel, statusTone, type Invoice, type Preview } from "./api";
import { formatMoney, isoDay } from "./money";

export default function InvoicesTab() {
  const navigate = useNavigate();
  const [list] = createResource(() => session.org()?.id, () => financeApi.invoices());
  const [open, setOpen] = createSignal(false);
  const wsName = (id: string) => session.workspaces().find((w) => w.id === id)?.name ?? "Client";
  async function blank() {
    const ws = session.workspace()?.id;
    if (!ws) return toast.error("Create a client workspace first");
    try {
      navigate(`/finance/invoices/${(await financeApi.createInvoice({ workspaceId: ws })).id}`);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }
  return (
    <Card
      title="Invoices"
      actions={
        <div class="finance-row-actions">
          <Button variant="secondary" icon="plus" onClick={blank}>
            Blank invoice
          </Button>
          <Button variant="primary" icon="sparkles" onClick={() => setOpen(true)}>
            Invoice unbilled work
          </Button>
        </div>
      }
      flush
    >
      <Table<Invoice>
        caption="Invoices"
        rows={list() ?? []}
        rowKey={(i) => i.id}
        empty={<EmptyState icon="finance" title="No invoices yet">Turn a client's unbilled time and expenses into a draft in one step.</EmptyState>}
        columns={[
          { header: "Number", cell: (i) => <a href={`/finance/invoices/${i.id}`}>{i.number}</a> },
          { header: "Client", cell: (i) => `${wsName(i.workspaceId)}${i.kind === "credit_note" ? " (credit note)" : ""}` },
          { header: "Issued", cell: (i) => i.issueDate },
          { header: "Due", cell: (i) => i.dueDate },
          { header: "Total", class: "num", cell: (i) => formatMoney(i.totalMinor, i.currency) },
          { header: "Due now", class: "num", cell: (i) => formatMoney(i.amountDueMinor, i.currency) },
          { header: "Status", cell: (i) => <Badge tone={statusTone[i.status]}>{statusLabel(i.status)}</Badge> },
        ]}
      />
      <Modal open={open()} title="Invoice unbilled work" description="Pick a client and a period, review the lines, create the draft." onClose={() => setOpen(false)}>
        <FromUnbilled onCreated={(inv) => navigate(`/finance/invoices/${inv.id}`)} />
      </Modal>
    </Card>
  );
}

function FromUnbilled(props: { onCreated: (i: Invoice) => void }) {
  const today = new Date();
  const [ws, setWs] = createSignal(session.workspace()?.id ?? "");
  const [from, setFrom] = createSignal(isoDay(new Date(today.getFullYear(), today.getMonth(), 1)));
  const [to, setTo] = createSignal(isoDay(new Date(today.getFullYear(), today.getMonth() + 1, 0)));
  const [groupBy, setGroupBy] = createSignal<"project" | "person" | "entry">("project");
  const [preview, setPreview] = createSignal<Preview | null>(null);
  const { busy, error, run } = createSubmit({ show: "inline" });
  const q = () => ({ workspaceId: ws(), from: from(), to: to(), groupBy: groupBy() });
  const review = () => run(async () => setPreview(await financeApi.preview(q())), "review");
  const create = () =>
    run(async () => {
      const inv = await financeApi.fromUnbilled(q());
      toast.success(`Draft ${inv.number} created`);
      props.onCreated(inv);
    }, "create");
  return (
    <div class="form">
      <FormError error={error()} />
      <SelectField label="Client" value={ws()} options={session.workspaces().map((w) => ({ value: w.id, label: w.name }))} onValue={(v) => (setWs(v), setPreview(null))} />
      <div class="finance-row">
        <TextField label="From" type="date" value={from()} onValue={(v) => (setFrom(v), setPreview(null))} />
        <TextField label="To" type="date" value={to()} onValue={(v) => (setTo(v), setPreview(null))} />
      </div>
      <SelectField label="Group lines by" value={groupBy()} options={[{ value: "project", label: "Project" }, { value: "person", label: "Person" }, { value: "entry", label: "Entry" }]} onValue={(v) => (setGroupBy(v as "project" | "person" | "entry"), setPreview(null))} />
      <Show when={preview()}>
        {(p) => (
          <div class="unbilled-preview" aria-live="polite">
            <p>
              {p().entryCount} time entries and {p().expenseCount} expenses:
            </p>
            <ul>
              <For each={p().lines}>{(l) => <li>{l.description} · {l.quantity} × {formatMoney(l.unitPriceMinor, p().currency)} = <strong>{formatMoney(l.totalMinor, p().currency)}</strong></li>}</For>
            </ul>
            <p>
              Total before tax: <strong>{formatMoney(p().totals.totalMinor, p().currency)}</strong>
            </p>
          </div>
        )}
      </Show>
      <div class="form-actions">
        <Button variant="secondary" onClick={review}>
          Review lines
        </Button>
        <Button variant="primary" loading={busy("create")} disabled={!preview() || (preview()!.entryCount + preview()!.expenseCount === 0)} onClick={create}>
          Create draft
        </Button>
      </div>
    </div>
  );
}
