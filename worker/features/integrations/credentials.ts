import { and, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrationCredentials } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import type { Secrets } from "../../connectors/types";

/** Where an integration's credentials belong: the AAD binds each ciphertext to org, integration and field. */
export type CredentialOwner = { id: string; orgId: string; workspaceId: string };

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
    const ciphertext = await vault.encrypt(value, { orgId: owner.orgId, recordId: owner.id, field });
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
  for (const r of rows) out[r.field] = await vault.decrypt(r.ciphertext, { orgId: owner.orgId, recordId: owner.id, field: r.field });
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
