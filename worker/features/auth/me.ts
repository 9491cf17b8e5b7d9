import { Hono } from "hono";
import { and, eq, isNull, sql } from "drizzle-orm";
import { sessionInBatch } from "../../middleware/auth";
import type { AppEnv } from "../../core/context";
import { memberships, operators, organizations, portalAccess, users, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { doc, validate } from "../../lib/validate";
import { publicUser } from "./service";
import { meUpdatedView, meView, updateMeBody } from "./schemas";

export const meRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "The signed-in user, organizations, portal workspaces and roles", tags: ["account"], response: meView }),
  sessionInBatch,
  async (c) => {
    const { db, auth } = c.var;
    // One round trip: the session check (which also reads the profile) and the two reads share a
    // D1 batch. Batched rows are keyed by column name, so the joined id/name columns are aliased.
    const [orgs, portal, operator] = await c.var.withSession([
      db
        .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, role: memberships.role })
        .from(memberships)
        .innerJoin(organizations, and(eq(organizations.id, memberships.orgId), isNull(organizations.deletedAt)))
        .where(eq(memberships.userId, auth.userId)),
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
        .where(eq(portalAccess.userId, auth.userId)),
      // Said here so the web app never asks /api/operator/me (a 404 for everyone else).
      db.select({ id: operators.id }).from(operators).where(eq(operators.userId, auth.userId)).limit(1),
    ]);
    return c.json({ user: publicUser(c.var.sessionUser), memberships: orgs, portalWorkspaces: portal, isOperator: operator.length > 0 });
  },
).patch(
  "/",
  doc({ summary: "Update your profile (name)", tags: ["account"], response: meUpdatedView, activity: { action: "account.update" } }),
  validate("json", updateMeBody),
  async (c) => {
    const { db, auth } = c.var;
    const { name } = c.req.valid("json");
    const [user] = name
      ? await db.update(users).set({ name, updatedAt: Date.now() }).where(eq(users.id, auth.userId)).returning()
      : await db.select().from(users).where(eq(users.id, auth.userId)).limit(1);
    if (!user) throw notFound("User");
    return c.json({ user: publicUser(user) });
  },
);
