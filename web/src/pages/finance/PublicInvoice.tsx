import { useParams, useSearchParams } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { payPublicInvoice, publicInvoice } from "../../lib/api/finance";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { statusLabel, statusTone } from "./api";
import { formatMoney } from "./money";
import "./finance.css";

/** What a client sees behind the emailed link: the invoice and its PDF, nothing else. */
export default function PublicInvoicePage() {
  const params = useParams();
  const [search] = useSearchParams();
  const pay = async () => {
    try {
      window.location.assign((await payPublicInvoice(params.token!)).url);
    } catch (e) {
      alert(errorMessage(e));
    }
  };
  const [inv] = createResource(() => params.token, (t) => publicInvoice(t));
  return (
    <main class="public-invoice" style={{ "max-width": "820px", margin: "40px auto", padding: "0 16px" }}>
      <Show when={!inv.error} fallback={<Alert tone="danger" title="This link does not work">{errorMessage(inv.error)}. Ask the sender for a new link.</Alert>}>
        <Show when={inv()} fallback={<Loading label="Loading invoice…" />}>
          {(i) => (
            <div class="card">
              <div class="card-body">
                <p class="muted">{i().from.name ?? "Your agency"}</p>
                <h1>
                  {i().kind === "credit_note" ? "Credit note" : "Invoice"} {i().number} <Badge tone={statusTone[i().status]}>{statusLabel(i().status)}</Badge>
                </h1>
                <p>
                  For {i().billTo.name} · issued {i().issueDate} · due {i().dueDate}
                </p>
                <table class="table">
                  <thead>
                    <tr><th scope="col">Description</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Unit price</th><th scope="col" class="num">Amount</th></tr>
                  </thead>
                  <tbody>
                    <For each={i().lines}>{(l) => <tr><td>{l.description}</td><td class="num">{l.quantity}</td><td class="num">{formatMoney(l.unitPriceMinor, i().currency)}</td><td class="num">{formatMoney(l.totalMinor, i().currency)}</td></tr>}</For>
                  </tbody>
                </table>
                <p class="num">Tax {formatMoney(i().taxMinor, i().currency)} · <strong>Total {formatMoney(i().totalMinor, i().currency)}</strong> · Due now {formatMoney(i().amountDueMinor, i().currency)}</p>
                <p>{i().notes}</p>
                <Show when={search.paid}>
                  <Alert tone="success">Thank you: your payment is being confirmed by Stripe.</Alert>
                </Show>
                <p class="finance-row-actions">
                  <a class="btn btn-secondary btn-md" href={`/api/invoice-links/${encodeURIComponent(params.token!)}/pdf`}>Download PDF</a>
                  <Show when={i().payOnline && !search.paid}>
                    <button type="button" class="btn btn-primary btn-md" onClick={pay}>
                      Pay {formatMoney(i().amountDueMinor, i().currency)} online
                    </button>
                  </Show>
                </p>
              </div>
            </div>
          )}
        </Show>
      </Show>
    </main>
  );
}
