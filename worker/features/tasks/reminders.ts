import { and, eq, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import { createDb } from "../../db/client";
import { tasks, users, workspaces } from "../../db/schema";
import { notify } from "../../core/notifications";
import { DAY, HOUR } from "../../lib/time";
import { offsetMinutes } from "../metrics";

const BATCH = 200;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);

/** When a task due on `day` (the workspace's calendar) becomes overdue: the start of the next local day, in UTC ms. */
export function dueAt(day: string, tz: string): number {
  const wall = Date.parse(`${addDays(day, 1)}T00:00:00Z`);
  const guess = wall - offsetMinutes(tz, wall) * 60_000;
  return wall - offsetMinutes(tz, guess) * 60_000;
}

type Kind = "soon" | "overdue";

/**
 * Cron: tells a task's assignee once when it is due within 24 hours and once when it is overdue
 * (in-app and by email). Each reminder records the due date it was for; a task is claimed with an
 * UPDATE … WHERE that column differs before the notice goes out, so overlapping runs never send
 * twice, and a new due date re-arms both.
 */
export async function taskReminders(env: Env, now: number) {
  const db = createDb(env.DB);
  // Any time zone's "within 24 h" lies within two UTC days of today.
  const horizon = addDays(new Date(now).toISOString().slice(0, 10), 2);
  const candidates = await db
    .select({ id: tasks.id, title: tasks.title, dueDate: tasks.dueDate, remindedDueSoon: tasks.remindedDueSoon, remindedOverdue: tasks.remindedOverdue, timeZone: workspaces.timeZone, userId: users.id, email: users.email })
    .from(tasks)
    .innerJoin(workspaces, eq(workspaces.id, tasks.workspaceId))
    .innerJoin(users, eq(users.id, tasks.assigneeId))
    .where(and(isNotNull(tasks.dueDate), lte(tasks.dueDate, horizon), ne(tasks.status, "done"), isNull(users.deletedAt), sql`${tasks.remindedOverdue} IS NOT ${tasks.dueDate}`))
    .limit(BATCH);
  let sent = 0;
  for (const t of candidates) {
    const day = t.dueDate!;
    const overdueAt = dueAt(day, t.timeZone);
    const kind: Kind | null = now >= overdueAt ? "overdue" : now >= overdueAt - 24 * HOUR && t.remindedDueSoon !== day ? "soon" : null;
    if (!kind) continue;
    const col = kind === "overdue" ? tasks.remindedOverdue : tasks.remindedDueSoon;
    // Overdue also settles "due soon" for this date: a task first seen late gets one notice, not two.
    const set = kind === "overdue" ? { remindedOverdue: day, remindedDueSoon: day } : { remindedDueSoon: day };
    const claimed = await db.update(tasks).set(set)
      .where(and(eq(tasks.id, t.id), eq(tasks.dueDate, day), ne(tasks.status, "done"), or(isNull(col), ne(col, day))))
      .returning({ id: tasks.id });
    if (!claimed.length) continue;
    const title = kind === "overdue" ? `Task overdue: ${t.title}` : `Task due soon: ${t.title}`;
    const body = kind === "overdue" ? `${t.title} was due on ${day}.` : `${t.title} is due on ${day} (within 24 hours).`;
    await notify({ ctx: { env, db, now }, input: { recipients: [{ userId: t.userId, email: t.email }], notice: { kind: "system", title, body, link: "/tasks" } } });
    sent++;
  }
  return { sent };
}
