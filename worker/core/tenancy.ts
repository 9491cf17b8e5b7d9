import { and, eq, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Database } from "../db/client";
import { memberships, organizations, portalAccess, workspaces, type OrgRole } from "../db/schema";
import { forbidden, notFound } from "../lib/errors";
import { atLeast, type AppEnv, type OrgContext, type TenantContext, type WorkspaceRole } from "./context";

export { atLeast, type OrgContext, type TenantContext, type WorkspaceRole };

const fromOrgRole = (r: OrgRole): WorkspaceRole => (r === "member" ? "editor" : "org-admin");

/** The caller's access to a workspace, or NOT_FOUND when they have none (no existence leak). */
export async function getWorkspaceAccess(
  db: Database,
  userId: string,
  workspaceId: string,
): Promise<TenantContext> {
  const [row] = await db
    .select({ orgId: workspaces.orgId, orgRole: memberships.role, portalRole: portalAccess.role })
    .from(workspaces)
    // An organization scheduled for deletion answers as if it were gone (P13: access blocked at once).
    .innerJoin(organizations, and(eq(organizations.id, workspaces.orgId), isNull(organizations.deletedAt)))
    .leftJoin(memberships, and(eq(memberships.orgId, workspaces.orgId), eq(memberships.userId, userId)))
    .leftJoin(portalAccess, and(eq(portalAccess.workspaceId, workspaces.id), eq(portalAccess.userId, userId)))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  if (!row || (!row.orgRole && !row.portalRole)) throw notFound("Workspace");
  const candidates: WorkspaceRole[] = [];
  if (row.orgRole) candidates.push(fromOrgRole(row.orgRole));
  if (row.portalRole) candidates.push(row.portalRole);
  const role = candidates.reduce((a, b) => (atLeast(a, b) ? a : b));
  return { userId, orgId: row.orgId, workspaceId, role, orgRole: row.orgRole ?? null };
}

/**
 * The caller's membership of an organization, or NOT_FOUND. An organization scheduled for deletion
 * is NOT_FOUND too, except where `includeDeleted` (its owner cancelling the deletion).
 */
export async function getOrgAccess(
  db: Database,
  userId: string,
  orgId: string,
  opts: { includeDeleted?: boolean } = {},
): Promise<OrgContext> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(
      and(
        eq(memberships.orgId, orgId),
        eq(memberships.userId, userId),
        opts.includeDeleted ? undefined : isNull(organizations.deletedAt),
      ),
    )
    .limit(1);
  if (!row) throw notFound("Organization");
  return { userId, orgId, role: row.role };
}

/** Route guard for `/:workspaceId/...`: sets `c.var.tenant`; 404 without access, 403 below `min`. */
export function requireWorkspace(min: WorkspaceRole, param = "workspaceId"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param(param);
    if (!id) throw notFound("Workspace");
    const tenant = await getWorkspaceAccess(c.var.db, c.var.auth.userId, id);
    if (!atLeast(tenant.role, min)) throw forbidden();
    c.set("tenant", tenant);
    c.set("tenantCtx", { ...c.var.ctx, tenant });
    await next();
  };
}

/** Route guard for `/orgs/:orgId/...`: sets `c.var.org`; 404 for non-members, 403 below `min`. */
export function requireOrg(min: OrgRole, param = "orgId", opts: { includeDeleted?: boolean } = {}): MiddlewareHandler<AppEnv> {
  const orgRank: Record<OrgRole, number> = { member: 1, admin: 2, owner: 3 };
  return async (c, next) => {
    const id = c.req.param(param);
    if (!id) throw notFound("Organization");
    const org = await getOrgAccess(c.var.db, c.var.auth.userId, id, opts);
    if (orgRank[org.role] < orgRank[min]) throw forbidden();
    c.set("org", org);
    c.set("orgCtx", { ...c.var.ctx, org });
    await next();
  };
}
