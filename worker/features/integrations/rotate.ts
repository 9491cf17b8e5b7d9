import { and, eq, ne, sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { integrationCredentials } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import { credentialAad } from "./credentials";

export const ROTATION_BATCH = 100;

/**
 * Re-encrypts credentials sealed with an older key to the current key, one bounded batch per
 * call (`remaining` says whether to call again). Each update only applies if the row still holds
 * the ciphertext that was read, so a concurrent refresh is never overwritten with stale tokens.
 */
export async function rotateVaultBatch(env: Env, limit = ROTATION_BATCH): Promise<{ rotated: number; unreadable: number; remaining: number; currentKeyId: string }> {
  const db = createDb(env.DB);
  const vault = vaultFrom(env);
  const stale = await db
    .select()
    .from(integrationCredentials)
    .where(ne(integrationCredentials.keyId, vault.currentKeyId))
    .limit(limit);
  const updates = [];
  let unreadable = 0;
  for (const row of stale) {
    const aad = credentialAad(row.orgId, row.integrationId, row.field);
    let plaintext: string;
    try {
      plaintext = await vault.decrypt(row.ciphertext, aad);
    } catch {
      // Sealed with a key no longer in the keyring: nothing can read it; its integration needs a reconnect.
      unreadable++;
      continue;
    }
    const ciphertext = await vault.encrypt(plaintext, aad);
    updates.push(
      db
        .update(integrationCredentials)
        .set({ ciphertext, keyId: vault.currentKeyId })
        .where(
          and(
            eq(integrationCredentials.integrationId, row.integrationId),
            eq(integrationCredentials.field, row.field),
            eq(integrationCredentials.ciphertext, row.ciphertext),
          ),
        ),
    );
  }
  if (updates.length) await db.batch(updates as [(typeof updates)[0], ...typeof updates]);
  const [left] = await db
    .select({ n: sql<number>`count(*)` })
    .from(integrationCredentials)
    .where(ne(integrationCredentials.keyId, vault.currentKeyId));
  return { rotated: updates.length, unreadable, remaining: left?.n ?? 0, currentKeyId: vault.currentKeyId };
}
