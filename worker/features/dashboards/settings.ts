import { and, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { dashboardLayouts, workspaces, type DashboardWidget } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { dimensions, ensureTimeZone, isTimeZone, metricOf, rebuildRollups } from "../metrics";
import type { Ctx } from "./service";
import { overviewKpis } from "./service";

/** Widget keys: a catalogue metric (a KPI card) or `chart:<metric>` / `breakdown:<dimension>`. */
const DIMENSIONS = new Set(dimensions);
export const isWidgetKey = (k: string) =>
  k.startsWith("chart:") ? !!metricOf(k.slice(6)) : k.startsWith("breakdown:") ? DIMENSIONS.has(k.slice(10)) : !!metricOf(k);

export const defaultWidgets = (): DashboardWidget[] => [
  ...Object.values(overviewKpis).flat().map((key) => ({ key, size: "s" as const })),
  { key: "chart:revenue_net", size: "l" }, { key: "chart:sessions", size: "m" }, { key: "breakdown:product", size: "m" },
  { key: "chart:ad_spend", size: "m" }, { key: "chart:social_reach", size: "m" },
];

export async function getLayout({ ctx }: { ctx: Ctx }) {
  const [row] = await ctx.db.select().from(dashboardLayouts)
    .where(and(eq(dashboardLayouts.workspaceId, ctx.tenant.workspaceId), eq(dashboardLayouts.orgId, ctx.tenant.orgId))).limit(1);
  return { widgets: row?.widgets ?? defaultWidgets(), custom: !!row, updatedAt: row?.updatedAt ?? null };
}

export async function saveLayout({ ctx, input }: { ctx: Ctx; input: { widgets: DashboardWidget[] } }) {
  const bad = input.widgets.find((w) => !isWidgetKey(w.key));
  if (bad) throw new ApiError("VALIDATION_FAILED", `Unknown widget: ${bad.key}`);
  const row = { workspaceId: ctx.tenant.workspaceId, orgId: ctx.tenant.orgId, widgets: input.widgets, updatedBy: ctx.tenant.userId, updatedAt: ctx.now };
  await ctx.db.insert(dashboardLayouts).values(row).onConflictDoUpdate({ target: dashboardLayouts.workspaceId, set: row });
  return getLayout({ ctx });
}

export async function resetLayout({ ctx }: { ctx: Ctx }) {
  await ctx.db.delete(dashboardLayouts).where(and(eq(dashboardLayouts.workspaceId, ctx.tenant.workspaceId), eq(dashboardLayouts.orgId, ctx.tenant.orgId)));
  return getLayout({ ctx });
}

/** Changes where the workspace's days begin and refiles its rollups under the new days. */
export async function setTimeZone({ ctx, d1, input }: { ctx: Ctx; d1: D1Database; input: { timeZone: string } }) {
  if (!isTimeZone(input.timeZone)) throw new ApiError("VALIDATION_FAILED", `Unknown time zone: ${input.timeZone}`);
  await ensureTimeZone(d1, input.timeZone);
  await ctx.db.update(workspaces).set({ timeZone: input.timeZone, updatedAt: ctx.now })
    .where(and(eq(workspaces.id, ctx.tenant.workspaceId), eq(workspaces.orgId, ctx.tenant.orgId)));
  const rebuilt = await rebuildRollups(d1, { workspaceId: ctx.tenant.workspaceId });
  return { timeZone: input.timeZone, rollups: rebuilt.rows };
}
