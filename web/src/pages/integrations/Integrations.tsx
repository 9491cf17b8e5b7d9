import { useLocation, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, Match, on, onCleanup, Show, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime, timeAgo } from "../../lib/format";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { createForm, FormError, TextField } from "../../ui/Form";
import { Card, PageHeader } from "../../ui/Layout";
import { confirmDialog, Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";
import type { Integration, IntegrationList, Provider, SyncRun } from "../../lib/api/integrations";
import "./integrations.css";

const POLL_MS = 1500;
const categoryLabel: Record<string, string> = { commerce: "Shop", analytics: "Analytics", "email-marketing": "Email marketing", social: "Social", ads: "Ads" };
const blurb: Record<string, string> = {
  shopify: "Orders, refunds and products from your Shopify store.",
  woocommerce: "Orders and products from a WooCommerce store.",
  ga4: "Daily sessions, users, conversions and revenue by channel and landing page.",
  klaviyo: "Email campaigns, flows and list sizes with opens, clicks and revenue.",
  mailchimp: "Audiences and campaign results from Mailchimp.",
};
const fmt = new Intl.NumberFormat();

function StatusCell(props: { i: Integration }) {
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
          <div class="integration-error">{props.i.lastError}</div>
        </div>
      </Match>
      <Match when={props.i.status === "error"}>
        <div>
          <Badge tone="danger">Error</Badge>
          <div class="integration-error">{props.i.lastError}</div>
        </div>
      </Match>
      <Match when={props.i.queued}>
        <Badge tone="neutral" dot>
          Queued
        </Badge>
      </Match>
      <Match when={true}>
        <Badge tone="success" dot>
          Active
        </Badge>
      </Match>
    </Switch>
  );
}

function RunHistory(props: { integration: Integration | null; onClose: () => void }) {
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
                      {r.reason} · {fmt.format(r.rowsFetched)} rows fetched · {fmt.format(r.rowsWritten)} written · {r.pages} pages
                      {r.retries ? ` · ${r.retries} retries` : ""}
                      {r.durationMs !== null ? ` · ${(r.durationMs / 1000).toFixed(1)} s` : ""}
                    </span>
                    <Show when={r.error}>
                      <span class="integration-error">{r.error}</span>
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

/** The connect form: the provider's inputs (shop domain, keys…); OAuth providers then redirect to their consent page. */
function ConnectForm(props: { provider: Provider | null; workspaceId: string; onClose: () => void; onConnected: () => void }) {
  return (
    <Modal
      open={!!props.provider}
      title={`Connect ${props.provider?.name ?? ""}`}
      description={
        props.provider?.auth === "oauth2"
          ? `You will sign in at ${props.provider.name} and approve read access for QWEB.`
          : "QWEB checks the key with a real call before storing it, encrypted."
      }
      onClose={props.onClose}
    >
      <Show when={props.provider} keyed>
        {(p) => <ConnectFormBody provider={p} workspaceId={props.workspaceId} onClose={props.onClose} onConnected={props.onConnected} />}
      </Show>
    </Modal>
  );
}

function ConnectFormBody(props: { provider: Provider; workspaceId: string; onClose: () => void; onConnected: () => void }) {
  const form = createForm<Record<string, string>>({
    initial: Object.fromEntries(props.provider.inputs.map((f) => [f.name, ""])),
    validate: (v) => Object.fromEntries(props.provider.inputs.filter((f) => f.secret && !v[f.name]?.trim()).map((f) => [f.name, `${f.label} is required`])),
  });
  const onSubmit = form.submit(async (fields) => {
    const res = await connect(props.workspaceId, props.provider, fields);
    if (res === "connected") {
      toast.success(`${props.provider.name} connected; the first sync has started`);
      props.onConnected();
      props.onClose();
    }
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <For each={props.provider.inputs}>
        {(f, k) => (
          <TextField
            label={f.label}
            name={f.name}
            type={f.secret ? "password" : "text"}
            autocomplete="off"
            placeholder={f.placeholder}
            hint={f.help}
            value={form.values[f.name] ?? ""}
            onValue={(v) => form.set(f.name, v)}
            error={form.errors[f.name]}
            autofocus={k() === 0}
          />
        )}
      </For>
      <div class="form-actions">
        <Button variant="secondary" onClick={() => props.onClose()}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={form.submitting()}>
          {props.provider.auth === "oauth2" ? `Continue to ${props.provider.name}` : "Verify and connect"}
        </Button>
      </div>
    </form>
  );
}

/** Starts a connection: OAuth providers send the browser to their consent page. */
async function connect(workspaceId: string, provider: Provider, fields: Record<string, string>): Promise<"redirected" | "connected"> {
  const res = await api<{ kind: "redirect"; authorizeUrl: string } | { kind: "connected" }>(`/api/workspaces/${workspaceId}/integrations/${provider.id}/connect`, {
    body: { fields },
  });
  if (res.kind === "redirect") {
    window.location.assign(res.authorizeUrl);
    return "redirected";
  }
  return "connected";
}

export default function Integrations() {
  const params = useParams<{ workspaceId?: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const [search, setSearch] = useSearchParams<{ connected?: string; error?: string; provider?: string }>();
  // /workspaces/:workspaceId/integrations (where OAuth returns) opens that workspace's page.
  createEffect(() => {
    const id = params.workspaceId;
    const ws = id && session.allWorkspaces().find((w) => w.id === id);
    if (!ws) return;
    session.selectOrg(ws.orgId);
    session.selectWorkspace(ws.id);
    navigate(`/integrations${location.search}`, { replace: true });
  });
  const workspace = () => session.workspace();
  const role = () => workspace()?.role;
  const canAdmin = () => session.can.adminWorkspace(role());
  const canSync = () => session.can.editContent(role());

  const [data, { refetch, mutate }] = createResource(
    () => workspace()?.id,
    (id) => api<IntegrationList>(`/api/workspaces/${id}/integrations`),
  );
  const [connecting, setConnecting] = createSignal<Provider | null>(null);
  const [history, setHistory] = createSignal<Integration | null>(null);
  const [returnError, setReturnError] = createSignal<string | null>(null);

  // Back from a provider's consent page.
  createEffect(
    on(
      () => [search.connected, search.error, data()] as const,
      ([connected, error, loaded]) => {
        if ((!connected && !error) || !loaded) return;
        const name = (id?: string) => data()?.providers.find((p) => p.id === id)?.name ?? id ?? "The provider";
        if (connected) toast.success(`${name(connected)} connected; the first sync has started`);
        if (error) setReturnError(`${search.provider ? `${name(search.provider)}: ` : ""}${error}`);
        setSearch({ connected: undefined, error: undefined, provider: undefined }, { replace: true });
      },
    ),
  );

  // A live progress bar: poll while anything of this workspace syncs or waits.
  const busy = () => data()?.integrations.some((i) => i.status === "syncing" || i.queued) ?? false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    clearTimeout(timer);
    if (busy() && !data.loading) {
      timer = setTimeout(async () => {
        const id = workspace()?.id;
        if (!id) return;
        try {
          mutate(await api<IntegrationList>(`/api/workspaces/${id}/integrations`));
        } catch {}
      }, POLL_MS);
    }
  });
  onCleanup(() => clearTimeout(timer));

  async function syncNow(i: Integration) {
    try {
      const r = await api<{ state: string }>(`/api/integrations/${i.id}/sync`, { method: "POST" });
      toast.success(r.state === "running" ? `${i.name} is already syncing` : `${i.name} sync queued`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  async function disconnect(i: Integration) {
    const ok = await confirmDialog({
      title: `Disconnect ${i.name}?`,
      message: (
        <>
          <p>
            QWEB stops syncing <strong>{i.label}</strong>, revokes its access where {i.name} allows it and deletes the stored credentials now.
          </p>
          <p>
            All data synced from it (orders, metrics, campaigns, sync history) is <strong>deleted permanently in 30 days</strong>.
          </p>
        </>
      ),
      confirmLabel: "Disconnect",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`/api/integrations/${i.id}`, { method: "DELETE" });
      toast.success(`${i.name} disconnected; its synced data will be deleted in 30 days`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  function startConnect(p: Provider) {
    // Nothing to ask before the consent page (Mailchimp): go straight there.
    if (p.auth === "oauth2" && p.inputs.length === 0) {
      connect(workspace()!.id, p, {}).catch((e) => toast.error(errorMessage(e)));
      return;
    }
    setConnecting(p);
  }

  const reconnect = (i: Integration) => {
    const p = data()?.providers.find((x) => x.id === i.provider);
    if (!p) return;
    if (p.auth === "oauth2" && p.inputs.every((f) => !f.secret)) {
      connect(workspace()!.id, p, { ...i.account }).catch((e) => toast.error(errorMessage(e)));
    } else setConnecting(p);
  };

  return (
    <>
      <PageHeader
        title="Integrations"
        description={
          <>
            Shops, analytics and email tools of <strong>{workspace()?.name ?? "this workspace"}</strong>. Credentials are stored encrypted; data syncs every hour.
          </>
        }
        actions={
          <Button icon="refresh" size="sm" onClick={() => refetch()} loading={data.loading}>
            Refresh
          </Button>
        }
      />
      <Show when={returnError()}>
        <Alert tone="danger" title="Not connected">
          {returnError()}
        </Alert>
      </Show>
      <Show when={!workspace()}>
        <EmptyState icon="plug" title="No workspace selected">
          Pick or create a workspace to connect its accounts.
        </EmptyState>
      </Show>
      <Show when={workspace()}>
        <Switch>
          <Match when={data.error}>
            <Alert tone="danger">{errorMessage(data.error)}</Alert>
          </Match>
          <Match when={!data() && data.loading}>
            <Card>
              <SkeletonRows rows={3} cols={4} />
            </Card>
          </Match>
          <Match when={data()}>
            <Card id="connected" title="Connected" flush>
              <Table
                caption="Connected integrations"
                rows={data()!.integrations}
                rowKey={(i) => i.id}
                empty={
                  <EmptyState icon="plug" title="Nothing connected yet">
                    {canAdmin() ? "Connect a shop, analytics or email tool below." : "An admin of this workspace can connect its accounts."}
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
                  { header: "Last sync", cell: (i) => <span class="nowrap muted" title={formatDateTime(i.lastSyncAt)}>{timeAgo(i.lastSyncAt)}</span>, class: "hide-sm" },
                  { header: "Rows", cell: (i) => <span class="nowrap">{fmt.format(i.rowsSynced)}</span> },
                  {
                    header: "Actions",
                    actions: true,
                    cell: (i) => (
                      <div class="row-actions">
                        <Button size="sm" variant="ghost" onClick={() => setHistory(i)} aria-label={`Sync history of ${i.name}`}>
                          History
                        </Button>
                        <Show when={canSync() && i.status !== "needs_reconnect"}>
                          <Button size="sm" variant="ghost" icon="refresh" onClick={() => syncNow(i)} disabled={i.status === "syncing"} aria-label={`Sync ${i.name} now`}>
                            Sync now
                          </Button>
                        </Show>
                        <Show when={canAdmin() && i.status === "needs_reconnect"}>
                          <Button size="sm" variant="primary" onClick={() => reconnect(i)}>
                            Reconnect
                          </Button>
                        </Show>
                        <Show when={canAdmin()}>
                          <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => disconnect(i)} aria-label={`Disconnect ${i.name}`}>
                            Disconnect
                          </Button>
                        </Show>
                      </div>
                    ),
                  },
                ]}
              />
            </Card>
            <div class="section-gap">
              <Card id="available" title="Available" description="Each connection reads data only; QWEB never posts or changes anything in these accounts.">
                <div class="provider-grid">
                  <For each={data()!.providers}>
                    {(p) => {
                      const count = () => data()!.integrations.filter((i) => i.provider === p.id).length;
                      return (
                        <div class="provider-card" data-provider={p.id}>
                          <h3>{p.name}</h3>
                          <Badge tone="neutral">{categoryLabel[p.category] ?? p.category}</Badge>
                          <p>{blurb[p.id] ?? ""}</p>
                          <div class="provider-foot">
                            <span class="muted">{count() ? `${count()} connected` : ""}</span>
                            <Show when={canAdmin()}>
                              <Button size="sm" variant={count() ? "secondary" : "primary"} icon="plug" onClick={() => startConnect(p)} aria-label={`Connect ${p.name}`}>
                                {count() ? "Connect another" : "Connect"}
                              </Button>
                            </Show>
                          </div>
                        </div>
                      );
                    }}
                  </For>
                </div>
              </Card>
            </div>
          </Match>
        </Switch>
      </Show>
      <ConnectForm provider={connecting()} workspaceId={workspace()?.id ?? ""} onClose={() => setConnecting(null)} onConnected={() => refetch()} />
      <RunHistory integration={history()} onClose={() => setHistory(null)} />
    </>
  );
}
