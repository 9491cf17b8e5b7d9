import { and, eq, isNull, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { memberships, operators, organizations, portalAccess, users, workspaces, type OrgRole, type PortalRole } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { publicUser } from "./service";

type SessionUser = Parameters<typeof publicUser>[0];
type Me = {
  memberships: { id: string; name: string; kind: "agency" | "business"; role: OrgRole }[];
  portalWorkspaces: { workspaceId: string; workspaceName: string; orgId: string; orgName: string; role: PortalRole }[];
  isOperator: 0 | 1;
};

/**
 * What GET /api/me reads beside the session check, as ONE scalar subquery (a JSON object), so that
 * the route's single statement is the session check itself carrying it (`withSessionValue`, which
 * builds it once per isolate; the user is a placeholder): one statement instead of a batch of
 * four (bench/api.bench.mjs measures it against a one-read floor).
 * `json()` keeps each array JSON across the subquery boundary, where SQLite drops the subtype.
 */
export function meReads({ ctx, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  return { key: "me", value: () => meValue(ctx.db), params: { userId } };
}

function meValue(db: Ctx["db"]) {
  const userId = sql.placeholder("userId");
  const orgs = db
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, and(eq(organizations.id, memberships.orgId), isNull(organizations.deletedAt)))
    .where(eq(memberships.userId, userId));
  const portal = db
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
    .where(eq(portalAccess.userId, userId));
  // Said here so the web app never asks /api/operator/me (a 404 for everyone else).
  const operator = db.select({ id: operators.id }).from(operators).where(eq(operators.userId, userId));
  return sql<string>`json_object(
    'memberships', json((select json_group_array(json_object('id', o.id, 'name', o.name, 'kind', o.kind, 'role', o.role)) from (${orgs}) o)),
    'portalWorkspaces', json((select json_group_array(json_object('workspaceId', p.ws_id, 'workspaceName', p.ws_name, 'orgId', p.org_id_, 'orgName', p.org_name, 'role', p.role)) from (${portal}) p)),
    'isOperator', exists ${operator})`;
}

/** GET /api/me's answer from the session's user and the value of `meReads`. */
export function meOf(user: SessionUser, json: string) {
  const me = JSON.parse(json) as Me;
  return { user: publicUser(user), memberships: me.memberships, portalWorkspaces: me.portalWorkspaces, isOperator: me.isOperator === 1 };
}

/** Updates the signed-in user's profile (today: the name); no change reads it back. */
export async function updateProfile({ ctx: { db, now }, input: { userId, name } }: { ctx: Ctx; input: { userId: string; name?: string } }) {
  const [user] = name
    ? await db.update(users).set({ name, updatedAt: now }).where(eq(users.id, userId)).returning()
    : await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw notFound("User");
  return { user: publicUser(user) };
}
