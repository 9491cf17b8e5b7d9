import { and, eq, isNull, sql } from "drizzle-orm";
import type { BatchResponse } from "drizzle-orm/batch";
import type { Ctx } from "../../core/context";
import { memberships, operators, organizations, portalAccess, users, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { publicUser } from "./service";

/**
 * What GET /api/me reads beside the session check, returned unexecuted: the route runs them in
 * the session check's own D1 batch (one round trip). Batched rows are keyed by column name, so
 * the joined id/name columns are aliased.
 */
export function meReads({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  return [
    db
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, role: memberships.role })
      .from(memberships)
      .innerJoin(organizations, and(eq(organizations.id, memberships.orgId), isNull(organizations.deletedAt)))
      .where(eq(memberships.userId, userId)),
    db
      .select({
        workspaceId: sql<string>`${workspaces.id}`.as("ws_id"),
        workspaceName: sql<string>`${workspaces.name}`.as("ws_name"),
        orgId: sql<string>`${organizations.id}`.as("org_id_"),
        orgName: sql<string>`${organizations.name}`.as("org_name"),
        role: portalAccess.role,
      })
      .from(portalAccess)
      .innerJoin(workspaces, eq(workspaces.id, portalAccess.workspaceId))
      .innerJoin(organizations, and(eq(organizations.id, portalAccess.orgId), isNull(organizations.deletedAt)))
      .where(eq(portalAccess.userId, userId)),
    // Said here so the web app never asks /api/operator/me (a 404 for everyone else).
    db.select({ id: operators.id }).from(operators).where(eq(operators.userId, userId)).limit(1),
  ] as const;
}

type SessionUser = Parameters<typeof publicUser>[0];

/** GET /api/me's answer from the session's user and the results of `meReads`. */
export const meOf = (user: SessionUser, [orgs, portal, operator]: BatchResponse<ReturnType<typeof meReads>>) => ({
  user: publicUser(user),
  memberships: orgs,
  portalWorkspaces: portal,
  isOperator: operator.length > 0,
});

/** Updates the signed-in user's profile (today: the name); no change reads it back. */
export async function updateProfile({ ctx: { db, now }, input: { userId, name } }: { ctx: Ctx; input: { userId: string; name?: string } }) {
  const [user] = name
    ? await db.update(users).set({ name, updatedAt: now }).where(eq(users.id, userId)).returning()
    : await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw notFound("User");
  return { user: publicUser(user) };
}
