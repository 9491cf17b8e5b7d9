// A mailbox's OAuth tokens in the vault (AES-256-GCM, AAD org|mailbox|field); plaintext only in memory.
import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mailboxCredentials } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import type { Secrets } from "../../connectors/types";

export type MailboxOwner = { id: string; orgId: string };

export async function sealMailboxSecrets(env: Env, db: Database, owner: MailboxOwner, secrets: Secrets, now: number) {
  const vault = vaultFrom(env);
  const stmts = [];
  for (const [field, value] of Object.entries(secrets)) {
    if (!value) continue;
    const ciphertext = await vault.encrypt(value, { orgId: owner.orgId, recordId: owner.id, field });
    stmts.push(
      db.insert(mailboxCredentials).values({ mailboxId: owner.id, orgId: owner.orgId, field, ciphertext, keyId: vault.currentKeyId, updatedAt: now })
        .onConflictDoUpdate({ target: [mailboxCredentials.mailboxId, mailboxCredentials.field], set: { ciphertext, keyId: vault.currentKeyId, updatedAt: now } }),
    );
  }
  return stmts;
}

export async function openMailboxSecrets(env: Env, db: Database, owner: MailboxOwner): Promise<Secrets> {
  const rows = await db.select().from(mailboxCredentials).where(and(eq(mailboxCredentials.mailboxId, owner.id), eq(mailboxCredentials.orgId, owner.orgId)));
  const vault = vaultFrom(env);
  const out: Secrets = {};
  for (const r of rows) (out as Record<string, string>)[r.field] = await vault.decrypt(r.ciphertext, { orgId: owner.orgId, recordId: owner.id, field: r.field });
  return out;
}

export const deleteMailboxCredentials = (db: Database, owner: MailboxOwner) =>
  db.delete(mailboxCredentials).where(and(eq(mailboxCredentials.mailboxId, owner.id), eq(mailboxCredentials.orgId, owner.orgId)));
