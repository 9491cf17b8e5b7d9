import { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../env";
import { memberships, organizations, portalAccess, users, workspaces } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { doc, validate } from "../../lib/validate";
import { publicUser } from "./service";
import { updateMeBody } from "./schemas";

export const meRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "The signed-in user, organizations, portal workspaces and roles", tags: ["account"] }),
  async (c) => {
    const { db, auth } = c.var;
    // Not db.batch: D1 returns batched rows keyed by column name, so the two joined tables' `id`
    // and `name` columns would overwrite each other. Three point reads in parallel instead.
    const [[user], orgs, portal] = await Promise.all([
      db.select().from(users).where(eq(users.id, auth.userId)).limit(1),
      db
        .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, role: memberships.role })
        .from(memberships)
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .where(eq(memberships.userId, auth.userId)),
      db
        .select({
          workspaceId: workspaces.id,
          workspaceName: workspaces.name,
          orgId: organizations.id,
          orgName: organizations.name,
          role: portalAccess.role,
        })
        .from(portalAccess)
        .innerJoin(workspaces, eq(workspaces.id, portalAccess.workspaceId))
        .innerJoin(organizations, eq(organizations.id, portalAccess.orgId))
        .where(eq(portalAccess.userId, auth.userId)),
    ]);
    if (!user) throw notFound("User");
    return c.json({ user: publicUser(user), memberships: orgs, portalWorkspaces: portal });
  },
).patch(
  "/",
  doc({ summary: "Update your profile (name)", tags: ["account"] }),
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
