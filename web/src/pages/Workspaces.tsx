import { useNavigate } from "@solidjs/router";
import { createSignal, onMount, Show } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { formatDate } from "../lib/format";
import { session } from "../lib/session";
import type { Workspace } from "../lib/api/workspaces";
import { required } from "../lib/validation";
import { Button } from "../ui/Button";
import { Alert, Badge, EmptyState, RoleBadge } from "../ui/Feedback";
import { createForm, FormError, SelectField, TextArea, TextField } from "../ui/Form";
import { setTimeZone } from "../lib/api/dashboards";
import { PageHeader } from "../ui/Layout";
import { confirmDialog, Modal } from "../ui/Modal";
import { Table } from "../ui/Table";
import { toast } from "../ui/Toast";

function WorkspaceForm(props: { editing: Workspace | null; open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={props.open}
      title={props.editing ? `Edit “${props.editing.name}”` : "New workspace"}
      description={props.editing ? undefined : "A workspace holds one client’s or brand’s channels, content, people and reports."}
      onClose={props.onClose}
    >
      <WorkspaceFormBody editing={props.editing} onClose={props.onClose} />
    </Modal>
  );
}

/** IANA zones the browser knows (the server validates the choice again), with the current one first if unknown. */
function zoneOptions(current: string) {
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const all = ["UTC", ...zones.filter((z) => z !== "UTC")];
  if (!all.includes(current)) all.unshift(current);
  return all.map((z) => ({ value: z, label: z.replace(/_/g, " ") }));
}

/** Mounted each time the dialog opens, so it starts from the workspace being edited. */
function WorkspaceFormBody(props: { editing: Workspace | null; onClose: () => void }) {
  const editing = props.editing;
  const form = createForm({
    initial: { name: editing?.name ?? "", description: editing?.description ?? "", timeZone: editing?.timeZone ?? "UTC" },
    validate: (v) => ({ name: required(v.name, "Name") }),
  });
  const onSubmit = form.submit(async (v) => {
    const name = v.name.trim();
    const description = v.description.trim();
    if (editing) {
      await api(`/api/workspaces/${editing.id}`, { method: "PATCH", body: { name, description: description || null } });
      // The server checks the zone and refiles the dashboard figures under the new days.
      if (v.timeZone !== editing.timeZone) await setTimeZone(editing.id, v.timeZone);
      toast.success(v.timeZone !== editing.timeZone ? `Workspace saved; its days now begin in ${v.timeZone}` : `Workspace “${name}” saved`);
    } else {
      const created = await api<Workspace>("/api/workspaces", { body: { name, ...(description ? { description } : {}), orgId: session.org()?.id } });
      session.selectWorkspace(created.id);
      toast.success(`Workspace “${created.name}” created`);
    }
    await session.reloadWorkspaces();
    props.onClose();
  });
  return (
    <form class="form" onSubmit={onSubmit} noValidate>
      <FormError error={form.errors.form} />
      <TextField label="Name" name="name" value={form.values.name} onValue={(v) => form.set("name", v)} error={form.errors.name} placeholder="e.g. Bistro Uno" maxLength={120} autofocus />
      <TextArea label="Description" name="description" optional rows={3} value={form.values.description} onValue={(v) => form.set("description", v)} error={form.errors.description} placeholder="What this client or brand is about" maxLength={2000} />
      <Show when={editing && (editing.role === "admin" || editing.role === "org-admin")}>
        <SelectField label="Time zone" name="timeZone" value={form.values.timeZone} onValue={(v) => form.set("timeZone", v)} options={zoneOptions(editing!.timeZone)}
          hint="Where the client's days begin: dashboards, reports and alerts count days in this zone." />
      </Show>
      <div class="form-actions">
        <Button variant="secondary" onClick={() => props.onClose()}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" loading={form.submitting()}>
          {editing ? "Save changes" : "Create workspace"}
        </Button>
      </div>
    </form>
  );
}

export default function Workspaces() {
  const navigate = useNavigate();
  const [dialog, setDialog] = createSignal<{ editing: Workspace | null } | null>(null);
  const [loadError, setLoadError] = createSignal<string | null>(null);
  onMount(() => session.reloadWorkspaces().catch((e) => setLoadError(errorMessage(e))));

  async function remove(w: Workspace) {
    const ok = await confirmDialog({
      title: "Delete workspace?",
      message: (
        <>
          <p>
            <strong>{w.name}</strong> and everything in it (content, reports, portal access, invitations) will be deleted. This cannot be undone.
          </p>
        </>
      ),
      confirmLabel: "Delete workspace",
      danger: true,
    });
    if (!ok) return;
    try {
      await api(`/api/workspaces/${w.id}`, { method: "DELETE" });
      await session.reloadWorkspaces();
      toast.success(`Workspace “${w.name}” deleted`);
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  const open = (w: Workspace) => {
    session.selectWorkspace(w.id);
    navigate("/dashboard");
  };
  const readOnly = () => !session.can.manageOrg() && session.workspaces().every((w) => !session.can.adminWorkspace(w.role));

  return (
    <>
      <PageHeader
        title="Workspaces"
        description={
          session.isOrgMember() ? (
            <>Each client or brand of <strong>{session.org()?.name}</strong> lives in its own workspace.</>
          ) : (
            "Workspaces an agency or business has shared with you."
          )
        }
        actions={
          <Show when={session.can.manageOrg()}>
            <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
              New workspace
            </Button>
          </Show>
        }
      />
      <Show when={loadError()}>
        <Alert tone="danger">{loadError()}</Alert>
      </Show>
      <Show when={readOnly() && session.workspaces().length > 0}>
        <div class="notice" role="note">
          <Badge tone="neutral">Read-only</Badge>
          <span>You can view {session.workspaces().length === 1 ? "this workspace" : "these workspaces"}. Ask an admin if you need to make changes.</span>
        </div>
      </Show>
      <section class="card card-flush">
        <Table
          caption="Workspaces"
          rows={session.workspaces()}
          rowKey={(w) => w.id}
          empty={
            <EmptyState
              icon="layers"
              title="No workspaces yet"
              action={
                session.can.manageOrg() ? (
                  <Button variant="primary" icon="plus" onClick={() => setDialog({ editing: null })}>
                    Create your first workspace
                  </Button>
                ) : undefined
              }
            >
              {session.can.manageOrg() ? "Create one workspace per client or brand." : "You have not been given access to a workspace in this organization yet."}
            </EmptyState>
          }
          columns={[
            {
              header: "Name",
              cell: (w) => (
                <div class="cell-main">
                  <button type="button" class="cell-title link-button" onClick={() => open(w)}>
                    {w.name}
                  </button>
                  {w.description && <span class="cell-sub">{w.description}</span>}
                  <span class="cell-sub">Days in {w.timeZone.replace(/_/g, " ")}</span>
                </div>
              ),
            },
            { header: "Your role", cell: (w) => <RoleBadge role={w.role} /> },
            { header: "Created", cell: (w) => <span class="nowrap muted">{formatDate(w.createdAt)}</span>, class: "hide-sm" },
            {
              header: "Actions",
              actions: true,
              cell: (w) => (
                <div class="row-actions">
                  <Show when={session.workspace()?.id === w.id} fallback={<Button size="sm" variant="ghost" onClick={() => session.selectWorkspace(w.id)}>Switch to</Button>}>
                    <Badge tone="success" dot>
                      Current
                    </Badge>
                  </Show>
                  <Show when={session.can.adminWorkspace(w.role)}>
                    <Button size="sm" variant="ghost" icon="edit" onClick={() => setDialog({ editing: w })} aria-label={`Rename ${w.name}`}>
                      Rename
                    </Button>
                  </Show>
                  <Show when={session.can.deleteWorkspace(w.role)}>
                    <Button size="sm" variant="danger-ghost" icon="trash" onClick={() => remove(w)} aria-label={`Delete ${w.name}`}>
                      Delete
                    </Button>
                  </Show>
                </div>
              ),
            },
          ]}
        />
      </section>
      <Show when={session.hasMoreWorkspaces()}>
        <div class="row-actions">
          <Button variant="ghost" onClick={() => void session.loadMoreWorkspaces()}>
            Load more workspaces
          </Button>
        </div>
      </Show>
      <WorkspaceForm open={!!dialog()} editing={dialog()?.editing ?? null} onClose={() => setDialog(null)} />
    </>
  );
}
