import { createSignal, Show } from "solid-js";
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
  return (
    <>
      <PageHeader title="Members & portal" description="Who can reach your organization and each client workspace, and what they can do." />
      <div class="stack-lg">
        <Show when={session.isOrgMember() && session.org()} keyed>
          {(org) => <Team orgId={org.id} onInvited={bump} />}
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
