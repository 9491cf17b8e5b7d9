import { and, isNotNull, lte } from "drizzle-orm";
import { ctxFromEnv } from "../../core/context";
import { reportTemplates, workspaces } from "../../db/schema";
import { eq } from "drizzle-orm";
import { ApiError } from "../../lib/errors";
import { localDay } from "../metrics";
import { generateReport, nextRun } from "./service";

const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The period a scheduled report covers: the last full week (Mon–Sun) or month in the workspace's time zone. */
export function duePeriod(schedule: "weekly" | "monthly", timeZone: string, now: number) {
  const today = localDay(timeZone, now);
  if (schedule === "monthly") {
    const firstThis = `${today.slice(0, 7)}-01`;
    const lastPrev = shift(firstThis, -1);
    return { from: `${lastPrev.slice(0, 7)}-01`, to: lastPrev };
  }
  const dow = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const to = shift(today, -dow - 1);
  return { from: shift(to, -6), to };
}

/** The 15-minute cron job: generates every report whose schedule is due (once per period). */
export async function dueReports(env: Env, now: number) {
  const { db } = ctxFromEnv(env, { now });
  const due = await db.select({ t: reportTemplates, tz: workspaces.timeZone }).from(reportTemplates)
    .innerJoin(workspaces, eq(workspaces.id, reportTemplates.workspaceId))
    .where(and(isNotNull(reportTemplates.nextRunAt), lte(reportTemplates.nextRunAt, now))).limit(50);
  let made = 0;
  for (const { t, tz } of due) {
    if (t.schedule === "none") continue;
    const tenant = { userId: t.updatedBy ?? "", orgId: t.orgId, workspaceId: t.workspaceId, role: "org-admin" as const, orgRole: null };
    try {
      await generateReport({ ctx: { env, db, tenant, now }, input: { range: duePeriod(t.schedule, tz, now), trigger: "schedule" } });
      made++;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === "CONFLICT")) throw err;
    }
    await db.update(reportTemplates).set({ nextRunAt: nextRun(t.schedule, now) }).where(eq(reportTemplates.workspaceId, t.workspaceId));
  }
  return { due: due.length, made };
}
