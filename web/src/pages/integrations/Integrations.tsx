import { useLocation, useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import { ConnectForm, connect } from "./ConnectForm";
import { ConnectedTable } from "./ConnectedTable";
import { ProviderGrid } from "./ProviderGrid";
import { RunHistory } from "./RunHistory";
import type { Integration, IntegrationList, Provider } from "../../lib/api/integrations";
import "./integrations.css";

const POLL_MS = 1500;

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
              <ConnectedTable
                integrations={data()!.integrations}
                canAdmin={canAdmin()}
                canSync={canSync()}
                onHistory={setHistory}
                onSync={syncNow}
                onReconnect={reconnect}
                onDisconnect={disconnect}
              />
            </Card>
            <ProviderGrid providers={data()!.providers} integrations={data()!.integrations} canAdmin={canAdmin()} onConnect={startConnect} />
          </Match>
        </Switch>
      </Show>
      <ConnectForm provider={connecting()} workspaceId={workspace()?.id ?? ""} onClose={() => setConnecting(null)} onConnected={() => refetch()} />
      <RunHistory integration={history()} onClose={() => setHistory(null)} />
    </>
  );
}
