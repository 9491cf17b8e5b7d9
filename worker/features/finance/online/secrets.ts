import { and, count, eq, ne } from "drizzle-orm";
import type { Database } from "../../../db/client";
import { financeSecrets } from "../../../db/schema";
import { vaultFrom } from "../../../lib/vault";

const RECORD = "stripe-account";
export type AgencyStripe = { secretKey: string; webhookSecret: string };

/** Seals the agency's Stripe secrets (AAD: organization, record, field) as statements for one batch. */
export async function sealStripe(env: Env, db: Database, orgId: string, s: AgencyStripe, now: number) {
  const vault = vaultFrom(env);
  const rows = await Promise.all(
    (Object.entries({ stripeSecretKey: s.secretKey, stripeWebhookSecret: s.webhookSecret }) as [string, string][]).map(async ([field, value]) => ({
      orgId, field, ciphertext: await vault.encrypt(value, { orgId, recordId: RECORD, field }), keyId: vault.currentKeyId,
      hint: field === "stripeSecretKey" ? `${value.startsWith("sk_live_") ? "live" : "test"} key …${value.slice(-4)}` : "signing secret", updatedAt: now,
    })),
  );
  return rows.map((r) => db.insert(financeSecrets).values(r).onConflictDoUpdate({ target: [financeSecrets.orgId, financeSecrets.field], set: { ciphertext: r.ciphertext, keyId: r.keyId, hint: r.hint, updatedAt: now } }));
}

export async function openStripe(env: Env, db: Database, orgId: string): Promise<AgencyStripe | null> {
  const rows = await db.select().from(financeSecrets).where(eq(financeSecrets.orgId, orgId));
  const vault = vaultFrom(env);
  const get = async (field: string) => {
    const r = rows.find((x) => x.field === field);
    return r ? vault.decrypt(r.ciphertext, { orgId, recordId: RECORD, field }) : null;
  };
  const [secretKey, webhookSecret] = await Promise.all([get("stripeSecretKey"), get("stripeWebhookSecret")]);
  return secretKey && webhookSecret ? { secretKey, webhookSecret } : null;
}

export async function stripeHint(db: Database, orgId: string) {
  const [r] = await db.select({ hint: financeSecrets.hint, updatedAt: financeSecrets.updatedAt }).from(financeSecrets).where(and(eq(financeSecrets.orgId, orgId), eq(financeSecrets.field, "stripeSecretKey"))).limit(1);
  return r ?? null;
}

export const forgetStripe = (db: Database, orgId: string) => db.delete(financeSecrets).where(eq(financeSecrets.orgId, orgId));

/**
 * Vault rotation for the agency Stripe secrets, like integration credentials: re-encrypts one
 * bounded batch sealed with an older key; an update applies only if the row still holds the
 * ciphertext that was read (a reconnect meanwhile wins).
 */
export async function rotateFinanceSecretsBatch(env: Env, db: Database, limit: number) {
  const vault = vaultFrom(env);
  const stale = limit > 0 ? await db.select().from(financeSecrets).where(ne(financeSecrets.keyId, vault.currentKeyId)).limit(limit) : [];
  const updates = [];
  let unreadable = 0;
  for (const row of stale) {
    const aad = { orgId: row.orgId, recordId: RECORD, field: row.field };
    let plaintext: string;
    try {
      plaintext = await vault.decrypt(row.ciphertext, aad);
    } catch {
      unreadable++; // sealed with a key no longer in the keyring: the agency reconnects Stripe
      continue;
    }
    const ciphertext = await vault.encrypt(plaintext, aad);
    updates.push(
      db.update(financeSecrets).set({ ciphertext, keyId: vault.currentKeyId }).where(and(eq(financeSecrets.orgId, row.orgId), eq(financeSecrets.field, row.field), eq(financeSecrets.ciphertext, row.ciphertext))),
    );
  }
  if (updates.length) await db.batch(updates as [(typeof updates)[0], ...typeof updates]);
  const [left] = await db.select({ n: count() }).from(financeSecrets).where(ne(financeSecrets.keyId, vault.currentKeyId));
  return { rotated: updates.length, unreadable, remaining: left?.n ?? 0 };
}
