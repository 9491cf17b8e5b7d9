import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { portalAccess, users, type PortalRole } from "../../db/schema";
import { notFound } from "../../lib/errors";
import type { TenantContext } from "../../core/tenancy";

const scoped = (ctx: TenantContext, userId?: string) =>
  and(eq(portalAccess.orgId, ctx.orgId), eq(portalAccess.workspaceId, ctx.workspaceId), userId ? eq(portalAccess.userId, userId) : undefined);

/** P02: the portal users of one workspace (invited clients), with their roles. */
export async function listPortalUsers(db: Database, ctx: TenantContext, userId?: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: portalAccess.role, createdAt: portalAccess.createdAt })
    .from(portalAccess)
    .innerJoin(users, eq(users.id, portalAccess.userId))
    .where(scoped(ctx, userId))
    .orderBy(asc(portalAccess.createdAt))
    .limit(1000);
}

export async function changePortalRole(db: Database, ctx: TenantContext, userId: string, role: PortalRole) {
  const changed = await db.update(portalAccess).set({ role }).where(scoped(ctx, userId)).returning({ id: portalAccess.id });
  if (!changed.length) throw notFound("Portal user");
  const [user] = await listPortalUsers(db, ctx, userId);
  return user!;
}

export async function revokePortalUser(db: Database, ctx: TenantContext, userId: string) {
  const removed = await db.delete(portalAccess).where(scoped(ctx, userId)).returning({ id: portalAccess.id });
  if (!removed.length) throw notFound("Portal user");
}
