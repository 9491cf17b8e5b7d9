import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations } from "../../db/schema";
import { openCredentials } from "../integrations";
import type { Scope } from "./scope";
import { openKeys } from "./settings";

/** Short values (ids, flags) would match ordinary words; real tokens and keys are longer. */
const MIN_SECRET_LENGTH = 8;

/**
 * P09: every stored secret of the workspace (its integrations' decrypted credentials) and of the
 * organization (its AI keys). Kept only in memory for the check.
 */
export async function storedSecrets(env: Env, db: Database, scope: Scope): Promise<string[]> {
  const rows = await db
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.orgId, scope.orgId), eq(integrations.workspaceId, scope.workspaceId), isNull(integrations.disconnectedAt)));
  const out: string[] = [];
  for (const r of rows) out.push(...Object.values(await openCredentials(env, db, { id: r.id, orgId: scope.orgId, workspaceId: scope.workspaceId })));
  out.push(...Object.values(await openKeys(env, db, scope.orgId)));
  return out.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** The guard: true when the text holds any stored secret, so the prompt must not leave. */
export const containsSecret = (text: string, secrets: string[]) => secrets.some((s) => text.includes(s));
