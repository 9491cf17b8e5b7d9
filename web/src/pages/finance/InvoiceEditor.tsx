import { useParams } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { BodyOf } from "../../lib/api/client";

type Method = BodyOf<"/api/orgs/{orgId}/finance/invoices/{invoiceId}/payments", "post">["method"];
import { Button, LinkButton } from "../../ui/Button";
import { Badge, Loading } from "../../ui/Feedback";
import { FormError, SelectField, TextArea, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { financeApi, statusLabel, statusTone, type Invoice } from "./api";
import { formatMoney, isoDay, lineTotal, parseMoney, toDecimal } from "./money";
import "./finance.css";

type Row = { id?: string; description: string; quantity: string; price: string; discount: string; tax: string; taxName: string };

const toRows = (inv: Invoice): Row[] =>
  (inv.lines ?? []).map((l) => ({
    id: l.id,
    description: l.description,
    quantity: String(l.quantity),
    price: toDecimal(l.unitPriceMinor, inv.currency),
    discount: String(l.discountBp / 100),
    tax: String(l.taxRates.reduce((s, t) => s + t.bp, 0) / 100),
    taxName: l.taxRates[0]?.name ?? "Tax",
  }));

export default function InvoiceEditor() {
  const params = useParams();
  const [inv, { mutate }] = createResource(() => params.invoiceId, (id) => financeApi.invoice(id));
  return (
    <Show when={inv()} fallback={<Loading label="Loading invoice…" />}>
      {(i) => <Editor invoice={i()} onChange={(next) => mutate(next)} />}
    </Show>
  );
}

function Editor(props: { invoice: Invoice; onChange: (i: Invoice) => void }) {
  const inv = () => props.invoice;
  const draft = () => inv().status === "draft";
  const [rows, setRows] = createStore<Row[]>(toRows(inv()));
  const [billTo, setBillTo] = createSignal(inv().billTo.name);
  const [email, setEmail] = createSignal(inv().billTo.email ?? "");
  const [notes, setNotes] = createSignal(inv().notes);
  const [dueDate, setDueDate] = createSignal(inv().dueDate);
  const [pdf, setPdf] = createSignal<string | null>(null);
  const { busy, run: start } = createSubmit();
  const [payOpen, setPayOpen] = createSignal(false);
  onCleanup(() => pdf() && URL.revokeObjectURL(pdf()!));
  const cur = () => inv().currency;
  const num = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : 0);
  const amounts = () => rows.map((r) => lineTotal({ quantity: num(r.quantity), unitPriceMinor: parseMoney(r.price, cur()) ?? 0, discountBp: Math.round(num(r.discount) * 100), taxBp: Math.round(num(r.tax) * 100) }));
  const totals = () => amounts().reduce((s, a) => ({ net: s.net + a.net, tax: s.tax + a.tax, total: s.total + a.total }), { net: 0, tax: 0, total: 0 });

  const run = <T,>(fn: () => Promise<T>, done?: string) =>
    start(async () => {
      const out = await fn();
      if (done) toast.success(done);
      return out;
    });
  const saveDraft = async () => {
    const lines = rows.map((r, i) => {
      const price = parseMoney(r.price, cur());
      if (price === null) throw new Error(`Line ${i + 1}: the price is not an amount in ${cur()}`);
      const bp = Math.round(num(r.tax) * 100);
      return { id: r.id, description: r.description.trim() || "Item", quantity: num(r.quantity), unitPriceMinor: price, discountBp: Math.round(num(r.discount) * 100), taxRates: bp ? [{ name: r.taxName || "Tax", bp }] : [] };
    });
    const next = await financeApi.updateInvoice(inv().id, { lines, notes: notes(), dueDate: dueDate(), billTo: { name: billTo().trim() || "Client", ...(email().trim() ? { email: email().trim() } : {}) } });
    props.onChange(next);
    setRows(toRows(next));
    return next;
  };
  const save = () => run(saveDraft, "Draft saved");
  // Preview and send show the saved draft: a draft that fails to save stops them.
  const saveFirst = async () => {
    if (!draft()) return;
    await saveDraft();
    toast.success("Draft saved");
  };
  const preview = () =>
    run(async () => {
      await saveFirst();
      if (pdf()) URL.revokeObjectURL(pdf()!);
      setPdf(await financeApi.pdfUrl(inv().id));
    });
  const send = () =>
    run(async () => {
      await saveFirst();
      props.onChange(await financeApi.send(inv().id, email().trim() || undefined));
    }, "Invoice sent");
  const voidIt = () => run(async () => props.onChange(await financeApi.void(inv().id)), "Invoice voided");

  return (
    <>
      <PageHeader
        eyebrow={<a href="/finance?tab=invoices">Invoices</a>}
        title={`${inv().kind === "credit_note" ? "Credit note" : "Invoice"} ${inv().number}`}
        description={<Badge tone={statusTone[inv().status]}>{statusLabel(inv().status)}</Badge>}
        actions={
          <div class="finance-row-actions">
            <Button variant="secondary" icon="eye" loading={busy()} onClick={preview}>
              Preview PDF
            </Button>
            <Show when={draft()}>
              <Button variant="secondary" loading={busy()} onClick={save}>
                Save draft
              </Button>
            </Show>
            <Show when={inv().status !== "void" && inv().status !== "paid"}>
              <Button variant="primary" icon="send" loading={busy()} onClick={send}>
                {draft() ? "Send" : "Send again"}
              </Button>
            </Show>
            <Show when={["sent", "viewed", "partially_paid", "overdue"].includes(inv().status) && inv().kind === "invoice"}>
              <Button variant="primary" onClick={() => setPayOpen(true)}>
                Record payment
              </Button>
            </Show>
            <Show when={inv().status !== "void" && inv().paidMinor === 0}>
              <Button variant="danger-ghost" onClick={voidIt}>
                Void
              </Button>
            </Show>
          </div>
        }
      />
      <Card title="Bill to">
        <div class="finance-row">
          <TextField label="Client name" value={billTo()} onValue={setBillTo} disabled={!draft()} />
          <TextField label="Email" type="email" value={email()} onValue={setEmail} />
          <TextField label="Due date" type="date" value={dueDate()} onValue={setDueDate} disabled={!draft()} min={inv().issueDate} />
        </div>
      </Card>
      <Card title="Lines" description="Rounded per line to the currency's smallest unit; the total is the sum of the lines." flush>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Invoice lines">
          <table class="table invoice-lines">
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" class="num">Qty</th>
                <th scope="col" class="num">Unit price ({cur()})</th>
                <th scope="col" class="num">Discount %</th>
                <th scope="col" class="num">Tax %</th>
                <th scope="col" class="num">Amount</th>
                <th scope="col" class="col-actions"><span class="sr-only">Remove</span></th>
              </tr>
            </thead>
            <tbody>
              <For each={rows}>
                {(r, i) => (
                  <tr>
                    <td><input class="input" aria-label={`Line ${i() + 1} description`} value={r.description} disabled={!draft()} onInput={(e) => setRows(i(), "description", e.currentTarget.value)} /></td>
                    <td><input class="input num" aria-label={`Line ${i() + 1} quantity`} inputMode="decimal" value={r.quantity} disabled={!draft()} onInput={(e) => setRows(i(), "quantity", e.currentTarget.value)} /></td>
                    <td><input class="input num" aria-label={`Line ${i() + 1} unit price`} inputMode="decimal" value={r.price} disabled={!draft()} onInput={(e) => setRows(i(), "price", e.currentTarget.value)} /></td>
                    <td><input class="input num" aria-label={`Line ${i() + 1} discount percent`} inputMode="decimal" value={r.discount} disabled={!draft()} onInput={(e) => setRows(i(), "discount", e.currentTarget.value)} /></td>
                    <td><input class="input num" aria-label={`Line ${i() + 1} tax percent`} inputMode="decimal" value={r.tax} disabled={!draft()} onInput={(e) => setRows(i(), "tax", e.currentTarget.value)} /></td>
                    <td class="num">{formatMoney(amounts()[i()]?.total ?? 0, cur())}</td>
                    <td class="col-actions">
                      <Show when={draft()}>
                        <Button size="sm" variant="danger-ghost" icon="trash" aria-label={`Remove line ${i() + 1}`} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i()))} />
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <div class="invoice-foot">
          <Show when={draft()}>
            <Button size="sm" variant="ghost" icon="plus" onClick={() => setRows(rows.length, { description: "", quantity: "1", price: "0", discount: "0", tax: "0", taxName: "Tax" })}>
              Add line
            </Button>
          </Show>
          <dl class="invoice-totals" data-testid="invoice-totals">
            <dt>Net</dt>
            <dd>{formatMoney(totals().net, cur())}</dd>
            <dt>Tax</dt>
            <dd>{formatMoney(totals().tax, cur())}</dd>
            <dt>Total</dt>
            <dd><strong data-testid="invoice-total">{formatMoney(totals().total, cur())}</strong></dd>
            <Show when={!draft()}>
              <dt>Due now</dt>
              <dd data-testid="amount-due">{formatMoney(inv().amountDueMinor, cur())}</dd>
            </Show>
          </dl>
        </div>
      </Card>
      <Card title="Notes">
        <TextArea label="Notes on the invoice" value={notes()} onValue={setNotes} rows={3} disabled={!draft()} maxLength={4000} />
      </Card>
      <Show when={pdf()}>
        <Card title="PDF preview" actions={<LinkButton href={pdf()!} size="sm" icon="external">Open</LinkButton>}>
          <iframe class="pdf-frame" title={`PDF of ${inv().number}`} src={pdf()!} />
        </Card>
      </Show>
      <Modal open={payOpen()} title={`Record a payment on ${inv().number}`} onClose={() => setPayOpen(false)}>
        <PaymentForm invoice={inv()} onDone={(next) => (props.onChange(next), setPayOpen(false))} />
      </Modal>
    </>
  );
}

function PaymentForm(props: { invoice: Invoice; onDone: (i: Invoice) => void }) {
  const [amount, setAmount] = createSignal(toDecimal(props.invoice.amountDueMinor, props.invoice.currency));
  const [date, setDate] = createSignal(isoDay(new Date()));
  const [method, setMethod] = createSignal<Method>("bank transfer");
  const [reference, setReference] = createSignal("");
  const { busy, error, fail, submit: onSubmit } = createSubmit({ show: "inline" });
  const submit = onSubmit(async () => {
    const amountMinor = parseMoney(amount(), props.invoice.currency);
    if (!amountMinor) return fail("Enter the amount received");
    const res = await financeApi.pay(props.invoice.id, { amountMinor, date: date(), method: method(), reference: reference().trim() });
    toast.success("Payment recorded");
    props.onDone(res.invoice);
  });
  return (
    <form class="form" onSubmit={submit} noValidate>
      <FormError error={error()} />
      <TextField label={`Amount (${props.invoice.currency})`} inputMode="decimal" value={amount()} onValue={setAmount} />
      <TextField label="Date received" type="date" value={date()} onValue={setDate} />
      <SelectField label="Method" value={method()} options={["bank transfer", "card", "cash", "cheque", "other"].map((m) => ({ value: m, label: m }))} onValue={setMethod} />
      <TextField label="Reference" value={reference()} onValue={setReference} optional maxLength={200} />
      <div class="form-actions">
        <Button type="submit" variant="primary" loading={busy()}>
          Record payment
        </Button>
      </div>
    </form>
  );
}
