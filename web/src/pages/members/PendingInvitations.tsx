import { createResource, Match, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import type { Invitation } from "../../lib/api/orgs";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, RoleBadge, SkeletonRows } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";

/** Invitations not accepted yet: the organization's and all its workspaces' (org admins), or one workspace's. */
export function PendingInvitations(props: { source: { orgId: string } | { workspaceId: string }; version: number }) {
  const base = () => ("orgId" in props.source ? `/api/orgs/${props.source.orgId}` : `/api/workspaces/${props.source.workspaceId}`);
  const [list, { refetch }] = createResource(
    () => `${base()}#${props.version}`,
    () => api<{ invitations: Invitation[] }>(`${base()}/invitations`),
  );
  const pending = () => (list()?.invitations ?? []).filter((i) => !i.status || i.status === "pending");

  async function revoke(inv: Invitation) {
    const ok = await confirmDialog({
      title: "Revoke invitation?",
      message: <p>The link sent to <strong>{inv.email}</strong> will stop working.</p>,
      confirmLabel: "Revoke invitation",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`${base()}/invitations/${inv.id}`, { method: "DELETE" });
      toast.success(`Invitation to ${inv.email} revoked`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <Card id="invitations" title="Pending invitations" description="Invitations that have not been accepted yet." flush>
      <Switch>
        <Match when={list.error}>
          <div class="card-pad">
            <Alert tone="danger">{errorMessage(list.error)}</Alert>
          </div>
        </Match>
        <Match when={list.loading && !list.latest}>
          <SkeletonRows cols={4} rows={2} />
        </Match>
        <Match when={list()}>
          <Table
            caption="Pending invitations"
            rows={pending()}
            rowKey={(i) => i.id}
            empty={<EmptyState icon="send" title="No pending invitations">Invitations you send appear here until they are accepted.</EmptyState>}
            columns={[
              { header: "Email", cell: (i) => <span class="cell-title">{i.email}</span> },
              { header: "Access", cell: (i) => <span>{i.workspaceName ? <>Portal · {i.workspaceName}</> : "Organization"}</span> },
              { header: "Role", cell: (i) => <RoleBadge role={i.role} /> },
              { header: "Expires", cell: (i) => <span class="muted nowrap">{formatDateTime(i.expiresAt)}</span>, class: "hide-sm" },
              {
                header: "Actions",
                actions: true,
                cell: (i) => (
                  <Button size="sm" variant="danger-ghost" onClick={() => revoke(i)} aria-label={`Revoke invitation for ${i.email}`}>
                    Revoke
                  </Button>
                ),
              },
            ]}
          />
        </Match>
      </Switch>
    </Card>
  );
}

