import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrationCredentials, integrations } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import type { AiProviderId } from "../../db/schema";
import type { Scope } from "./scope";
import { keysQuery, openKeyRows } from "./settings";

/** Short values (ids, flags) would match ordinary words; real tokens and keys are longer. */
const MIN_SECRET_LENGTH = 8;

/** The encrypted credentials of the workspace's connected integrations, as one query (for a D1 batch). */
export const credentialsQuery = (db: Database, scope: Scope) =>
  db
    .select({ integrationId: integrationCredentials.integrationId, field: integrationCredentials.field, ciphertext: integrationCredentials.ciphertext })
    .from(integrationCredentials)
    .innerJoin(integrations, and(eq(integrations.id, integrationCredentials.integrationId), eq(integrations.orgId, scope.orgId), eq(integrations.workspaceId, scope.workspaceId), isNull(integrations.disconnectedAt)))
    .where(eq(integrationCredentials.orgId, scope.orgId));

type CredentialRow = Awaited<ReturnType<typeof credentialsQuery>>[number];

/**
 * P09: every stored secret of the workspace (its integrations' decrypted credentials) and of the
 * organization (its AI keys, already opened). Kept only in memory for the check. The AAD is the
 * integrations feature's (organization | integration | field, see its credentials.ts): the
 * guard decrypts the rows it read in the job's own batch instead of one query per integration.
 */
export async function secretsOf(env: Env, scope: Scope, rows: CredentialRow[], keys: Partial<Record<AiProviderId, string>>): Promise<string[]> {
  const vault = rows.length ? vaultFrom(env) : null;
  const out: string[] = [];
  for (const r of rows) out.push(await vault!.decrypt(r.ciphertext, { orgId: scope.orgId, recordId: r.integrationId, field: r.field }));
  out.push(...Object.values(keys));
  return out.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** The same secrets read in one round trip (for callers outside the queue consumer). */
export async function storedSecrets(env: Env, db: Database, scope: Scope): Promise<string[]> {
  const [creds, keys] = await db.batch([credentialsQuery(db, scope), keysQuery(db, scope.orgId)]);
  return secretsOf(env, scope, creds, await openKeyRows(env, scope.orgId, keys));
}

/** The guard: true when the text holds any stored secret, so the prompt must not leave. */
export const containsSecret = (text: string, secrets: string[]) => secrets.some((s) => text.includes(s));
