import { and, eq, gte, inArray, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { notify } from "../../../core/notifications";
import { financeBudgets, memberships, rates, timeEntries, users } from "../../../db/schema";
import { notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { getProjectInWorkspace, getSettings, getWorkspaceInOrg, requireFinanceAdmin, type FinanceCtx } from "../context";
import { rateResolver } from "../projects/cascade";

type Budget = typeof financeBudgets.$inferSelect;
const THRESHOLDS = [100, 80] as const;

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const monthRange = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
};

/** This month's use of a budget: minutes of finished entries, or their value at the cascaded billing rates. */
async function usedIn(ctx: FinanceCtx, b: Budget, month: string) {
  const { from, to } = monthRange(month);
  const entries = await ctx.db
    .select({ startedAt: timeEntries.startedAt, endedAt: timeEntries.endedAt, userId: timeEntries.userId, projectId: timeEntries.projectId })
    .from(timeEntries)
    .where(and(eq(timeEntries.orgId, ctx.org.orgId), eq(timeEntries.workspaceId, b.workspaceId), b.projectId ? eq(timeEntries.projectId, b.projectId) : undefined, gte(timeEntries.startedAt, from), lt(timeEntries.startedAt, to), isNotNull(timeEntries.endedAt)));
  if (b.unit === "hours") return Math.round(entries.reduce((s, e) => s + (e.endedAt! - e.startedAt), 0) / 60_000);
  const rate = rateResolver(await ctx.db.select().from(rates).where(eq(rates.orgId, ctx.org.orgId)));
  return Math.round(entries.reduce((s, e) => s + ((e.endedAt! - e.startedAt) / 3_600_000) * rate({ userId: e.userId, workspaceId: b.workspaceId, projectId: e.projectId }).hourlyMinor, 0));
}

const view = (b: Budget, month: string, used: number) => ({
  id: b.id, workspaceId: b.workspaceId, projectId: b.projectId, unit: b.unit, monthlyLimit: b.monthlyLimit, month, used,
  percent: Math.floor((used * 100) / b.monthlyLimit), notifiedPct: b.notifiedMonth === month ? b.notifiedPct : 0,
});

export async function listBudgets({ ctx }: { ctx: FinanceCtx }) {
  const month = monthOf(ctx.now);
  const rows = await ctx.db.select().from(financeBudgets).where(eq(financeBudgets.orgId, ctx.org.orgId));
  return Promise.all(rows.map(async (b) => view(b, month, await usedIn(ctx, b, month))));
}

/** Sets the monthly budget of a client (or one of its projects): one per target, replaced on a second call. */
export async function putBudget({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId: string; projectId?: string | null; unit: "hours" | "amount"; monthlyLimit: number } }) {
  requireFinanceAdmin(ctx);
  await getWorkspaceInOrg(ctx, input.workspaceId);
  if (input.projectId) await getProjectInWorkspace(ctx, input.workspaceId, input.projectId);
  const target = and(eq(financeBudgets.orgId, ctx.org.orgId), eq(financeBudgets.workspaceId, input.workspaceId), input.projectId ? eq(financeBudgets.projectId, input.projectId) : isNull(financeBudgets.projectId));
  const [existing] = await ctx.db.select().from(financeBudgets).where(target).limit(1);
  if (existing) {
    // A changed budget may warn again this month.
    await ctx.db.update(financeBudgets).set({ unit: input.unit, monthlyLimit: input.monthlyLimit, notifiedPct: 0, notifiedMonth: null, updatedAt: ctx.now }).where(eq(financeBudgets.id, existing.id));
  } else {
    await ctx.db.insert(financeBudgets).values({ id: newId(), orgId: ctx.org.orgId, workspaceId: input.workspaceId, projectId: input.projectId ?? null, unit: input.unit, monthlyLimit: input.monthlyLimit, notifiedPct: 0, notifiedMonth: null, createdAt: ctx.now, updatedAt: ctx.now });
  }
  const [row] = await ctx.db.select().from(financeBudgets).where(target).limit(1);
  const month = monthOf(ctx.now);
  await checkBudgets(ctx, { workspaceId: row!.workspaceId, projectId: row!.projectId, startedAt: ctx.now });
  const [fresh] = await ctx.db.select().from(financeBudgets).where(eq(financeBudgets.id, row!.id)).limit(1);
  return view(fresh!, month, await usedIn(ctx, fresh!, month));
}

export async function deleteBudget({ ctx, input }: { ctx: FinanceCtx; input: { budgetId: string } }) {
  requireFinanceAdmin(ctx);
  const res = await ctx.db.delete(financeBudgets).where(and(eq(financeBudgets.id, input.budgetId), eq(financeBudgets.orgId, ctx.org.orgId))).returning({ id: financeBudgets.id });
  if (!res.length) throw notFound("Budget");
}

const fmt = (b: Budget, n: number, currency: string) => (b.unit === "hours" ? `${Math.round((n / 60) * 10) / 10} h` : `${(n / 100).toFixed(2)} ${currency}`);

/**
 * After time is logged: warns the organization's owners and admins when a budget of that client
 * (or project) passes 80 % and 100 % of the month, once per threshold and month. The threshold is
 * claimed with a conditional UPDATE first, so concurrent entries never warn twice.
 */
export async function checkBudgets(ctx: FinanceCtx, entry: { workspaceId: string; projectId: string | null; startedAt: number }) {
  const month = monthOf(entry.startedAt);
  const budgets = await ctx.db
    .select()
    .from(financeBudgets)
    .where(and(eq(financeBudgets.orgId, ctx.org.orgId), eq(financeBudgets.workspaceId, entry.workspaceId), entry.projectId ? or(isNull(financeBudgets.projectId), eq(financeBudgets.projectId, entry.projectId)) : isNull(financeBudgets.projectId)));
  for (const b of budgets) {
    const used = await usedIn(ctx, b, month);
    const reached = THRESHOLDS.find((t) => used * 100 >= t * b.monthlyLimit);
    if (!reached) continue;
    const [claimed] = await ctx.db
      .update(financeBudgets)
      .set({ notifiedPct: reached, notifiedMonth: month })
      .where(and(eq(financeBudgets.id, b.id), or(isNull(financeBudgets.notifiedMonth), sql`${financeBudgets.notifiedMonth} != ${month}`, lt(financeBudgets.notifiedPct, reached))))
      .returning({ id: financeBudgets.id });
    if (!claimed) continue;
    const [client, project, { currency }] = await Promise.all([getWorkspaceInOrg(ctx, b.workspaceId), b.projectId ? getProjectInWorkspace(ctx, b.workspaceId, b.projectId) : null, getSettings(ctx)]);
    const admins = await ctx.db
      .select({ userId: users.id, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, ctx.org.orgId), inArray(memberships.role, ["owner", "admin"])));
    const name = project ? `${client.name} · ${project.name}` : client.name;
    await notify({ ctx, input: { recipients: admins, notice: {
      kind: "alert",
      title: reached === 100 ? `${name} used its whole ${month} budget` : `${name} reached 80 % of its ${month} budget`,
      body: `${fmt(b, used, currency)} of ${fmt(b, b.monthlyLimit, currency)} this month (${Math.floor((used * 100) / b.monthlyLimit)} %).`,
      link: "/finance/time",
    } } });
  }
}
