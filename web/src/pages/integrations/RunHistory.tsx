import { createResource, For, Match, Show, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { Alert, Badge, SkeletonRows } from "../../ui/Feedback";
import { Modal } from "../../ui/Modal";
import type { Integration, SyncRun } from "../../lib/api/integrations";

const fmt = new Intl.NumberFormat();
const reasonLabel: Record<SyncRun["reason"], string> = { initial: "First sync", manual: "Sync now", scheduled: "Scheduled" };

/** The sync history dialog; admins also see each failure's raw reason from the provider. */
export function RunHistory(props: { integration: Integration | null; onClose: () => void }) {
  const [runs] = createResource(
    () => props.integration?.id,
    (id) => api<{ runs: SyncRun[] }>(`/api/integrations/${id}/runs`, { query: { limit: 30 } }),
  );
  const tone = (s: SyncRun["status"]) => (s === "succeeded" ? "success" : s === "failed" ? "danger" : s === "running" ? "info" : "neutral");
  return (
    <Modal open={!!props.integration} title={`Sync history: ${props.integration?.name ?? ""}`} description={props.integration?.label} onClose={props.onClose}>
      <Switch>
        <Match when={runs.loading}>
          <SkeletonRows rows={3} cols={2} />
        </Match>
        <Match when={runs.error}>
          <Alert tone="danger">{errorMessage(runs.error)}</Alert>
        </Match>
        <Match when={runs()}>
          <div class="runs-list">
            <ul>
              <For each={runs()!.runs} fallback={<p class="muted">No syncs yet.</p>}>
                {(r) => (
                  <li>
                    <div class="run-head">
                      <strong>{formatDateTime(r.startedAt)}</strong>
                      <Badge tone={tone(r.status)}>{r.status}</Badge>
                    </div>
                    <span class="muted">
                      {reasonLabel[r.reason] ?? r.reason} · {fmt.format(r.rowsFetched)} rows fetched · {fmt.format(r.rowsWritten)} written · {r.pages} pages
                      {r.retries ? ` · ${r.retries} retries` : ""}
                      {r.durationMs !== null ? ` · ${(r.durationMs / 1000).toFixed(1)} s` : ""}
                    </span>
                    <Show when={r.error}>
                      <span class="integration-error">{r.error}</span>
                    </Show>
                    <Show when={r.errorDetail}>
                      <details class="run-detail">
                        <summary>What {props.integration?.name} answered</summary>
                        <code class="mono">{r.errorDetail}</code>
                      </details>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Match>
      </Switch>
    </Modal>
  );
}
