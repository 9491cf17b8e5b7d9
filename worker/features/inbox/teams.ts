// Inbox teams: members, and round-robin assignment capped by open conversations per person.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { conversations, inboxTeamMembers, inboxTeams, memberships, users } from "../../db/schema";
import type { Ctx, OrgCtx } from "../../core/context";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TeamBody } from "./routing-schemas";

type Team = typeof inboxTeams.$inferSelect;

async function membersOf(ctx: Ctx, orgId: string, teamIds: string[]) {
  if (!teamIds.length) return [];
  return ctx.db.select({ teamId: inboxTeamMembers.teamId, userId: inboxTeamMembers.userId, name: users.name, email: users.email, lastAssignedAt: inboxTeamMembers.lastAssignedAt })
    .from(inboxTeamMembers).innerJoin(users, eq(users.id, inboxTeamMembers.userId))
    .where(and(eq(inboxTeamMembers.orgId, orgId), inArray(inboxTeamMembers.teamId, teamIds.slice(0, 90))));
}

const teamView = (t: Team, members: Awaited<ReturnType<typeof membersOf>>) => ({
  id: t.id, name: t.name, maxOpenPerPerson: t.maxOpenPerPerson,
  members: members.filter((m) => m.teamId === t.id).map((m) => ({ userId: m.userId, name: m.name, email: m.email, lastAssignedAt: m.lastAssignedAt })),
});

export async function listTeams({ ctx }: { ctx: OrgCtx }) {
  const teams = await ctx.db.select().from(inboxTeams).where(eq(inboxTeams.orgId, ctx.org.orgId)).orderBy(asc(inboxTeams.name)).limit(200);
  const members = await membersOf(ctx, ctx.org.orgId, teams.map((t) => t.id));
  return teams.map((t) => teamView(t, members));
}

export async function getTeam(ctx: Ctx, orgId: string, id: string): Promise<Team> {
  const [t] = await ctx.db.select().from(inboxTeams).where(and(eq(inboxTeams.id, id), eq(inboxTeams.orgId, orgId))).limit(1);
  if (!t) throw notFound("Team");
  return t;
}

async function assertMembers(ctx: Ctx, orgId: string, userIds: string[]) {
  if (!userIds.length) return;
  const found = await ctx.db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, userIds)));
  const ok = new Set(found.map((f) => f.id));
  const bad = userIds.findIndex((u) => !ok.has(u));
  if (bad >= 0) throw new ApiError("VALIDATION_FAILED", "Every team member must be a member of this organization", { details: [{ path: `memberIds.${bad}`, message: "Not a member" }] });
}

/** Creates a team, or replaces an existing one's name, cap and members. */
export async function saveTeam({ ctx, input }: { ctx: OrgCtx; input: TeamBody & { id?: string } }) {
  const orgId = ctx.org.orgId;
  const ids = [...new Set(input.memberIds)];
  await assertMembers(ctx, orgId, ids);
  const existing = input.id ? await getTeam(ctx, orgId, input.id) : null;
  const id = existing?.id ?? newId();
  const kept = existing ? await membersOf(ctx, orgId, [id]) : [];
  const last = new Map(kept.map((m) => [m.userId, m.lastAssignedAt]));
  await ctx.db.batch([
    existing
      ? ctx.db.update(inboxTeams).set({ name: input.name, maxOpenPerPerson: input.maxOpenPerPerson, updatedAt: ctx.now }).where(and(eq(inboxTeams.id, id), eq(inboxTeams.orgId, orgId)))
      : ctx.db.insert(inboxTeams).values({ id, orgId, name: input.name, maxOpenPerPerson: input.maxOpenPerPerson, createdAt: ctx.now, updatedAt: ctx.now }),
    ctx.db.delete(inboxTeamMembers).where(and(eq(inboxTeamMembers.teamId, id), eq(inboxTeamMembers.orgId, orgId))),
    ...ids.map((userId) => ctx.db.insert(inboxTeamMembers).values({ teamId: id, userId, orgId, lastAssignedAt: last.get(userId) ?? null, createdAt: ctx.now })),
  ]);
  const [team] = await ctx.db.select().from(inboxTeams).where(eq(inboxTeams.id, id));
  return teamView(team!, await membersOf(ctx, orgId, [id]));
}

export async function deleteTeam({ ctx, input }: { ctx: OrgCtx; input: { id: string } }) {
  const t = await getTeam(ctx, ctx.org.orgId, input.id);
  await ctx.db.delete(inboxTeams).where(and(eq(inboxTeams.id, t.id), eq(inboxTeams.orgId, ctx.org.orgId)));
}

/**
 * Round robin: the member assigned longest ago (never first) whose open conversations are below
 * the team's cap. Null (with the reason) when everyone is at the cap or the team is empty.
 */
export async function nextAssignee(ctx: Ctx, orgId: string, teamId: string): Promise<{ userId: string; reason: string } | { userId: null; reason: string }> {
  const team = await getTeam(ctx, orgId, teamId).catch(() => null);
  if (!team) return { userId: null, reason: "the team no longer exists" };
  const members = (await membersOf(ctx, orgId, [team.id])).sort((a, b) => (a.lastAssignedAt ?? 0) - (b.lastAssignedAt ?? 0) || a.userId.localeCompare(b.userId));
  if (!members.length) return { userId: null, reason: `team ${team.name} has no members` };
  const open = await ctx.db.select({ userId: conversations.assigneeId, n: sql<number>`count(*)` }).from(conversations)
    .where(and(eq(conversations.orgId, orgId), inArray(conversations.status, ["open", "pending", "snoozed"]), inArray(conversations.assigneeId, members.map((m) => m.userId))))
    .groupBy(conversations.assigneeId);
  const load = new Map(open.map((o) => [o.userId, Number(o.n)]));
  for (const m of members) {
    const n = load.get(m.userId) ?? 0;
    if (n < team.maxOpenPerPerson) {
      await ctx.db.update(inboxTeamMembers).set({ lastAssignedAt: ctx.now }).where(and(eq(inboxTeamMembers.teamId, team.id), eq(inboxTeamMembers.userId, m.userId)));
      return { userId: m.userId, reason: `round robin in team ${team.name}: ${m.name || m.email} had ${n} of ${team.maxOpenPerPerson} open` };
    }
  }
  return { userId: null, reason: `everyone in team ${team.name} has ${team.maxOpenPerPerson} open conversations (the cap); left unassigned` };
}
