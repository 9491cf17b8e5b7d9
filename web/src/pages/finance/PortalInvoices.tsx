import { createResource } from "solid-js";
import { errorMessage } from "../../lib/api";
import { portalInvoicePdf, portalInvoices, type PortalInvoice as Row } from "../../lib/api/finance";
import { session } from "../../lib/session";
import { Badge, EmptyState } from "../../ui/Feedback";
import { Button } from "../../ui/Button";
import { Card, PageHeader } from "../../ui/Layout";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";
import { statusLabel, statusTone } from "./api";
import { formatMoney } from "./money";

/** The client portal: the invoices the agency issued to this workspace. */
export default function PortalInvoices() {
  const ws = () => session.workspace()?.id;
  const [list] = createResource(ws, (id) => portalInvoices(id));
  const open = async (r: Row) => {
    try {
      const blob = await (await portalInvoicePdf(ws()!, r.id)).blob();
      window.open(URL.createObjectURL(blob), "_blank");
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  return (
    <>
      <PageHeader title="Invoices" description={<>Invoices from your agency for <strong>{session.workspace()?.name}</strong>.</>} />
      <Card flush>
        <Table<Row>
          caption="Invoices"
          rows={list() ?? []}
          empty={<EmptyState icon="finance" title="No invoices yet" />}
          columns={[
            { header: "Number", cell: (r) => `${r.number}${r.kind === "credit_note" ? " (credit note)" : ""}` },
            { header: "Issued", cell: (r) => r.issueDate },
            { header: "Due", cell: (r) => r.dueDate },
            { header: "Total", class: "num", cell: (r) => formatMoney(r.totalMinor, r.currency) },
            { header: "Due now", class: "num", cell: (r) => formatMoney(r.amountDueMinor, r.currency) },
            { header: "Status", cell: (r) => <Badge tone={statusTone[r.status]}>{statusLabel(r.status)}</Badge> },
            { header: "PDF", actions: true, cell: (r) => <Button size="sm" variant="secondary" onClick={() => open(r)}>Open PDF {r.number}</Button> },
          ]}
        />
      </Card>
    </>
  );
}
