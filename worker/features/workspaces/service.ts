import { and, desc, eq, inArray, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, portalAccess, workspaces } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TenantContext, WorkspaceRole } from "../tenancy/access";

type Workspace = typeof workspaces.$inferSelect;
export const workspaceView = (w: Workspace, role: WorkspaceRole) => ({ ...w, role });

/** Every workspace the user can reach: all of their organizations' plus their portal workspaces. */
export async function listWorkspaces(db: Database, userId: string) {
  const [orgs, portal] = await db.batch([
    db.select({ orgId: memberships.orgId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)),
    db.select({ workspaceId: portalAccess.workspaceId, role: portalAccess.role }).from(portalAccess).where(eq(portalAccess.userId, userId)),
  ]);
  if (!orgs.length && !portal.length) return [];
  const orgIds = orgs.map((o) => o.orgId);
  const wsIds = portal.map((p) => p.workspaceId);
  const conds = [
    ...(orgIds.length ? [inArray(workspaces.orgId, orgIds)] : []),
    ...(wsIds.length ? [inArray(workspaces.id, wsIds)] : []),
  ];
  const rows = await db.select().from(workspaces).where(or(...conds)).orderBy(desc(workspaces.createdAt));
  const orgRole = new Map(orgs.map((o) => [o.orgId, o.role]));
  const portalRole = new Map(portal.map((p) => [p.workspaceId, p.role]));
  return rows.map((w) => {
    const r = orgRole.get(w.orgId);
    const role: WorkspaceRole = r ? (r === "member" ? "editor" : "org-admin") : portalRole.get(w.id)!;
    return workspaceView(w, role);
  });
}

export async function createWorkspace(
  db: Database,
  userId: string,
  input: { orgId?: string; name: string; description?: string },
  now = Date.now(),
) {
  const mine = await db
    .select({ orgId: memberships.orgId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId));
  let orgId = input.orgId;
  if (!orgId) {
    if (mine.length !== 1) throw new ApiError("VALIDATION_FAILED", "orgId is required when you belong to several organizations");
    orgId = mine[0]!.orgId;
  }
  const membership = mine.find((m) => m.orgId === orgId);
  if (!membership) throw notFound("Organization");
  if (membership.role === "member") throw forbidden("Only organization owners and admins create workspaces");
  const row: Workspace = {
    id: newId(),
    orgId,
    name: input.name,
    description: input.description ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(workspaces).values(row);
  return { workspace: workspaceView(row, "org-admin"), orgRole: membership.role };
}

export async function getWorkspace(db: Database, ctx: TenantContext) {
  const [row] = await db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.id, ctx.workspaceId), eq(workspaces.orgId, ctx.orgId)))
    .limit(1);
  if (!row) throw notFound("Workspace");
  return workspaceView(row, ctx.role);
}

export async function updateWorkspace(
  db: Database,
  ctx: TenantContext,
  patch: { name?: string; description?: string | null },
  now = Date.now(),
) {
  await db
    .update(workspaces)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(workspaces.id, ctx.workspaceId), eq(workspaces.orgId, ctx.orgId)));
  return getWorkspace(db, ctx);
}

export async function deleteWorkspace(db: Database, ctx: TenantContext) {
  await db.delete(workspaces).where(and(eq(workspaces.id, ctx.workspaceId), eq(workspaces.orgId, ctx.orgId)));
}
