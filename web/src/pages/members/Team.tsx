import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { api, errorMessage } from "../../lib/api";
import { session } from "../../lib/session";
import type { OrgMember } from "../../lib/api/orgs";
import { Button } from "../../ui/Button";
import { Alert, EmptyState, SkeletonRows } from "../../ui/Feedback";
import { Card } from "../../ui/Layout";
import { confirmDialog } from "../../ui/Modal";
import { toast } from "../../ui/Toast";
import { InviteDialog, ORG_ROLES, PeopleTable } from "./parts";

/** The organization's members: roles, removal and member invitations (owners and admins). */
export function Team(props: { orgId: string; onInvited: () => void }) {
  const [members, { refetch }] = createResource(() => props.orgId, (id) => api<{ members: OrgMember[] }>(`/api/orgs/${id}/members`));
  const [inviting, setInviting] = createSignal(false);
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
          <PeopleTable
            caption="Organization members"
            rows={members()!.members}
            empty={<EmptyState icon="users" title="No members yet" />}
            sinceHeader="Joined"
            canManage={canManage()}
            roleOptions={session.org()?.role === "owner" ? ["owner", "admin", "member"] : ["admin", "member"]}
            saveRole={async (m, role) => {
              await api(`/api/orgs/${props.orgId}/members/${m.userId}`, { method: "PATCH", body: { role } });
              await refetch();
            }}
            action={{ label: "Remove", ariaLabel: (m) => `Remove ${m.name}`, run: remove }}
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

