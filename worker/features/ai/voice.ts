import { and, eq } from "drizzle-orm";
import type { TenantCtx } from "../../core/context";
import { brandVoices, type BrandVoice } from "../../db/schema";
import { DEFAULT_VOICE } from "./context";

/** The workspace's brand voice, or the default until one is saved. */
export async function getBrandVoice({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const { db, tenant: t } = ctx;
  const [row] = await db.select().from(brandVoices).where(and(eq(brandVoices.workspaceId, t.workspaceId), eq(brandVoices.orgId, t.orgId))).limit(1);
  return { voice: row?.voice ?? DEFAULT_VOICE, saved: !!row, updatedAt: row?.updatedAt ?? null };
}

export async function saveBrandVoice({ ctx, input: voice }: { ctx: TenantCtx; input: BrandVoice }) {
  const { db, tenant: t, now } = ctx;
  await db
    .insert(brandVoices)
    .values({ workspaceId: t.workspaceId, orgId: t.orgId, voice, updatedBy: t.userId, updatedAt: now })
    .onConflictDoUpdate({ target: brandVoices.workspaceId, set: { voice, updatedBy: t.userId, updatedAt: now } });
  return { voice, saved: true, updatedAt: now };
}
