import { and, asc, eq, ne, or, sql } from "drizzle-orm";
import { memberships, organizations, portalAccess, users, type OrgRole } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import type { OrgContext, OrgCtx } from "../../core/context";
import type { Database } from "../../db/client";

export async function getOrg({ ctx }: { ctx: OrgCtx; input?: undefined }) {
  const [row] = await ctx.db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind })
    .from(organizations)
    .where(eq(organizations.id, ctx.org.orgId))
    .limit(1);
  if (!row) throw notFound("Organization");
  return { ...row, role: ctx.org.role };
}

export async function updateOrg({ ctx, input }: { ctx: OrgCtx; input: { name?: string; kind?: "agency" | "business" } }) {
  await ctx.db.update(organizations).set({ ...input, updatedAt: ctx.now }).where(eq(organizations.id, ctx.org.orgId));
  return getOrg({ ctx });
}

export async function listMembers({ ctx, input = {} }: { ctx: OrgCtx; input?: { userId?: string } }) {
  const { userId } = input;
  return ctx.db
    .select({ userId: users.id, name: users.name, email: users.email, role: memberships.role, createdAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.org.orgId), userId ? eq(memberships.userId, userId) : undefined))
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

export async function changeMemberRole({ ctx, input }: { ctx: OrgCtx; input: { userId: string; role: OrgRole } }) {
  const { db, org } = ctx;
  const { userId, role } = input;
  const target = await targetMembership(db, org, userId);
  assertMayManage(org, target.role, role);
  const where = and(eq(memberships.orgId, org.orgId), eq(memberships.userId, userId));
  const changed = await db
    .update(memberships)
    .set({ role })
    .where(role === "owner" ? where : and(where, notLastOwner(org.orgId)))
    .returning({ userId: memberships.userId });
  if (!changed.length) throw lastOwner();
  const [member] = await listMembers({ ctx, input: { userId } });
  if (!member) throw notFound("Member");
  return member;
}

/** Removes a member (a member may also leave); also drops their portal access in this organization. */
export async function removeMember({ ctx: { db, org: ctx }, input: { userId } }: { ctx: OrgCtx; input: { userId: string } }) {
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
