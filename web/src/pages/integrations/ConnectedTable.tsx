import { Show } from "solid-js";
import { formatDateTime, timeAgo } from "../../lib/format";
import { Button } from "../../ui/Button";
import { EmptyState } from "../../ui/Feedback";
import { Table } from "../../ui/Table";
import { StatusCell } from "./StatusCell";
import type { Integration } from "../../lib/api/integrations";

const fmt = new Intl.NumberFormat();
type Act = (i: Integration) => void;

/** The workspace's connected accounts with their state and the actions the caller's role allows. */
export function ConnectedTable(props: {
  integrations: Integration[];
  canAdmin: boolean;
  canSync: boolean;
  onHistory: Act;
  onSync: Act;
  onReconnect: Act;
  onDisconnect: Act;
}) {
  return (
    <Table
      caption="Connected integrations"
      rows={props.integrations}
      rowKey={(i) => i.id}
      empty={
        <EmptyState icon="plug" title="Nothing connected yet">
          {props.canAdmin ? "Connect a shop, analytics or email tool below." : "An admin of this workspace can connect its accounts."}
        </EmptyState>
      }
      columns={[
        {
          header: "Account",
          cell: (i) => (
            <div class="cell-main">
              <span class="cell-title">{i.name}</span>
              <span class="cell-sub">{i.label}</span>
            </div>
          ),
        },
        { header: "Status", cell: (i) => <StatusCell i={i} /> },
        { header: "Last sync", cell: (i) => <span class="nowrap muted" title={formatDateTime(i.lastSyncAt)}>{timeAgo(i.lastSyncAt)}</span> },
        { header: "Rows", cell: (i) => <span class="nowrap">{fmt.format(i.rowsSynced)}</span> },
        {
          header: "Actions",
          actions: true,
          cell: (i) => (
            <div class="row-actions">
              <Button size="sm" variant="ghost" onClick={() => props.onHistory(i)} aria-label={`History of ${i.name} syncs`}>
                History
              </Button>
              <Show when={props.canSync && i.status !== "needs_reconnect"}>
                <Button size="sm" variant="ghost" icon="refresh" onClick={() => props.onSync(i)} disabled={i.status === "syncing"} aria-label={`Sync now: ${i.name}`}>
                  Sync now
                </Button>
              </Show>
              <Show when={props.canAdmin && i.status === "needs_reconnect"}>
                <Button size="sm" variant="primary" onClick={() => props.onReconnect(i)}>
                  Reconnect
                </Button>
              </Show>
              <Show when={props.canAdmin}>
                <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => props.onDisconnect(i)} aria-label={`Disconnect ${i.name}`}>
                  Disconnect
                </Button>
              </Show>
            </div>
          ),
        },
      ]}
    />
  );
}
