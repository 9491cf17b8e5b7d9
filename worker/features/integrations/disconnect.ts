import { and, eq } from "drizzle-orm";
import type { TenantCtx } from "../../core/context";
import { integrations } from "../../db/schema";
import { getConnector } from "../../connectors";
import { buildRuntime } from "../../connectors/runtime";
import { deleteCredentials, openSecrets } from "./credentials";
import { getIntegration, syncStub } from "./service";

/**
 * P14: revokes the tokens at the provider where it offers revocation, deletes the credentials
 * now, stops every sync, and marks the integration disconnected: the retention run deletes it
 * and all its synced data 30 days later (registry rule on `disconnected_at`).
 */
export async function disconnectIntegration({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const { env, db, now } = ctx;
  const row = await getIntegration({ ctx, input });
  const connector = getConnector(row.provider);
  const secrets = await openSecrets(env, db, row).catch(() => null);
  await db.batch([
    deleteCredentials(db, row),
    db
      .update(integrations)
      .set({ status: "disconnected", disconnectedAt: now, updatedAt: now })
      .where(and(eq(integrations.id, row.id), eq(integrations.orgId, row.orgId), eq(integrations.workspaceId, row.workspaceId))),
  ]);
  await syncStub(env, row.workspaceId).forget(row.id);
  if (secrets && connector?.auth.kind === "oauth2" && connector.auth.flow.revoke) {
    try {
      await connector.auth.flow.revoke(buildRuntime(env, connector.id), { secrets, account: row.account });
    } catch (err) {
      // The credentials are already gone here; an unrevoked token dies with its expiry or the user's provider settings.
      console.warn(JSON.stringify({ level: "warn", event: "revoke-failed", provider: row.provider, integrationId: row.id, error: err instanceof Error ? err.name : "unknown" }));
    }
  }
}
