import { createResource } from "solid-js";
import { session } from "../../lib/session";
import { EmptyState } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { Table } from "../../ui/Table";
import { financeApi, type Payment } from "./api";
import { formatMoney } from "./money";

export default function PaymentsTab() {
  const [list] = createResource(() => session.org()?.id, () => financeApi.payments());
  return (
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
  );
}
