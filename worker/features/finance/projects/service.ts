import { and, asc, eq } from "drizzle-orm";
import { memberships, projects, rates, type RateScope } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { getProjectInWorkspace, getWorkspaceInOrg, requireFinanceAdmin, type FinanceCtx } from "../context";

export async function listProjects({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId?: string } }) {
  return ctx.db
    .select()
    .from(projects)
    .where(and(eq(projects.orgId, ctx.org.orgId), input.workspaceId ? eq(projects.workspaceId, input.workspaceId) : undefined))
    .orderBy(asc(projects.name));
}

export async function createProject({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId: string; name: string } }) {
  await getWorkspaceInOrg(ctx, input.workspaceId);
  const row = { id: newId(), orgId: ctx.org.orgId, workspaceId: input.workspaceId, name: input.name, archivedAt: null, createdAt: ctx.now };
  await ctx.db.insert(projects).values(row);
  return row;
}

export async function updateProject({ ctx, input }: { ctx: FinanceCtx; input: { projectId: string; name?: string; archived?: boolean } }) {
  const where = and(eq(projects.id, input.projectId), eq(projects.orgId, ctx.org.orgId));
  const [row] = await ctx.db.select().from(projects).where(where).limit(1);
  if (!row) throw notFound("Project");
  const patch = { ...(input.name ? { name: input.name } : {}), ...(input.archived !== undefined ? { archivedAt: input.archived ? ctx.now : null } : {}) };
  if (Object.keys(patch).length) await ctx.db.update(projects).set(patch).where(where);
  return { ...row, ...patch };
}

export async function listRates({ ctx }: { ctx: FinanceCtx }) {
  return ctx.db.select().from(rates).where(eq(rates.orgId, ctx.org.orgId));
}

/** Sets the rate of one level of the cascade (upsert); the target must be the organization's. */
export async function putRate({ ctx, input }: { ctx: FinanceCtx; input: { scope: RateScope; targetId?: string; hourlyMinor: number; costMinor?: number | null } }) {
  requireFinanceAdmin(ctx);
  const targetId = input.scope === "org" ? ctx.org.orgId : input.targetId;
  if (!targetId) throw new ApiError("VALIDATION_FAILED", `A ${input.scope} rate needs a targetId`, { details: [{ path: "targetId", message: "Required for this scope" }] });
  if (input.scope === "workspace") await getWorkspaceInOrg(ctx, targetId);
  if (input.scope === "project") {
    const [p] = await ctx.db.select({ id: projects.id }).from(projects).where(and(eq(projects.id, targetId), eq(projects.orgId, ctx.org.orgId))).limit(1);
    if (!p) throw notFound("Project");
  }
  if (input.scope === "person") {
    const [m] = await ctx.db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, targetId), eq(memberships.orgId, ctx.org.orgId))).limit(1);
    if (!m) throw notFound("Member");
  }
  const values = { id: newId(), orgId: ctx.org.orgId, scope: input.scope, targetId, hourlyMinor: input.hourlyMinor, costMinor: input.costMinor ?? null, updatedAt: ctx.now };
  await ctx.db
    .insert(rates)
    .values(values)
    .onConflictDoUpdate({ target: [rates.orgId, rates.scope, rates.targetId], set: { hourlyMinor: values.hourlyMinor, costMinor: values.costMinor, updatedAt: ctx.now } });
  const [row] = await ctx.db.select().from(rates).where(and(eq(rates.orgId, ctx.org.orgId), eq(rates.scope, input.scope), eq(rates.targetId, targetId))).limit(1);
  return row!;
}

export async function deleteRate({ ctx, input }: { ctx: FinanceCtx; input: { rateId: string } }) {
  requireFinanceAdmin(ctx);
  const res = await ctx.db.delete(rates).where(and(eq(rates.id, input.rateId), eq(rates.orgId, ctx.org.orgId))).returning({ id: rates.id });
  if (!res.length) throw notFound("Rate");
}

export { getProjectInWorkspace };
