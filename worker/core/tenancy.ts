import { and, eq, isNull, sql } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import type { Database } from "../db/client";
import { memberships, organizations, portalAccess, workspaces, type OrgRole, type PortalRole } from "../db/schema";
import { forbidden, notFound } from "../lib/errors";
import { atLeast, type AppEnv, type OrgContext, type TenantContext, type WorkspaceRole } from "./context";

export { atLeast, type OrgContext, type TenantContext, type WorkspaceRole };

const fromOrgRole = (r: OrgRole): WorkspaceRole => (r === "member" ? "editor" : "org-admin");

/** The statement behind `getWorkspaceAccess` (with the workspace's time zone), for one D1 batch. */
export const workspaceAccessQuery = (db: Database, userId: string, workspaceId: string) =>
  db
    // Named columns: in a batch D1 keys a row by column name, and the two roles are both "role".
    .select({
      orgId: workspaces.orgId,
      timeZone: workspaces.timeZone,
      orgRole: sql<OrgRole | null>`${memberships.role}`.as("org_role"),
      portalRole: sql<PortalRole | null>`${portalAccess.role}`.as("portal_role"),
    })
    .from(workspaces)
    // An organization scheduled for deletion answers as if it were gone (P13: access blocked at once).
    .innerJoin(organizations, and(eq(organizations.id, workspaces.orgId), isNull(organizations.deletedAt)))
    .leftJoin(memberships, and(eq(memberships.orgId, workspaces.orgId), eq(memberships.userId, userId)))
    .leftJoin(portalAccess, and(eq(portalAccess.workspaceId, workspaces.id), eq(portalAccess.userId, userId)))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
type AccessRow = Awaited<ReturnType<typeof workspaceAccessQuery>>[number];

/** The tenant an access row grants, or NOT_FOUND when it grants nothing (no existence leak). */
function tenantOf(row: AccessRow | undefined, userId: string, workspaceId: string): TenantContext {
  if (!row || (!row.orgRole && !row.portalRole)) throw notFound("Workspace");
  const candidates: WorkspaceRole[] = [];
  if (row.orgRole) candidates.push(fromOrgRole(row.orgRole));
  if (row.portalRole) candidates.push(row.portalRole);
  const role = candidates.reduce((a, b) => (atLeast(a, b) ? a : b));
  return { userId, orgId: row.orgId, workspaceId, role, orgRole: row.orgRole ?? null };
}

/** The caller's access to a workspace, or NOT_FOUND when they have none (no existence leak). */
export async function getWorkspaceAccess(
  db: Database,
  userId: string,
  workspaceId: string,
): Promise<TenantContext> {
  const [row] = await workspaceAccessQuery(db, userId, workspaceId);
  return tenantOf(row, userId, workspaceId);
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

/** Each workspace's time zone as this isolate last read it: only a hint for `requireWorkspaceInBatch` (always checked against the row). */
const zoneHints = new Map<string, string>();
const ZONE_HINTS_MAX = 10_000;

/**
 * `requireWorkspace` for GET routes marked `sessionInBatch` that read through
 * `c.var.workspaceBatch`: the session check, the access check and the route's statements go to D1
 * as ONE batch (one round trip where the guard and the route took three), and the response is
 * built only once the first two passed. Fails closed: a handler that never calls it has the access
 * checked after it ran, and its response is replaced by the 404 or 403.
 */
export function requireWorkspaceInBatch(min: WorkspaceRole, param = "workspaceId"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param(param);
    if (!id) throw notFound("Workspace");
    let granted = false;
    const grant = (row: AccessRow | undefined) => {
      const tenant = tenantOf(row, c.var.auth.userId, id);
      if (!atLeast(tenant.role, min)) throw forbidden();
      c.set("tenant", tenant);
      c.set("tenantCtx", { ...c.var.ctx, tenant });
      granted = true;
      if (zoneHints.size >= ZONE_HINTS_MAX) zoneHints.clear();
      zoneHints.set(id, row!.timeZone);
      return tenant;
    };
    c.set("workspaceBatch", async (build) => {
      const hint = zoneHints.get(id) ?? "UTC";
      const queries = build({ workspaceId: id, timeZone: hint });
      const [access, ...results] = await c.var.withSessionBatch([workspaceAccessQuery(c.var.db, c.var.auth.userId, id), ...queries]);
      const row = (access as AccessRow[])[0];
      const tenant = grant(row);
      if (row!.timeZone === hint) return { tenant, timeZone: hint, results };
      const again = build({ workspaceId: id, timeZone: row!.timeZone });
      return { tenant, timeZone: row!.timeZone, results: again.length ? await c.var.withSessionBatch(again) : [] };
    });
    await next();
    if (!granted) grant((await workspaceAccessQuery(c.var.db, c.var.auth.userId, id))[0]);
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
