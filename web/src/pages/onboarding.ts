// What the dashboard's "Get started" checklist ticks, read from the organization's real data.
import { api } from "../lib/api";
import type { Workspace } from "../lib/api/workspaces";

export type Progress = { invited: boolean; connected: boolean };

/**
 * Someone else is in: another member, a portal user, or an invitation still pending (admins see
 * those). Something is connected: any workspace of the organization has an integration.
 */
export async function onboardingProgress(orgId: string, isAdmin: boolean, workspaces: Workspace[]): Promise<Progress> {
  const first = workspaces.slice(0, 10);
  const [members, invitations, lists, portal] = await Promise.all([
    api<{ members: unknown[] }>(`/api/orgs/${orgId}/members`).catch(() => ({ members: [] })),
    isAdmin ? api<{ invitations: { status?: string }[] }>(`/api/orgs/${orgId}/invitations`).catch(() => ({ invitations: [] })) : { invitations: [] },
    Promise.all(first.map((w) => api<{ integrations: unknown[] }>(`/api/workspaces/${w.id}/integrations`).catch(() => ({ integrations: [] })))),
    Promise.all(
      first.filter((w) => w.role === "org-admin" || w.role === "admin").map((w) => api<{ users: unknown[] }>(`/api/workspaces/${w.id}/portal-users`).catch(() => ({ users: [] }))),
    ),
  ]);
  const pending = invitations.invitations.some((i) => !i.status || i.status === "pending");
  return {
    invited: members.members.length > 1 || pending || portal.some((p) => p.users.length > 0),
    connected: lists.some((l) => l.integrations.length > 0),
  };
}
