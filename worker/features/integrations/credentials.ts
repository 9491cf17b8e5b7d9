import { and, eq, isNull, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrationCredentials, integrations } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import type { Secrets } from "../../connectors/types";

/** Where an integration's credentials belong: the AAD binds each ciphertext to org, integration and field. */
export type CredentialOwner = { id: string; orgId: string; workspaceId: string };

/** The AAD of one credential field: the one place its format is written (sealing, opening, rotation). */
export const credentialAad = (orgId: string, integrationId: string, field: string) => ({ orgId, recordId: integrationId, field });

export const WEBHOOK_SECRET = "webhookSecret";
const SECRET_FIELDS = ["accessToken", "refreshToken", "apiKey", "consumerKey", "consumerSecret"] as const satisfies (keyof Secrets)[];
export const isSecretField = (f: string): f is keyof Secrets => (SECRET_FIELDS as readonly string[]).includes(f);

/**
 * Statements that store `fields` encrypted (upsert per field). With `replace`, every other
 * connector secret of the integration is deleted first (a new grant replaces the old one; the
 * webhook secret stays).
 */
export async function sealStatements(
  env: Env,
  db: Database,
  owner: CredentialOwner,
  fields: Record<string, string | undefined>,
  opts: { replace?: boolean; now?: number } = {},
) {
  const vault = vaultFrom(env);
  const now = opts.now ?? Date.now();
  const rows = [];
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || value === "") continue;
    const ciphertext = await vault.encrypt(value, credentialAad(owner.orgId, owner.id, field));
    rows.push({ integrationId: owner.id, orgId: owner.orgId, workspaceId: owner.workspaceId, field, ciphertext, keyId: vault.currentKeyId, updatedAt: now });
  }
  const stmts = [];
  if (opts.replace) {
    stmts.push(
      db.delete(integrationCredentials).where(and(eq(integrationCredentials.integrationId, owner.id), eq(integrationCredentials.orgId, owner.orgId), ne(integrationCredentials.field, WEBHOOK_SECRET))),
    );
  }
  for (const row of rows) {
    stmts.push(
      db.insert(integrationCredentials).values(row).onConflictDoUpdate({
        target: [integrationCredentials.integrationId, integrationCredentials.field],
        set: { ciphertext: row.ciphertext, keyId: row.keyId, updatedAt: now },
      }),
    );
  }
  return stmts;
}

/** Decrypts every credential field of an integration; plaintext lives only in the returned object. */
export async function openCredentials(env: Env, db: Database, owner: CredentialOwner): Promise<Record<string, string>> {
  const rows = await db
    .select({ field: integrationCredentials.field, ciphertext: integrationCredentials.ciphertext })
    .from(integrationCredentials)
    .where(and(eq(integrationCredentials.integrationId, owner.id), eq(integrationCredentials.orgId, owner.orgId)));
  const vault = vaultFrom(env);
  const out: Record<string, string> = {};
  for (const r of rows) out[r.field] = await vault.decrypt(r.ciphertext, credentialAad(owner.orgId, owner.id, r.field));
  return out;
}

/** The encrypted credentials of a workspace's connected integrations, unexecuted (for a D1 batch). */
export const workspaceCredentialsQuery = (db: Database, scope: { orgId: string; workspaceId: string }) =>
  db
    .select({ integrationId: integrationCredentials.integrationId, field: integrationCredentials.field, ciphertext: integrationCredentials.ciphertext })
    .from(integrationCredentials)
    .innerJoin(integrations, and(eq(integrations.id, integrationCredentials.integrationId), eq(integrations.orgId, scope.orgId), eq(integrations.workspaceId, scope.workspaceId), isNull(integrations.disconnectedAt)))
    .where(eq(integrationCredentials.orgId, scope.orgId));

export type WorkspaceCredentialRow = Awaited<ReturnType<typeof workspaceCredentialsQuery>>[number];

/** Decrypts the rows `workspaceCredentialsQuery` read; the plaintexts live only in the returned list. */
export async function openWorkspaceCredentials(env: Env, orgId: string, rows: WorkspaceCredentialRow[]): Promise<string[]> {
  if (!rows.length) return [];
  const vault = vaultFrom(env);
  const out: string[] = [];
  for (const r of rows) out.push(await vault.decrypt(r.ciphertext, credentialAad(orgId, r.integrationId, r.field)));
  return out;
}

/** The connector-facing secrets (no webhook secret). */
export async function openSecrets(env: Env, db: Database, owner: CredentialOwner): Promise<Secrets> {
  const all = await openCredentials(env, db, owner);
  const secrets: Secrets = {};
  for (const [k, v] of Object.entries(all)) if (isSecretField(k)) secrets[k] = v;
  return secrets;
}

export const deleteCredentials = (db: Database, owner: CredentialOwner) =>
  db.delete(integrationCredentials).where(and(eq(integrationCredentials.integrationId, owner.id), eq(integrationCredentials.orgId, owner.orgId)));
