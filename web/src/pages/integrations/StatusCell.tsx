import { Match, Show, Switch } from "solid-js";
import { Badge } from "../../ui/Feedback";
import type { Integration } from "../../lib/api/integrations";

const fmt = new Intl.NumberFormat();
const dayFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

/** A connection that cannot renew itself (Meta) and ends within 7 days. */
function ReconnectWarning(props: { i: Integration }) {
  return (
    <Show when={props.i.reconnectBy}>
      <p class="integration-error" role="note">
        Reconnect before {dayFmt.format(new Date(props.i.reconnectBy!))}
      </p>
    </Show>
  );
}

/** An integration's state: live progress while it syncs, the sentence of what to do when it failed. */
export function StatusCell(props: { i: Integration }) {
  const run = () => props.i.progress;
  const pct = () => {
    const r = run();
    if (!r || !r.streamsTotal) return undefined;
    return Math.min(100, Math.round(((r.streamsDone + (r.pages > 0 ? 0.5 : 0)) / r.streamsTotal) * 100));
  };
  return (
    <Switch>
      <Match when={props.i.status === "syncing" && run()}>
        <div class="sync-progress" role="status" aria-label={`Syncing ${props.i.name}`}>
          <Badge tone="info" dot>
            Syncing
          </Badge>
          <progress max="100" value={pct()} aria-label="Sync progress" />
          <small>
            {run()!.stream ? `${run()!.stream} · ` : ""}
            {fmt.format(run()!.rowsWritten)} rows · {run()!.pages} pages
            {run()!.detail ? ` · ${run()!.detail}` : ""}
          </small>
        </div>
      </Match>
      <Match when={props.i.status === "needs_reconnect"}>
        <div>
          <Badge tone="warning">Needs reconnect</Badge>
          <p class="integration-error">{props.i.lastError}</p>
        </div>
      </Match>
      <Match when={props.i.status === "error"}>
        <div>
          <Badge tone="danger">Error</Badge>
          <p class="integration-error">{props.i.lastError}</p>
        </div>
      </Match>
      <Match when={props.i.queued}>
        <Badge tone="neutral" dot>
          Queued
        </Badge>
      </Match>
      <Match when={true}>
        <div>
          <Badge tone="success" dot>
            Active
          </Badge>
          <ReconnectWarning i={props.i} />
        </div>
      </Match>
    </Switch>
  );
}
