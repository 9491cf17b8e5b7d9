import { createMemo, createSignal, Show } from "solid-js";
import { session } from "../lib/session";
import { EmptyState } from "../ui/Feedback";
import { Card, PageHeader } from "../ui/Layout";
import { PendingInvitations } from "./members/PendingInvitations";
import { PortalUsers } from "./members/PortalUsers";
import { Team } from "./members/Team";

export default function Members() {
  const [version, setVersion] = createSignal(0);
  const bump = () => setVersion((v) => v + 1);
  const ws = () => session.workspace();
  const wsAdmin = () => session.can.adminWorkspace(ws()?.role);
  // Keyed on ids, not on the session's objects: those are rebuilt whenever /api/me or the
  // workspace list reloads, and a keyed Show would remount the tables under the user's pointer
  // (a click on Revoke landing on a skeleton row).
  const orgId = createMemo(() => (session.isOrgMember() ? session.org()?.id : undefined));
  const wsId = createMemo(() => ws()?.id);
  const invitationSource = createMemo(() => (session.can.manageOrg() ? `org:${session.org()!.id}` : wsAdmin() && ws() ? `ws:${ws()!.id}` : undefined));
  return (
    <>
      <PageHeader title="Members & portal" description="Who can reach your organization and each client workspace, and what they can do." />
      <div class="stack-lg">
        <Show when={orgId()} keyed>
          {(id) => <Team orgId={id} onInvited={bump} />}
        </Show>
        <Show
          when={wsId()}
          keyed
          fallback={
            <Card title="Client portal">
              <EmptyState icon="layers" title="No workspace selected">
                Create or pick a workspace to invite clients to it.
              </EmptyState>
            </Card>
          }
        >
          {(id) => <PortalUsers workspaceId={id} workspaceName={ws()?.name ?? ""} canAdmin={wsAdmin()} onInvited={bump} />}
        </Show>
        <Show when={invitationSource()} keyed>
          {(key) => <PendingInvitations source={key.startsWith("org:") ? { orgId: key.slice(4) } : { workspaceId: key.slice(3) }} version={version()} />}
        </Show>
      </div>
    </>
  );
}
