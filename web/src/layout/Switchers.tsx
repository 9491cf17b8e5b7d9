import { useNavigate } from "@solidjs/router";
import { Show } from "solid-js";
import { roleLabel } from "../lib/format";
import { session } from "../lib/session";
import { Icon } from "../ui/Icon";
import { Menu } from "../ui/Menu";

function OrgMark(props: { name: string }) {
  return (
    <span class="org-mark" aria-hidden="true">
      {(props.name ?? "").trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}

const orgSubtitle = (o: { kind: string | null; role: string }) =>
  o.role === "portal" ? "Shared with you" : `${o.kind === "business" ? "Business" : "Agency"} · ${roleLabel[o.role] ?? o.role}`;

export function OrgSwitcher() {
  return (
    <Show when={session.org()} fallback={<p class="switcher-empty">No organization</p>}>
      {(org) => (
        <Menu
          label="Switch organization"
          class="switcher switcher-org"
          heading="Organizations"
          trigger={
            <>
              <OrgMark name={org().name} />
              <span class="switcher-text">
                <span class="switcher-name">{org().name}</span>
                <span class="switcher-sub">{orgSubtitle(org())}</span>
              </span>
              <Icon name="chevronUpDown" size={16} class="muted-icon" />
            </>
          }
          items={session.orgs().map((o) => ({
            id: o.id,
            label: o.name,
            description: orgSubtitle(o),
            checked: o.id === org().id,
            icon: <OrgMark name={o.name} />,
            onSelect: () => session.selectOrg(o.id),
          }))}
        />
      )}
    </Show>
  );
}

export function WorkspaceSwitcher() {
  const navigate = useNavigate();
  return (
    <Show
      when={session.workspace()}
      fallback={
        <button type="button" class="switcher-empty-btn" onClick={() => navigate("/workspaces")}>
          <Icon name="plus" size={15} />
          {session.isOrgAdmin() ? "Create a workspace" : "No workspace yet"}
        </button>
      }
    >
      {(ws) => (
        <Menu
          label="Switch workspace"
          class="switcher switcher-ws"
          heading="Workspaces"
          trigger={
            <>
              <Icon name="layers" size={16} class="muted-icon" />
              <span class="switcher-text">
                <span class="switcher-sub">Workspace</span>
                <span class="switcher-name">{ws().name}</span>
              </span>
              <Icon name="chevronUpDown" size={16} class="muted-icon" />
            </>
          }
          items={session.workspaces().map((w) => ({
            id: w.id,
            label: w.name,
            description: roleLabel[w.role] ?? w.role,
            checked: w.id === ws().id,
            onSelect: () => session.selectWorkspace(w.id),
          }))}
          footer={
            <button type="button" class="menu-item" onClick={() => navigate("/workspaces")}>
              <Icon name="layers" size={16} />
              <span class="menu-item-label">All workspaces</span>
            </button>
          }
        />
      )}
    </Show>
  );
}
