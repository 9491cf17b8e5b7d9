import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, portalAccess, users, workspaces } from "../../db/schema";
import { sendEmail } from "../../core/email/outbound";
import { readConfig } from "../../env";

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

export async function notifyNeedsReconnect(
  env: Env,
  db: Database,
  integration: { id: string; orgId: string; workspaceId: string; label: string },
  providerName: string,
  reason: string,
) {
  const [ws] = await db
    .select({ name: workspaces.name })
    .from(workspaces)
    .where(and(eq(workspaces.id, integration.workspaceId), eq(workspaces.orgId, integration.orgId)))
    .limit(1);
  const link = `${readConfig(env).APP_URL.replace(/\/$/, "")}/workspaces/${integration.workspaceId}/integrations`;
  for (const admin of await adminsOf(db, integration.orgId, integration.workspaceId)) {
    await sendEmail(env, {
      to: admin.email,
      userId: admin.id,
      subject: `Reconnect ${providerName} for ${ws?.name ?? "your workspace"} on QWEB`,
      text: [
        `Hi ${admin.name},`,
        "",
        `QWEB can no longer sync ${providerName} (${integration.label}) for the "${ws?.name ?? "workspace"}" workspace:`,
        reason,
        "",
        "Syncing is paused until the account is reconnected. Reconnect it here:",
        link,
      ].join("\n"),
    });
  }
}
