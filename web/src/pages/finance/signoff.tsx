import { For, Show } from "solid-js";
import { Badge } from "../../ui/Feedback";
import { Table } from "../../ui/Table";
import type { SignoffDetail } from "./api";

export const signoffTone = { pending: "warning", approved: "success", disputed: "danger", reopened: "neutral" } as const;
export const signoffLabel = { pending: "awaiting client", approved: "approved", disputed: "disputed", reopened: "reopened" } as const;
export const h = (minutes: number) => `${Math.round((minutes / 60) * 100) / 100} h`;
type Entry = SignoffDetail["entries"][number];

/** The totals and entries of a sign-off request, as the agency and the client both see them. */
export function SignoffEntries(props: { detail: SignoffDetail }) {
  return (
    <>
      <dl class="signoff-totals">
        <div><dt>Total</dt><dd data-testid="signoff-total">{h(props.detail.totalMinutes)}</dd></div>
        <div><dt>Billable</dt><dd>{h(props.detail.billableMinutes)}</dd></div>
        <div><dt>Entries</dt><dd>{props.detail.entryCount}</dd></div>
        <For each={props.detail.byProject}>{(p) => <div><dt>{p.project}</dt><dd>{h(p.minutes)}</dd></div>}</For>
      </dl>
      <Show when={props.detail.comment}>
        <p><strong>Client's comment:</strong> {props.detail.comment}</p>
      </Show>
      <Table<Entry>
        caption="Entries to sign off"
        rows={props.detail.entries}
        columns={[
          { header: "Date", cell: (e) => e.date },
          { header: "Person", cell: (e) => e.person ?? "Former team member" },
          { header: "Project", cell: (e) => e.project ?? "General" },
          { header: "Notes", cell: (e) => e.notes || "—" },
          { header: "Hours", class: "num", cell: (e) => h(e.minutes) },
          { header: "Billable", cell: (e) => (e.billable ? <Badge tone="info">Billable</Badge> : <span class="muted">No</span>) },
        ]}
      />
    </>
  );
}
