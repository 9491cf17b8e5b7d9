import { and, eq } from "drizzle-orm";
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
