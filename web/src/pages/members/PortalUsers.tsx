import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { api, errorMessage, type ApiError } from "../../lib/api";
import type { PortalUser } from "../../lib/api/workspaces";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import { InviteDialog, PeopleTable, PORTAL_ROLES } from "./parts";

/** One workspace's portal users: roles, access revocation and portal invitations (workspace admins). */
export function PortalUsers(props: { workspaceId: string; workspaceName: string; canAdmin: boolean; onInvited: () => void }) {
  const [users, { refetch }] = createResource(() => props.workspaceId, (id) => api<{ users: PortalUser[] }>(`/api/workspaces/${id}/portal-users`));
  const [inviting, setInviting] = createSignal(false);

  async function revoke(u: PortalUser) {
    const ok = await confirmDialog({
      title: "Revoke portal access?",
      message: <p><strong>{u.name}</strong> ({u.email}) will no longer see <strong>{props.workspaceName}</strong>. You can invite them again later.</p>,
      confirmLabel: "Revoke access",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`/api/workspaces/${props.workspaceId}/portal-users/${u.userId}`, { method: "DELETE" });
      toast.success(`${u.name} no longer has access to ${props.workspaceName}`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <Card
      id="portal-users"
      title={`Client portal · ${props.workspaceName}`}
      description="Clients and partners invited to this workspace only. They never see your other workspaces."
      flush
      actions={
        <Show when={props.canAdmin}>
          <Button variant="primary" icon="plus" onClick={() => setInviting(true)}>
            Invite portal user
          </Button>
        </Show>
      }
    >
      <Switch>
        <Match when={users.error}>
          <div class="card-pad">
            <Alert tone={(users.error as ApiError)?.status === 403 ? "info" : "danger"}>
              {(users.error as ApiError)?.status === 403 ? "Only workspace admins can see who has portal access." : errorMessage(users.error)}
            </Alert>
          </div>
        </Match>
        <Match when={users.loading && !users.latest}>
          <SkeletonRows cols={3} />
        </Match>
        <Match when={users()}>
          <PeopleTable
            caption={`Portal users of ${props.workspaceName}`}
            rows={users()!.users}
            empty={
              <EmptyState icon="users" title="No portal users yet">
                Invite a client as a viewer to share dashboards and reports, or as an editor to collaborate on content.
              </EmptyState>
            }
            sinceHeader="Since"
            canManage={props.canAdmin}
            roleOptions={["viewer", "editor", "admin"]}
            saveRole={async (u, role) => {
              await api(`/api/workspaces/${props.workspaceId}/portal-users/${u.userId}`, { method: "PATCH", body: { role } });
              await refetch();
            }}
            action={{ label: "Revoke access", ariaLabel: (u) => `Revoke access for ${u.name}`, run: revoke }}
          />
        </Match>
      </Switch>
      <InviteDialog
        open={inviting()}
        title="Invite to the client portal"
        description={<>They will get an email with a link to <strong>{props.workspaceName}</strong> only.</>}
        roles={PORTAL_ROLES}
        defaultRole="viewer"
        onClose={() => setInviting(false)}
        send={async (email, role) => {
          await api(`/api/workspaces/${props.workspaceId}/invitations`, { body: { email, role } });
          toast.success(`Invitation sent to ${email}`);
          props.onInvited();
        }}
      />
    </Card>
  );
}

