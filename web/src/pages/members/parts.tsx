import { For, Show, type JSX } from "solid-js";
import type { ApiError } from "../../lib/api";
import { formatDate, roleLabel } from "../../lib/format";
import { session } from "../../lib/session";
import { emailError } from "../../lib/validation";
import { Button } from "../../ui/Button";
import { Badge, RoleBadge } from "../../ui/Feedback";
import { createForm, FormError, SelectField, TextField } from "../../ui/Form";
import { Avatar } from "../../ui/Layout";
import { Modal } from "../../ui/Modal";
import { Table } from "../../ui/Table";
import { createSubmit } from "../../ui/submit";
import { toast } from "../../ui/Toast";

export const ORG_ROLES = [
  { value: "member", label: "Member — works on every workspace" },
  { value: "admin", label: "Admin — also manages people and workspaces" },
];
export const PORTAL_ROLES = [
  { value: "viewer", label: "Viewer — sees dashboards and reports" },
  { value: "editor", label: "Editor — also edits content" },
  { value: "admin", label: "Admin — also manages this workspace’s people" },
];

export function Person(props: { name: string; email: string; you?: boolean }) {
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
export function RolePicker(props: { label: string; value: string; options: string[]; onSave: (role: string) => Promise<void> }) {
  const { busy, run } = createSubmit();
  return (
    <div class="select-wrap select-inline">
      <select
        class="input select input-sm"
        aria-label={props.label}
        value={props.value}
        disabled={busy()}
        onChange={async (e) => {
          const el = e.currentTarget;
          const saved = await run(async () => (await props.onSave(el.value), true));
          if (!saved) el.value = props.value;
        }}
      >
        <For each={props.options}>{(r) => <option value={r}>{roleLabel[r] ?? r}</option>}</For>
      </select>
    </div>
  );
}

export function InviteDialog(props: { open: boolean; title: string; description: JSX.Element; roles: { value: string; label: string }[]; defaultRole: string; onClose: () => void; send: (email: string, role: string) => Promise<void> }) {
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


type PersonRow = { userId: string; name: string; email: string; role: string; createdAt: number };

/**
 * People with a role: name, role (editable by managers, never on your own row), since when, and
 * one danger action. Shared by the team and the portal-users tables.
 */
export function PeopleTable<R extends PersonRow>(props: {
  caption: string;
  rows: R[];
  empty: JSX.Element;
  sinceHeader: string;
  canManage: boolean;
  roleOptions: string[];
  saveRole: (row: R, role: string) => Promise<void>;
  action: { label: string; ariaLabel: (row: R) => string; run: (row: R) => void };
}) {
  const me = () => session.user()?.id;
  const manageable = (r: R) => props.canManage && r.userId !== me();
  return (
    <Table
      caption={props.caption}
      rows={props.rows}
      rowKey={(r) => r.userId}
      empty={props.empty}
      columns={[
        { header: "Name", cell: (r) => <Person name={r.name} email={r.email} you={r.userId === me()} /> },
        {
          header: "Role",
          cell: (r) =>
            manageable(r) ? (
              <RolePicker
                label={`Role for ${r.name}`}
                value={r.role}
                options={props.roleOptions}
                onSave={async (role) => {
                  await props.saveRole(r, role);
                  toast.success(`${r.name} is now ${roleLabel[role]?.toLowerCase() ?? role}`);
                }}
              />
            ) : (
              <RoleBadge role={r.role} />
            ),
        },
        { header: props.sinceHeader, cell: (r) => <span class="muted nowrap">{formatDate(r.createdAt)}</span>, class: "hide-sm" },
        {
          header: "Actions",
          actions: true,
          cell: (r) => (
            <Show when={manageable(r)}>
              <Button size="sm" variant="danger-ghost" onClick={() => props.action.run(r)} aria-label={props.action.ariaLabel(r)}>
                {props.action.label}
              </Button>
            </Show>
          ),
        },
      ]}
    />
  );
}
