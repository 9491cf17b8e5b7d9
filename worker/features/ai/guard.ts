import type { Database } from "../../db/client";
import type { AiProviderId } from "../../db/schema";
import { openWorkspaceCredentials, workspaceCredentialsQuery, type WorkspaceCredentialRow } from "../integrations";
import type { Scope } from "./scope";
import { keysQuery, openKeyRows } from "./settings";

/** Short values (ids, flags) would match ordinary words; real tokens and keys are longer. */
const MIN_SECRET_LENGTH = 8;

/** The encrypted credentials of the workspace's connected integrations, as one query (for a D1 batch). */
export const credentialsQuery: (db: Database, scope: Scope) => ReturnType<typeof workspaceCredentialsQuery> = workspaceCredentialsQuery;

/**
 * P09: every stored secret of the workspace (its integrations' decrypted credentials) and of the
 * organization (its AI keys, already opened). Kept only in memory for the check. The guard
 * decrypts the rows it read in the job's own batch instead of one query per integration.
 */
export async function secretsOf(env: Env, scope: Scope, rows: WorkspaceCredentialRow[], keys: Partial<Record<AiProviderId, string>>): Promise<string[]> {
  const out = await openWorkspaceCredentials(env, scope.orgId, rows);
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
