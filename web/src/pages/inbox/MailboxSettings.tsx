import { useSearchParams } from "@solidjs/router";
import { createResource, For, onCleanup, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import { connectGmail, disconnectMailbox, listMailboxes, syncMailbox, type Mailbox } from "../../lib/api/inbox";
import "./inbox.css";

const POLL_MS = 2000;

export default function MailboxSettings() {
  const [params] = useSearchParams();
  const ws = () => session.workspace();
  const [boxes, { refetch }] = createResource(() => ws()?.id, (id) => listMailboxes(id));
  const timer = setInterval(() => {
    if (boxes()?.mailboxes.some((m) => m.sync.phase !== "idle")) void refetch();
  }, POLL_MS);
  onCleanup(() => clearInterval(timer));
  const connect = async () => {
    try {
      const r = await connectGmail(ws()!.id);
      window.location.assign(r.authorizeUrl);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const disconnect = async (m: Mailbox) => {
    const ok = await confirmDialog({ title: `Disconnect ${m.address}?`, message: "QWEB stops reading this mailbox now and deletes its access at once. Its synced email is deleted within 30 days.", confirmLabel: "Disconnect", danger: true });
    if (!ok) return;
    try {
      await disconnectMailbox(m.id);
      toast.success("Mailbox disconnected");
      void refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  const syncNow = async (m: Mailbox) => {
    try {
      await syncMailbox(m.id);
      void refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  return (
    <>
      <PageHeader title="Mailboxes" description={`Email accounts of ${ws()?.name ?? "this workspace"} shown in the team inbox.`} actions={<Button variant="primary" icon="plug" onClick={connect} disabled={!session.can.adminWorkspace(ws()?.role)}>Connect Gmail</Button>} />
      <Show when={params.error}>
        <Alert tone="danger">{String(params.error)}</Alert>
      </Show>
      <Show when={params.connected}>
        <Alert tone="success">Gmail connected. The first sync brings the last 90 days of mail.</Alert>
      </Show>
      <Card title="Connected mailboxes">
        <Show when={boxes()?.mailboxes.length} fallback={<EmptyState icon="inbox" title="No mailbox yet">Connect a Gmail account to see its mail in the inbox.</EmptyState>}>
          <ul class="mailbox-list">
            <For each={boxes()!.mailboxes}>
              {(m) => (
                <li>
                  <div>
                    <strong>{m.address}</strong> <small>Gmail</small>
                    <div>
                      <Show when={m.status === "active"} fallback={<Badge tone="warning">{m.status === "needs_reconnect" ? "Needs reconnect" : m.status}</Badge>}>
                        <Show when={m.sync.phase === "idle"} fallback={<Badge tone="info" dot>{m.sync.phase === "waiting" ? "Waiting (rate limit)" : `Syncing · ${m.sync.fetched}${m.sync.estimate ? ` of ${m.sync.estimate}` : ""} messages`}</Badge>}>
                          <Badge tone="success">Up to date</Badge>
                        </Show>
                      </Show>{" "}
                      <small>{m.messagesSynced} messages · last sync {formatDateTime(m.lastSyncAt)}</small>
                    </div>
                    <Show when={m.lastError}>
                      <small class="integration-error">{m.lastError}</small>
                    </Show>
                  </div>
                  <div class="inbox-actions">
                    <Button size="sm" variant="secondary" onClick={() => syncNow(m)}>Sync now</Button>
                    <Show when={session.can.adminWorkspace(ws()?.role)}>
                      <Button size="sm" variant="danger-ghost" onClick={() => disconnect(m)}>Disconnect</Button>
                    </Show>
                  </div>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Card>
    </>
  );
}
