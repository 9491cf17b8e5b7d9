import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { formatDate, roleLabel } from "../../lib/format";
import { session } from "../../lib/session";
import type { OrgMember } from "../../lib/types";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, RoleBadge, SkeletonRows } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { toast } from "../../ui/Toast";
import { InviteDialog, ORG_ROLES, Person, RolePicker } from "./parts";

/** The organization's members: roles, removal and member invitations (owners and admins). */
export function Team(props: { orgId: string; onInvited: () => void }) {
  const [members, { refetch }] = createResource(() => props.orgId, (id) => api<{ members: OrgMember[] }>(`/api/orgs/${id}/members`));
  const [inviting, setInviting] = createSignal(false);
  const me = () => session.user()?.id;
  const canManage = () => session.can.manageOrg();

  async function remove(m: OrgMember) {
    const ok = await confirmDialog({
      title: "Remove member?",
      message: <p><strong>{m.name}</strong> ({m.email}) will lose access to {session.org()?.name} and all of its workspaces.</p>,
      confirmLabel: "Remove member",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`/api/orgs/${props.orgId}/members/${m.userId}`, { method: "DELETE" });
      toast.success(`${m.name} was removed`);
      await refetch();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <Card
      id="org-members"
      title="Team"
      description={<>People in <strong>{session.org()?.name}</strong>. Members work on every workspace; owners and admins also manage people and workspaces.</>}
      flush
      actions={
        <Show when={canManage()}>
          <Button variant="primary" icon="plus" onClick={() => setInviting(true)}>
            Invite member
          </Button>
        </Show>
      }
    >
      <Switch>
        <Match when={members.error}>
          <div class="card-pad">
            <Alert tone="danger">{errorMessage(members.error)}</Alert>
          </div>
        </Match>
        <Match when={members.loading && !members.latest}>
          <SkeletonRows cols={3} />
        </Match>
        <Match when={members()}>
          <Table
            caption="Organization members"
            rows={members()!.members}
            rowKey={(m) => m.userId}
            empty={<EmptyState icon="users" title="No members yet" />}
            columns={[
              { header: "Name", cell: (m) => <Person name={m.name} email={m.email} you={m.userId === me()} /> },
              {
                header: "Role",
                cell: (m) =>
                  canManage() && m.userId !== me() ? (
                    <RolePicker
                      label={`Role for ${m.name}`}
                      value={m.role}
                      options={session.org()?.role === "owner" ? ["owner", "admin", "member"] : ["admin", "member"]}
                      onSave={async (role) => {
                        await api(`/api/orgs/${props.orgId}/members/${m.userId}`, { method: "PATCH", body: { role } });
                        toast.success(`${m.name} is now ${roleLabel[role]?.toLowerCase() ?? role}`);
                        await refetch();
                      }}
                    />
                  ) : (
                    <RoleBadge role={m.role} />
                  ),
              },
              { header: "Joined", cell: (m) => <span class="muted nowrap">{formatDate(m.createdAt)}</span>, class: "hide-sm" },
              {
                header: "Actions",
                actions: true,
                cell: (m) => (
                  <Show when={canManage() && m.userId !== me()}>
                    <Button size="sm" variant="danger-ghost" onClick={() => remove(m)} aria-label={`Remove ${m.name}`}>
                      Remove
                    </Button>
                  </Show>
                ),
              },
            ]}
          />
        </Match>
      </Switch>
      <InviteDialog
        open={inviting()}
        title="Invite a team member"
        description={<>They will get an email with a link to join <strong>{session.org()?.name}</strong>.</>}
        roles={ORG_ROLES}
        defaultRole="member"
        onClose={() => setInviting(false)}
        send={async (email, role) => {
          await api(`/api/orgs/${props.orgId}/invitations`, { body: { email, role } });
          toast.success(`Invitation sent to ${email}`);
          props.onInvited();
        }}
      />
    </Card>
  );
}

