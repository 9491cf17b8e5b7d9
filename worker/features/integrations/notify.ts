import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, portalAccess, users, workspaces } from "../../db/schema";
import { notify } from "../../core/notifications";
import { failureMessage } from "./messages";

/** Emails of the people who can reconnect: organization owners/admins and the workspace's admins. */
async function adminsOf(db: Database, orgId: string, workspaceId: string) {
  const [orgAdmins, wsAdmins] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "admin"]))),
    db
      .select({ id: users.id, email: users.email, name: users.name })
      .from(portalAccess)
      .innerJoin(users, eq(users.id, portalAccess.userId))
      .where(and(eq(portalAccess.orgId, orgId), eq(portalAccess.workspaceId, workspaceId), eq(portalAccess.role, "admin"))),
  ]);
  return [...new Map([...orgAdmins, ...wsAdmins].map((u) => [u.id, u])).values()];
}

/**
 * Tells the people who can fix it that an integration stopped syncing: a notification on their
 * Notifications page and an email, with what to do. Callers call it once per failure episode
 * (when the integration's status changes), never per retry.
 */
export async function notifyIntegrationFailure(
  env: Env,
  db: Database,
  integration: { id: string; orgId: string; workspaceId: string; label: string; provider: string },
  providerName: string,
  reason: string,
  state: "needs_reconnect" | "error" = "needs_reconnect",
) {
  const [ws] = await db
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(and(eq(workspaces.id, integration.workspaceId), eq(workspaces.orgId, integration.orgId)))
    .limit(1);
  const where = ws?.name ?? "your workspace";
  const admins = await adminsOf(db, integration.orgId, integration.workspaceId);
  if (!admins.length) return;
  const title = state === "needs_reconnect" ? `Reconnect ${providerName} for ${where} on QWEB` : `${providerName} stopped syncing for ${where}`;
  const body = [
    `QWEB can no longer sync ${providerName} (${integration.label}) for the "${where}" workspace.`,
    failureMessage(integration.provider, reason),
    state === "needs_reconnect" ? "Syncing is paused until the account is reconnected." : "The sync history on the Integrations page has the details.",
  ].join("\n");
  await notify({ ctx: { env, db, now: Date.now() }, input: { recipients: admins.map((a) => ({ userId: a.id, email: a.email })), notice: { kind: "integration", title, body, link: `/workspaces/${integration.workspaceId}/integrations` } } });
}
