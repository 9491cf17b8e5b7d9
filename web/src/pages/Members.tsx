import { createResource, createSignal, For, Match, Show, Switch, type JSX } from "solid-js";
import { api, errorMessage, type ApiError } from "../lib/api";
import { formatDate, formatDateTime, roleLabel } from "../lib/format";
import { session } from "../lib/session";
import type { Invitation, OrgMember, PortalUser } from "../lib/types";
import { emailError } from "../lib/validation";
import { Button } from "../ui/Button";
import { Alert, Badge, EmptyState, RoleBadge, SkeletonRows } from "../ui/Feedback";
import { createForm, FormError, SelectField, TextField } from "../ui/Form";
import { Avatar, Card, PageHeader } from "../ui/Layout";
import { confirmDialog, Modal } from "../ui/Modal";
import { Table } from "../ui/Table";
import { toast } from "../ui/Toast";

const ORG_ROLES = [
  { value: "member", label: "Member — works on every workspace" },
  { value: "admin", label: "Admin — also manages people and workspaces" },
];
const PORTAL_ROLES = [
  { value: "viewer", label: "Viewer — sees dashboards and reports" },
  { value: "editor", label: "Editor — also edits content" },
  { value: "admin", label: "Admin — also manages this workspace’s people" },
];

function Person(props: { name: string; email: string; you?: boolean }) {
  return (
    <div class="person">
      <Avatar name={props.name} size="sm" />
      <div class="cell-main">
        <span class="cell-title">
          {props.name} {props.you && <Badge tone="neutral">You</Badge>}
        </span>
        <span class="cell-sub">{props.email}</span>
      </div>
    </div>
  );
}

/** An inline role picker that saves on change and reverts on failure. */
function RolePicker(props: { label: string; value: string; options: string[]; onSave: (role: string) => Promise<void> }) {
  const [busy, setBusy] = createSignal(false);
  return (
    <div class="select-wrap select-inline">
      <select
        class="input select input-sm"
        aria-label={props.label}
        value={props.value}
        disabled={busy()}
        onChange={async (e) => {
          const el = e.currentTarget;
          const next = el.value;
          setBusy(true);
          try {
            await props.onSave(next);
          } catch (err) {
            el.value = props.value;
            toast.error(errorMessage(err));
          } finally {
            setBusy(false);
          }
        }}
      >
        <For each={props.options}>{(r) => <option value={r}>{roleLabel[r] ?? r}</option>}</For>
      </select>
    </div>
  );
}

function InviteDialog(props: { open: boolean; title: string; description: JSX.Element; roles: { value: string; label: string }[]; defaultRole: string; onClose: () => void; send: (email: string, role: string) => Promise<void> }) {
  return (
    <Modal open={props.open} title={props.title} description={props.description} onClose={props.onClose}>
      <InviteForm {...props} />
    </Modal>
  );
}

function InviteForm(props: { roles: { value: string; label: string }[]; defaultRole: string; onClose: () => void; send: (email: string, role: string) => Promise<void> }) {
  const form = createForm({
    initial: { email: "", role: props.defaultRole },
    validate: (v) => ({ email: emailError(v.email) }),
    mapError: (e: ApiError) => (e.status === 409 ? { email: e.message } : undefined),
  });
  const onSubmit = form.submit(async (v) => {
    await props.send(v.email.trim(), v.role);
    props.onClose();
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <TextField label="Email address" name="email" type="email" autocomplete="off" placeholder="name@company.com" value={form.values.email} onValue={(v) => form.set("email", v)} error={form.errors.email} autofocus />
      <SelectField label="Role" name="role" value={form.values.role} options={props.roles} onValue={(v) => form.set("role", v)} error={form.errors.role} />
      <div class="form-actions">
        <Button variant="secondary" onClick={() => props.onClose()}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" icon="send" loading={form.submitting()}>
          Send invitation
        </Button>
      </div>
    </form>
  );
}

function OrgMembers(props: { orgId: string; onInvited: () => void }) {
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

function PortalUsers(props: { workspaceId: string; workspaceName: string; canAdmin: boolean; onInvited: () => void }) {
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
          <Table
            caption={`Portal users of ${props.workspaceName}`}
            rows={users()!.users}
            rowKey={(u) => u.userId}
            empty={
              <EmptyState icon="users" title="No portal users yet">
                Invite a client as a viewer to share dashboards and reports, or as an editor to collaborate on content.
              </EmptyState>
            }
            columns={[
              { header: "Name", cell: (u) => <Person name={u.name} email={u.email} you={u.userId === session.user()?.id} /> },
              {
                header: "Role",
                cell: (u) =>
                  props.canAdmin && u.userId !== session.user()?.id ? (
                    <RolePicker
                      label={`Role for ${u.name}`}
                      value={u.role}
                      options={["viewer", "editor", "admin"]}
                      onSave={async (role) => {
                        await api(`/api/workspaces/${props.workspaceId}/portal-users/${u.userId}`, { method: "PATCH", body: { role } });
                        toast.success(`${u.name} is now ${roleLabel[role]?.toLowerCase() ?? role}`);
                        await refetch();
                      }}
                    />
                  ) : (
                    <RoleBadge role={u.role} />
                  ),
              },
              { header: "Since", cell: (u) => <span class="muted nowrap">{formatDate(u.createdAt)}</span>, class: "hide-sm" },
              {
                header: "Actions",
                actions: true,
                cell: (u) => (
                  <Show when={props.canAdmin && u.userId !== session.user()?.id}>
                    <Button size="sm" variant="danger-ghost" onClick={() => revoke(u)} aria-label={`Revoke access for ${u.name}`}>
                      Revoke access
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

function PendingInvitations(props: { source: { orgId: string } | { workspaceId: string }; version: number }) {
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

export default function Members() {
  const [version, setVersion] = createSignal(0);
  const bump = () => setVersion((v) => v + 1);
  const ws = () => session.workspace();
  const wsAdmin = () => session.can.adminWorkspace(ws()?.role);
  return (
    <>
      <PageHeader title="Members & portal" description="Who can reach your organization and each client workspace, and what they can do." />
      <div class="stack-lg">
        <Show when={session.isOrgMember() && session.org()} keyed>
          {(org) => <OrgMembers orgId={org.id} onInvited={bump} />}
        </Show>
        <Show
          when={ws()}
          keyed
          fallback={
            <Card title="Client portal">
              <EmptyState icon="layers" title="No workspace selected">
                Create or pick a workspace to invite clients to it.
              </EmptyState>
            </Card>
          }
        >
          {(w) => <PortalUsers workspaceId={w.id} workspaceName={w.name} canAdmin={wsAdmin()} onInvited={bump} />}
        </Show>
        <Show when={session.can.manageOrg() ? { orgId: session.org()!.id } : wsAdmin() && ws() ? { workspaceId: ws()!.id } : null} keyed>
          {(source) => <PendingInvitations source={source} version={version()} />}
        </Show>
      </div>
    </>
  );
}
