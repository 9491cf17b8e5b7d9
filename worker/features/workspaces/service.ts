import { and, desc, eq, inArray, isNull, lt, or, sql, type Placeholder } from "drizzle-orm";
import { memberships, organizations, portalAccess, workspaces, type OrgRole, type PortalRole } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Ctx, TenantCtx, WorkspaceRole } from "../../core/context";
import { encodeCursor, type ListWorkspacesQuery } from "./schemas";

type Workspace = typeof workspaces.$inferSelect;

export const workspaceView = (w: Workspace, role: WorkspaceRole) => ({ ...w, role });

type Param<T> = T | Placeholder;
type VisibleQuery = { userId: Param<string>; rows: Param<number>; after?: { createdAt: Param<number>; id: Param<string> }; q?: Param<string> };

/**
 * Every workspace the user can reach (all of their organizations' plus their portal workspaces)
 * as ONE query, so a list costs a single round trip: `rows` of them, newest first, after the
 * cursor's row. Returned unexecuted, its values bound or placeholders.
 */
function workspacesVisibleTo(db: Ctx["db"], { userId, rows, after, q }: VisibleQuery) {
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
      and(
        or(
          inArray(workspaces.orgId, db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, userId))),
          inArray(workspaces.id, db.select({ id: portalAccess.workspaceId }).from(portalAccess).where(eq(portalAccess.userId, userId))),
        ),
        after ? or(lt(workspaces.createdAt, after.createdAt), and(eq(workspaces.createdAt, after.createdAt), lt(workspaces.id, after.id))) : undefined,
        q ? sql`instr(lower(${workspaces.name}), lower(${q})) > 0` : undefined,
      ),
    )
    .orderBy(desc(workspaces.createdAt), desc(workspaces.id))
    // Sent as `LIMIT ? + 0` (worker/db/client.ts): a bare bound LIMIT re-plans on every execution.
    .limit(rows);
}

type VisibleRow = { workspace: Workspace; orgRole: OrgRole | null; portalRole: PortalRole | null };

/**
 * A page of the list as ONE scalar subquery (a JSON array), so that the route's single statement
 * is the session check itself carrying the page (`withSessionValue`): one statement instead of a
 * batch of two (bench/api.bench.mjs measures the list against a one-read floor). Its SQL is built
 * once per shape (with or without cursor and search) and isolate; the values are placeholders.
 */
export function workspacesVisibleToJson({ ctx, input: { userId, limit, cursor, q } }: { ctx: Ctx; input: ListWorkspacesQuery & { userId: string } }) {
  const shape: VisibleQuery = {
    userId: sql.placeholder("userId"),
    // One row more than the page: whether there is a next page, without a COUNT.
    rows: sql.placeholder("rows"),
    ...(cursor ? { after: { createdAt: sql.placeholder("afterAt"), id: sql.placeholder("afterId") } } : {}),
    ...(q ? { q: sql.placeholder("q") } : {}),
  };
  return {
    key: `workspaces${cursor ? ":after" : ""}${q ? ":q" : ""}`,
    value: () =>
      sql<string>`(select json_group_array(json_object('id', w.id, 'orgId', w.org_id, 'name', w.name, 'description', w.description, 'timeZone', w.time_zone, 'createdAt', w.created_at, 'updatedAt', w.updated_at, 'orgRole', w.org_role, 'portalRole', w.portal_role)) from (${workspacesVisibleTo(ctx.db, shape)}) w)`,
    params: { userId, rows: limit + 1, ...(cursor ? { afterAt: cursor.createdAt, afterId: cursor.id } : {}), ...(q ? { q } : {}) },
  };
}

/** The rows of `workspacesVisibleToJson`, newest first (as the list query orders them). */
export function visibleRowsOf(json: string): VisibleRow[] {
  const flat = JSON.parse(json) as (Workspace & { orgRole: OrgRole | null; portalRole: PortalRole | null })[];
  flat.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return flat.map(({ orgRole, portalRole, ...workspace }) => ({ workspace, orgRole, portalRole }));
}

/** A page of views and the cursor of the next page (null on the last one). */
export function toWorkspacePage(rows: VisibleRow[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { workspaces: toWorkspaceViews(page), nextCursor: rows.length > limit && last ? encodeCursor(last.workspace) : null };
}

export const toWorkspaceViews = (rows: VisibleRow[]) =>
  rows.map(({ workspace, orgRole, portalRole }) => {
    const role: WorkspaceRole = orgRole ? (orgRole === "member" ? "editor" : "org-admin") : portalRole!;
    return workspaceView(workspace, role);
  });

export async function createWorkspace({ ctx, input }: { ctx: Ctx; input: { userId: string; orgId?: string; name: string; description?: string } }) {
  const { db, now, config } = ctx;
  const { userId } = input;
  const maxPerOrg = config.MAX_WORKSPACES_PER_ORG;
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
    timeZone: "UTC",
    createdAt: now,
    updatedAt: now,
  };
  // The count and the insert are one statement, so concurrent creates cannot pass the cap together.
  const inserted = await db.run(sql`
    INSERT INTO workspaces (id, org_id, name, description, created_at, updated_at)
    SELECT ${row.id}, ${row.orgId}, ${row.name}, ${row.description}, ${row.createdAt}, ${row.updatedAt}
    WHERE (SELECT COUNT(*) FROM workspaces WHERE org_id = ${orgId}) < ${maxPerOrg}`);
  if (inserted.meta.changes === 0) {
    throw new ApiError("LIMIT_REACHED", `This organization has reached its limit of ${maxPerOrg} workspaces. Delete one you no longer need, or ask us to raise the limit.`, {
      details: { limit: maxPerOrg },
    });
  }
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
