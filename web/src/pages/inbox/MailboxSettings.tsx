import { useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { createForm, FormError, TextField } from "../../ui/Form";
import { confirmDialog, Modal } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import { connectComments } from "../../lib/api/inbox-comments";
import { connectGmail, connectIcloud, connectOutlook, disconnectMailbox, listMailboxes, syncMailbox, type Mailbox } from "../../lib/api/inbox";
import "./inbox.css";

const POLL_MS = 2000;
const PROVIDER: Record<string, string> = { gmail: "Gmail", outlook: "Outlook", icloud: "iCloud Mail" };
const APP_PASSWORD = /^[a-z]{4}-?[a-z]{4}-?[a-z]{4}-?[a-z]{4}$/i;

/** iCloud has no OAuth: the Apple ID's address and an app-specific password, checked by a real IMAP login. */
function IcloudDialog(props: { open: boolean; workspaceId: string; onClose: () => void; onConnected: () => void }) {
  const form = createForm({
    initial: { address: "", appPassword: "" },
    validate: (v) => ({
      address: /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.address.trim()) ? undefined : "Enter the iCloud email address",
      appPassword: APP_PASSWORD.test(v.appPassword.trim()) ? undefined : "An app-specific password looks like xxxx-xxxx-xxxx-xxxx",
    }),
  });
  const save = form.submit(async (v) => {
    await connectIcloud(props.workspaceId, { address: v.address.trim(), appPassword: v.appPassword.trim() });
    form.reset();
    toast.success("iCloud Mail connected");
    props.onConnected();
  });
  return (
    <Modal open={props.open} title="Connect iCloud Mail" onClose={props.onClose} description={<>Create an app-specific password at appleid.apple.com (Sign-In and Security → App-Specific Passwords) and paste it here. QWEB keeps it encrypted and never shows it again.</>}>
      <form onSubmit={save} novalidate>
        <TextField label="iCloud email address" name="address" type="email" autocomplete="email" value={form.values.address} error={form.errors.address} onValue={(v) => form.set("address", v)} />
        <TextField label="App-specific password" name="appPassword" type="password" autocomplete="off" placeholder="xxxx-xxxx-xxxx-xxxx" value={form.values.appPassword} error={form.errors.appPassword} onValue={(v) => form.set("appPassword", v)} />
        <FormError error={form.errors.form} />
        <div class="inbox-actions">
          <Button type="submit" variant="primary" loading={form.submitting()}>Connect</Button>
          <Button type="button" variant="secondary" onClick={props.onClose}>Cancel</Button>
        </div>
      </form>
    </Modal>
  );
}

export default function MailboxSettings() {
  const [params] = useSearchParams();
  const ws = () => session.workspace();
  const [boxes, { refetch }] = createResource(() => ws()?.id, (id) => listMailboxes(id));
  const timer = setInterval(() => {
    if (boxes()?.mailboxes.some((m) => m.sync.phase !== "idle")) void refetch();
  }, POLL_MS);
  onCleanup(() => clearInterval(timer));
  const [icloudOpen, setIcloudOpen] = createSignal(false);
  const connect = async (provider: "gmail" | "outlook") => {
    try {
      const r = provider === "outlook" ? await connectOutlook(ws()!.id) : await connectGmail(ws()!.id);
      window.location.assign(r.authorizeUrl);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  };
  /** Comments of the workspace's connected Pages and IG accounts (through its Meta connection). */
  const bringComments = async () => {
    try {
      const r = await connectComments(ws()!.id);
      toast.success(`Comments of ${r.mailboxes.map((m) => m.address).join(", ")} now come into the inbox`);
      void refetch();
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
      <PageHeader
        title="Mailboxes"
        description={`Email accounts of ${ws()?.name ?? "this workspace"} shown in the team inbox.`}
        actions={
          <div class="inbox-actions">
            <Button variant="primary" icon="plug" onClick={() => connect("gmail")} disabled={!session.can.adminWorkspace(ws()?.role)}>Connect Gmail</Button>
            <Button variant="secondary" icon="plug" onClick={() => connect("outlook")} disabled={!session.can.adminWorkspace(ws()?.role)}>Connect Outlook</Button>
            <Button variant="secondary" icon="plug" onClick={() => setIcloudOpen(true)} disabled={!session.can.adminWorkspace(ws()?.role)}>Connect iCloud</Button>
            <Button variant="secondary" icon="facebook" onClick={() => void bringComments()} disabled={!session.can.adminWorkspace(ws()?.role)}>Facebook & Instagram comments</Button>
          </div>
        }
      />
      <Show when={ws()}>
        <IcloudDialog open={icloudOpen()} workspaceId={ws()!.id} onClose={() => setIcloudOpen(false)} onConnected={() => { setIcloudOpen(false); void refetch(); }} />
      </Show>
      <Show when={params.error}>
        <Alert tone="danger">{String(params.error)}</Alert>
      </Show>
      <Show when={params.connected}>
        <Alert tone="success">{PROVIDER[String(params.connected)] ?? "Mailbox"} connected. The first sync brings the last 90 days of mail.</Alert>
      </Show>
      <Card title="Connected mailboxes">
        <Show when={boxes()?.mailboxes.length} fallback={<EmptyState icon="inbox" title="No mailbox yet">Connect a Gmail, Outlook or iCloud account to see its mail in the inbox.</EmptyState>}>
          <ul class="mailbox-list">
            <For each={boxes()!.mailboxes}>
              {(m) => (
                <li>
                  <div>
                    <strong>{m.address}</strong> <small>{PROVIDER[m.provider] ?? m.provider}</small>
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
