import { and, asc, eq } from "drizzle-orm";
import { portalAccess, users, type PortalRole } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { TenantContext, TenantCtx } from "../../core/context";

const scoped = (t: TenantContext, userId?: string) =>
  and(eq(portalAccess.orgId, t.orgId), eq(portalAccess.workspaceId, t.workspaceId), userId ? eq(portalAccess.userId, userId) : undefined);

/** P02: the portal users of one workspace (invited clients), with their roles. */
export async function listPortalUsers({ ctx: { db, tenant }, input = {} }: { ctx: TenantCtx; input?: { userId?: string } }) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: portalAccess.role, createdAt: portalAccess.createdAt })
    .from(portalAccess)
    .innerJoin(users, eq(users.id, portalAccess.userId))
    .where(scoped(tenant, input.userId))
    .orderBy(asc(portalAccess.createdAt))
    .limit(1000);
}

export async function changePortalRole({ ctx, input: { userId, role } }: { ctx: TenantCtx; input: { userId: string; role: PortalRole } }) {
  const changed = await ctx.db.update(portalAccess).set({ role }).where(scoped(ctx.tenant, userId)).returning({ id: portalAccess.id });
  if (!changed.length) throw notFound("Portal user");
  const [user] = await listPortalUsers({ ctx, input: { userId } });
  return user!;
}

export async function revokePortalUser({ ctx, input: { userId } }: { ctx: TenantCtx; input: { userId: string } }) {
  const removed = await ctx.db.delete(portalAccess).where(scoped(ctx.tenant, userId)).returning({ id: portalAccess.id });
  if (!removed.length) throw notFound("Portal user");
}
