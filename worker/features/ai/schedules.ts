import { addMonths, addWeeks } from "date-fns";
import { and, asc, eq, lte } from "drizzle-orm";
import { agentSchedules, type AgentId, type ContentKind } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { Ctx, TenantCtx } from "../../core/context";
import { notFound } from "../../lib/errors";
import { createJob } from "./jobs";

export const AGENT_KINDS: Record<AgentId, { kind: ContentKind; variants: number }> = {
  content_strategist: { kind: "strategy", variants: 1 },
  copywriter: { kind: "social_post", variants: 3 },
  performance_analyst: { kind: "insight", variants: 1 },
};
type Cadence = "weekly" | "monthly";
// date-fns clamps month ends (31 Jan + 1 month = 28/29 Feb).
const next = (from: number, cadence: Cadence) => (cadence === "weekly" ? addWeeks(from, 1) : addMonths(from, 1)).getTime();

export async function addSchedule({ ctx, input: s }: { ctx: TenantCtx; input: { agent: AgentId; cadence: Cadence; brief: string; firstRunAt?: number } }) {
  const { db, tenant: t, now } = ctx;
  const row = { id: newId(), orgId: t.orgId, workspaceId: t.workspaceId, agent: s.agent, cadence: s.cadence, brief: s.brief, nextRunAt: s.firstRunAt ?? now, createdBy: t.userId, createdAt: now };
  await db.insert(agentSchedules).values(row);
  return { schedule: row };
}

export async function listSchedules({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const { db, tenant: t } = ctx;
  return { schedules: await db.select().from(agentSchedules).where(and(eq(agentSchedules.orgId, t.orgId), eq(agentSchedules.workspaceId, t.workspaceId))).orderBy(asc(agentSchedules.nextRunAt)) };
}

export async function removeSchedule({ ctx, input }: { ctx: TenantCtx; input: { scheduleId: string } }) {
  const { db, tenant: t } = ctx;
  const gone = await db.delete(agentSchedules).where(and(eq(agentSchedules.id, input.scheduleId), eq(agentSchedules.orgId, t.orgId), eq(agentSchedules.workspaceId, t.workspaceId))).returning({ id: agentSchedules.id });
  if (gone.length === 0) throw notFound("Schedule");
}

/**
 * Cron (every 15 minutes): each due schedule starts its agent's job (trigger "schedule") and
 * moves to its next run first, so an overlapping run cannot start it twice. A job refused (the
 * budget is used up) is skipped until the next run.
 */
export async function runDueSchedules({ ctx }: { ctx: Ctx; input?: undefined }) {
  const { db, now } = ctx;
  const due = await db.select().from(agentSchedules).where(lte(agentSchedules.nextRunAt, now)).orderBy(asc(agentSchedules.nextRunAt)).limit(50);
  let started = 0;
  for (const s of due) {
    // Keep the schedule's rhythm; a schedule that missed runs (downtime) runs once, not once per miss.
    let nextRunAt = next(s.nextRunAt, s.cadence);
    while (nextRunAt <= now) nextRunAt = next(nextRunAt, s.cadence);
    const moved = await db.update(agentSchedules).set({ nextRunAt }).where(and(eq(agentSchedules.id, s.id), eq(agentSchedules.nextRunAt, s.nextRunAt))).returning({ id: agentSchedules.id });
    if (moved.length === 0 || !s.createdBy) continue;
    const { kind, variants } = AGENT_KINDS[s.agent];
    try {
      await createJob({ ctx: { ...ctx, tenant: { orgId: s.orgId, workspaceId: s.workspaceId, userId: s.createdBy } }, input: { kind, input: { brief: s.brief, variants }, agent: s.agent, trigger: "schedule" } });
      started++;
    } catch (err) {
      console.error(JSON.stringify({ level: "warn", event: "agent-schedule-skipped", schedule: s.id, error: err instanceof Error ? err.message : String(err) }));
    }
  }
  return started;
}
