import { and, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, organizations, portalAccess, workspaces, type OrgRole, type PortalRole } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TenantCtx, WorkspaceRole } from "../../core/context";

type Workspace = typeof workspaces.$inferSelect;
export const workspaceView = (w: Workspace, role: WorkspaceRole) => ({ ...w, role });

/**
 * Every workspace the user can reach (all of their organizations' plus their portal workspaces)
 * as ONE query, so a list costs a single round trip. Returned unexecuted: the route runs it in
 * the same D1 batch as the session check.
 */
export function workspacesVisibleTo(db: Database, userId: string) {
  return db
    .select({
      workspace: workspaces,
      // Aliased: D1 batches key row values by column name, and both tables have a `role`.
      orgRole: sql<OrgRole | null>`${memberships.role}`.as("org_role"),
      portalRole: sql<PortalRole | null>`${portalAccess.role}`.as("portal_role"),
    })
    .from(workspaces)
    // Organizations scheduled for deletion are gone for their members at once (P13).
    .innerJoin(organizations, and(eq(organizations.id, workspaces.orgId), isNull(organizations.deletedAt)))
    .leftJoin(memberships, and(eq(memberships.orgId, workspaces.orgId), eq(memberships.userId, userId)))
    .leftJoin(portalAccess, and(eq(portalAccess.workspaceId, workspaces.id), eq(portalAccess.userId, userId)))
    .where(
      or(
        inArray(workspaces.orgId, db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId))),
        inArray(workspaces.id, db.select({ id: portalAccess.workspaceId }).from(portalAccess).where(eq(portalAccess.userId, userId))),
      ),
    )
    .orderBy(desc(workspaces.createdAt));
}

type VisibleRow = { workspace: Workspace; orgRole: OrgRole | null; portalRole: PortalRole | null };

export const toWorkspaceViews = (rows: VisibleRow[]) =>
  rows.map(({ workspace, orgRole, portalRole }) => {
    const role: WorkspaceRole = orgRole ? (orgRole === "member" ? "editor" : "org-admin") : portalRole!;
    return workspaceView(workspace, role);
  });

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

export async function getWorkspace({ ctx: { db, tenant: ctx } }: { ctx: TenantCtx; input?: undefined }) {
  const [row] = await db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.id, ctx.workspaceId), eq(workspaces.orgId, ctx.orgId)))
    .limit(1);
  if (!row) throw notFound("Workspace");
  return workspaceView(row, ctx.role);
}

export async function updateWorkspace({ ctx, input }: { ctx: TenantCtx; input: { name?: string; description?: string | null } }) {
  const { workspaceId, orgId } = ctx.tenant;
  await ctx.db
    .update(workspaces)
    .set({ ...input, updatedAt: ctx.now })
    .where(and(eq(workspaces.id, workspaceId), eq(workspaces.orgId, orgId)));
  return getWorkspace({ ctx });
}

export async function deleteWorkspace({ ctx: { db, tenant: ctx } }: { ctx: TenantCtx; input?: undefined }) {
  await db.delete(workspaces).where(and(eq(workspaces.id, ctx.workspaceId), eq(workspaces.orgId, ctx.orgId)));
}
