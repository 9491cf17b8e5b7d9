import { createResource, createSignal } from "solid-js";
import type { BodyOf } from "../../lib/api/client";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Badge, EmptyState } from "../../ui/Feedback";
import { Checkbox, FormError, SelectField, TextField } from "../../ui/Form";
import { Card } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, type Expense } from "./api";
import { formatMoney, isoDay, parseMoney } from "./money";

type Category = BodyOf<"/api/orgs/{orgId}/finance/expenses", "post">["category"];
const CATEGORIES: Category[] = ["advertising", "software", "travel", "meals", "equipment", "subcontractors", "stock media", "other"];

export default function ExpensesTab() {
  const [list, { refetch }] = createResource(() => session.org()?.id, () => financeApi.expenses());
  const [open, setOpen] = createSignal(false);
  const wsName = (id: string) => session.workspaces().find((w) => w.id === id)?.name ?? "Client";
  return (
    <Card
      title="Expenses"
      description="Costs incurred for clients; billable ones go onto the client's next invoice with their markup."
      actions={
        <Button variant="primary" icon="plus" onClick={() => setOpen(true)}>
          Add expense
        </Button>
      }
      flush
    >
      <Table<Expense>
        caption="Expenses"
        rows={list() ?? []}
        empty={<EmptyState icon="finance" title="No expenses yet">Add stock photos, ad spend or travel you will re-bill.</EmptyState>}
        columns={[
          { header: "Date", cell: (x) => x.date },
          { header: "Client", cell: (x) => wsName(x.workspaceId) },
          { header: "Vendor", cell: (x) => `${x.vendor} · ${x.category}` },
          { header: "Amount", class: "num", cell: (x) => formatMoney(x.amountMinor, x.currency) },
          { header: "Status", cell: (x) => (x.billed ? <Badge tone="success">Billed</Badge> : <Badge tone={x.billable ? "info" : "neutral"}>{x.billable ? "Billable" : "Non-billable"}</Badge>) },
          { header: "Receipt", cell: (x) => (x.hasReceipt ? <Badge tone="success">Receipt</Badge> : <span class="muted">None</span>) },
        ]}
      />
      <Modal open={open()} title="Add expense" onClose={() => setOpen(false)}>
        <ExpenseForm onDone={() => (setOpen(false), refetch())} />
      </Modal>
    </Card>
  );
}

function ExpenseForm(props: { onDone: () => void }) {
  const [ws, setWs] = createSignal(session.workspace()?.id ?? "");
  const [date, setDate] = createSignal(isoDay(new Date()));
  const [amount, setAmount] = createSignal("");
  const [currency, setCurrency] = createSignal("USD");
  const [category, setCategory] = createSignal<Category>("software");
  const [vendor, setVendor] = createSignal("");
  const [markup, setMarkup] = createSignal("0");
  const [billable, setBillable] = createSignal(true);
  const [file, setFile] = createSignal<File | null>(null);
  const { busy, error, fail, submit: onSubmit } = createSubmit({ show: "inline" });
  const submit = onSubmit(async () => {
    const amountMinor = parseMoney(amount(), currency());
    if (!amountMinor) return fail(`Enter an amount in ${currency()}`);
    const x = await financeApi.createExpense({ workspaceId: ws(), date: date(), amountMinor, currency: currency(), category: category(), vendor: vendor().trim(), billable: billable(), markupBp: Math.round(Number(markup() || 0) * 100) });
    if (file()) await financeApi.uploadReceipt(x.id, file()!);
    toast.success("Expense added");
    props.onDone();
  });
  return (
    <form class="form" onSubmit={submit} noValidate>
      <FormError error={error()} />
      <SelectField label="Client" value={ws()} options={session.workspaces().map((w) => ({ value: w.id, label: w.name }))} onValue={setWs} />
      <TextField label="Date" type="date" value={date()} onValue={setDate} />
      <div class="finance-row">
        <TextField label="Amount" inputMode="decimal" value={amount()} onValue={setAmount} placeholder="120.00" />
        <TextField label="Currency" value={currency()} onValue={(v) => setCurrency(v.toUpperCase())} maxLength={3} />
      </div>
      <SelectField label="Category" value={category()} options={CATEGORIES.map((c) => ({ value: c, label: c }))} onValue={(v) => setCategory(v as Category)} />
      <TextField label="Vendor" value={vendor()} onValue={setVendor} maxLength={200} />
      <TextField label="Markup (%)" inputMode="decimal" value={markup()} onValue={setMarkup} />
      <Checkbox label="Billable to the client" checked={billable()} onChange={setBillable} />
      <div class="field">
        <label class="field-label" for="receipt">Receipt (JPEG, PNG, WebP, HEIC or PDF, up to 900 KB)</label>
        <input id="receipt" type="file" accept="image/*,application/pdf" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </div>
      <div class="form-actions">
        <Button type="submit" variant="primary" loading={busy()}>
          Save expense
        </Button>
      </div>
    </form>
  );
}
