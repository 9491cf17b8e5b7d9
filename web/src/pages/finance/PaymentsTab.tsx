import { createResource, createSignal, Show } from "solid-js";
import { Button } from "../../ui/Button";
import { TextField } from "../../ui/Form";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";
import { session } from "../../lib/session";
import { EmptyState } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { Table } from "../../ui/Table";
import { financeApi, type Payment } from "./api";
import { formatMoney } from "./money";

export default function PaymentsTab() {
  const [list] = createResource(() => session.org()?.id, () => financeApi.payments());
  return (
    <>
    <OnlinePayments />
    <Card title="Payments received" flush>
      <Table<Payment>
        caption="Payments"
        rows={list() ?? []}
        empty={<EmptyState icon="finance" title="No payments yet">Record a payment from an invoice.</EmptyState>}
        columns={[
          { header: "Date", cell: (p) => p.date },
          { header: "Invoice", cell: (p) => <a href={`/finance/invoices/${p.invoiceId}`}>{p.invoiceNumber}</a> },
          { header: "Method", cell: (p) => p.method },
          { header: "Reference", cell: (p) => p.reference || "—" },
          { header: "Amount", class: "num", cell: (p) => formatMoney(p.amountMinor, p.currency) },
        ]}
      />
    </Card>
    </>
  );
}


/** The agency's own Stripe account, so clients can pay invoices online from their link. */
function OnlinePayments() {
  const [status, { mutate }] = createResource(() => session.org()?.id, () => financeApi.stripe());
  const [key, setKey] = createSignal("");
  const { busy, run } = createSubmit();
  const connect = () =>
    run(async () => {
      mutate(await financeApi.connectStripe(key().trim()));
      setKey("");
      toast.success("Stripe connected: invoices can be paid online");
    });
  return (
    <Card title="Online payments" description="Clients pay from the invoice link through Stripe Checkout on your own Stripe account; a payment counts once Stripe's signed webhook confirms it.">
      <Show when={status()?.connected} fallback={
        <div class="finance-row">
          <TextField label="Stripe secret key" type="password" autocomplete="off" value={key()} onValue={setKey} placeholder="sk_live_…" hint="Stored encrypted; never shown again." />
          <Button variant="primary" loading={busy()} onClick={connect}>Connect Stripe</Button>
        </div>
      }>
        <p>Connected ({status()!.hint}).</p>
      </Show>
    </Card>
  );
}
