import { and, eq, gte, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiKeys, aiSettings, aiUsage, aiProviders, type AiProviderId } from "../../db/schema";
import { vaultFrom } from "../../lib/vault";
import { readConfig } from "../../env";
import { DEFAULT_MODELS, PRICES } from "../../connectors/ai/prices";
import type { OrgCtx } from "../../core/context";

export type Settings = {
  textProvider: AiProviderId;
  textModel: string;
  imageProvider: AiProviderId;
  imageModel: string;
  fallback: AiProviderId[];
  budgetMicros: number | null;
  currency: string;
  warnedMonth: string | null;
};

const ENV_KEYS: Record<Exclude<AiProviderId, "local">, "ANTHROPIC_API_KEY" | "OPENAI_API_KEY" | "GEMINI_API_KEY"> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
  gemini: "GEMINI_API_KEY",
};

export const envKeyOf = (env: Env, p: AiProviderId): string | undefined => (p === "local" ? undefined : readConfig(env)[ENV_KEYS[p]]);

/** With no settings saved: the first provider the deployment has a key for, else local. */
export function defaultSettings(env: Env): Settings {
  const text = (["anthropic", "openai", "gemini"] as const).find((p) => envKeyOf(env, p)) ?? "local";
  const image = (["openai", "gemini"] as const).find((p) => envKeyOf(env, p)) ?? "local";
  return { textProvider: text, textModel: DEFAULT_MODELS[text].text, imageProvider: image, imageModel: DEFAULT_MODELS[image].image!, fallback: ["local"], budgetMicros: null, currency: "USD", warnedMonth: null };
}

export const settingsQuery = (db: Database, orgId: string) => db.select().from(aiSettings).where(eq(aiSettings.orgId, orgId)).limit(1);

/** The saved settings from `settingsQuery`'s rows, or the defaults. */
export function settingsOf(env: Env, rows: (typeof aiSettings.$inferSelect)[]): Settings {
  const row = rows[0];
  if (!row) return defaultSettings(env);
  const { orgId: _o, updatedAt: _u, updatedBy: _b, ...s } = row;
  return s;
}

export async function getSettings(env: Env, db: Database, orgId: string): Promise<Settings> {
  return settingsOf(env, await settingsQuery(db, orgId));
}

export async function saveSettings(db: Database, orgId: string, userId: string, s: Omit<Settings, "warnedMonth">, now: number) {
  // A changed budget earns a fresh 80 % warning.
  const values = { ...s, orgId, updatedBy: userId, updatedAt: now, warnedMonth: null };
  await db.insert(aiSettings).values(values).onConflictDoUpdate({ target: aiSettings.orgId, set: values });
}

const aad = (orgId: string, provider: AiProviderId) => ({ orgId, recordId: "ai-key", field: provider });

/** Stores a bring-your-own key encrypted (write-only: no route ever answers it). */
export async function setKey(env: Env, db: Database, orgId: string, provider: AiProviderId, key: string, now: number) {
  const vault = vaultFrom(env);
  const ciphertext = await vault.encrypt(key, aad(orgId, provider));
  await db.insert(aiKeys).values({ orgId, provider, ciphertext, keyId: vault.currentKeyId, updatedAt: now }).onConflictDoUpdate({ target: [aiKeys.orgId, aiKeys.provider], set: { ciphertext, keyId: vault.currentKeyId, updatedAt: now } });
}

export const deleteKey = (db: Database, orgId: string, provider: AiProviderId) => db.delete(aiKeys).where(and(eq(aiKeys.orgId, orgId), eq(aiKeys.provider, provider)));

/** Which providers have a key, and from where: the organization's own or the deployment's. */
export async function keyStatus(env: Env, db: Database, orgId: string) {
  const rows = await db.select({ provider: aiKeys.provider, updatedAt: aiKeys.updatedAt }).from(aiKeys).where(eq(aiKeys.orgId, orgId));
  return aiProviders.map((p) => {
    const own = rows.find((r) => r.provider === p);
    return { provider: p, source: p === "local" ? ("builtin" as const) : own ? ("organization" as const) : envKeyOf(env, p) ? ("deployment" as const) : ("none" as const), updatedAt: own?.updatedAt ?? null };
  });
}

/** The organization's own keys, decrypted for one job (plaintext lives only in the returned map). */
export async function openKeys(env: Env, db: Database, orgId: string): Promise<Partial<Record<AiProviderId, string>>> {
  return openKeyRows(env, orgId, await keysQuery(db, orgId));
}

export const keysQuery = (db: Database, orgId: string) => db.select().from(aiKeys).where(eq(aiKeys.orgId, orgId));

/** Decrypts the rows of `keysQuery`. */
export async function openKeyRows(env: Env, orgId: string, rows: (typeof aiKeys.$inferSelect)[]): Promise<Partial<Record<AiProviderId, string>>> {
  if (rows.length === 0) return {};
  const vault = vaultFrom(env);
  const out: Partial<Record<AiProviderId, string>> = {};
  for (const r of rows) out[r.provider] = await vault.decrypt(r.ciphertext, aad(orgId, r.provider));
  return out;
}

export const monthOf = (now: number) => new Date(now).toISOString().slice(0, 7);
export const monthStart = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/** The organization's AI spend this calendar month (UTC), in micro-units. */
export async function monthSpend(db: Database, orgId: string, now: number): Promise<number> {
  const [row] = await monthSpendQuery(db, orgId, now);
  return Number(row?.total ?? 0);
}

export const monthSpendQuery = (db: Database, orgId: string, now: number) =>
  db
    .select({ total: sql<number>`coalesce(sum(${aiUsage.costMicros}), 0)` })
    .from(aiUsage)
    .where(and(eq(aiUsage.orgId, orgId), gte(aiUsage.createdAt, monthStart(now))));

/** The same sum as a scalar subquery, for statements that decide on it inside D1. */
export const monthSpendSql = (orgId: string, now: number) =>
  sql<number>`(select coalesce(sum(${aiUsage.costMicros}), 0) from ${aiUsage} where ${aiUsage.orgId} = ${orgId} and ${aiUsage.createdAt} >= ${monthStart(now)})`;

// ── Verbs of the /api/orgs/:orgId/ai routes (organization admins) ──

/** Providers, models, fallback, budget, which keys are set (never the keys) and this month's spend. */
export async function aiSettingsOf({ ctx }: { ctx: OrgCtx; input?: undefined }) {
  const { env, db, org, now } = ctx;
  const [settings, keys, spent] = await Promise.all([getSettings(env, db, org.orgId), keyStatus(env, db, org.orgId), monthSpend(db, org.orgId, now)]);
  const { warnedMonth: _w, ...shown } = settings;
  const models = Object.fromEntries(Object.entries(PRICES).map(([p, m]) => [p, Object.keys(m)]));
  return { settings: shown, keys, spentThisMonthMicros: spent, models };
}

export async function saveAiSettings({ ctx, input }: { ctx: OrgCtx; input: Omit<Settings, "warnedMonth" | "currency"> }) {
  const settings = { ...input, currency: "USD" };
  await saveSettings(ctx.db, ctx.org.orgId, ctx.org.userId, settings, ctx.now);
  return { settings };
}

export const storeAiKey = ({ ctx, input }: { ctx: OrgCtx; input: { provider: AiProviderId; apiKey: string } }) => setKey(ctx.env, ctx.db, ctx.org.orgId, input.provider, input.apiKey, ctx.now);
export const removeAiKey = async ({ ctx, input }: { ctx: OrgCtx; input: { provider: AiProviderId } }) => {
  await deleteKey(ctx.db, ctx.org.orgId, input.provider);
};
