import { and, asc, eq, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { memberships, organizations, portalAccess, users, type OrgRole } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import type { OrgContext } from "../../core/tenancy";

export async function getOrg(db: Database, ctx: OrgContext) {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(eq(organizations.id, ctx.orgId))
    .limit(1);
  if (!row) throw notFound("Organization");
  return { ...row, role: ctx.role };
}

export async function updateOrg(db: Database, ctx: OrgContext, patch: { name?: string; kind?: "agency" | "business" }, now = Date.now()) {
  await db.update(organizations).set({ ...patch, updatedAt: now }).where(eq(organizations.id, ctx.orgId));
  return getOrg(db, ctx);
}

export async function listMembers(db: Database, ctx: OrgContext, userId?: string) {
  return db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.orgId), userId ? eq(memberships.userId, userId) : undefined))
    .orderBy(asc(memberships.createdAt))
    .limit(1000);
}

async function targetMembership(db: Database, ctx: OrgContext, userId: string) {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw notFound("Member");
  return row;
}

/** Owners manage everyone; admins manage admins and members but never an owner. */
function assertMayManage(ctx: OrgContext, target: OrgRole, newRole?: OrgRole) {
  if (ctx.role === "owner") return;
  if (ctx.role !== "admin") throw forbidden("Only organization owners and admins manage members");
  if (target === "owner") throw forbidden("Only an owner can change or remove an owner");
  if (newRole === "owner") throw forbidden("Only an owner can make someone an owner");
}

const lastOwner = () => new ApiError("CONFLICT", "The organization's last owner cannot be removed or demoted; make someone else an owner first");

// Checked inside the write itself, so two owners demoting each other at once cannot leave none.
const notLastOwner = (orgId: string) =>
  or(
    ne(memberships.role, "owner"),
    sql`(select count(*) from ${memberships} where ${memberships.orgId} = ${orgId} and ${memberships.role} = 'owner') > 1`,
  );

export async function changeMemberRole(db: Database, ctx: OrgContext, userId: string, role: OrgRole) {
  const target = await targetMembership(db, ctx, userId);
  assertMayManage(ctx, target.role, role);
  const where = and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId));
  const changed = await db
    .update(memberships)
    .set({ role })
    .where(role === "owner" ? where : and(where, notLastOwner(ctx.orgId)))
    .returning({ userId: memberships.userId });
  if (!changed.length) throw lastOwner();
  const [member] = await listMembers(db, ctx, userId);
  if (!member) throw notFound("Member");
  return member;
}

/** Removes a member (a member may also leave); also drops their portal access in this organization. */
export async function removeMember(db: Database, ctx: OrgContext, userId: string) {
  const target = await targetMembership(db, ctx, userId);
  if (userId !== ctx.userId) assertMayManage(ctx, target.role);
  const [removed] = await db.batch([
    db
      .delete(memberships)
      .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId), notLastOwner(ctx.orgId)))
      .returning({ userId: memberships.userId }),
    db
      .delete(portalAccess)
      .where(
        and(
          eq(portalAccess.orgId, ctx.orgId),
          eq(portalAccess.userId, userId),
          sql`not exists (select 1 from ${memberships} where ${memberships.orgId} = ${ctx.orgId} and ${memberships.userId} = ${userId})`,
        ),
      ),
  ]);
  if (!removed.length) throw lastOwner();
}
