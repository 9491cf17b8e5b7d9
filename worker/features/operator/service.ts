import { asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { dsrRequests, incidents, purgeReports, users } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { DAY } from "../../lib/time";
import { EXTENSION_DAYS, NEAR_DUE_MS, OPEN_STATUSES, eventView, eventsOf, recordRequest, requestView, updateRequest } from "../privacy";
import type { FileBody, UpdateBody } from "./schemas";

type Row = typeof dsrRequests.$inferSelect;
const operatorView = (r: Row) => ({ ...requestView(r), email: r.email, userId: r.userId });
const asOperator = (operatorId: string) => ({ actor: "operator" as const, operatorId });

/** Deadlines at a glance: open requests (overdue, near due), open incidents, the last retention run. */
export async function operatorOverview({ ctx: { db, now } }: { ctx: Ctx; input?: undefined }) {
  const [open, [incidentsOpen], lastRun] = await Promise.all([
    db.select({ dueAt: dsrRequests.dueAt }).from(dsrRequests).where(inArray(dsrRequests.status, OPEN_STATUSES)),
    db.select({ n: count(), unnotified: sql<number | null>`SUM(CASE WHEN ${incidents.usersNotifiedAt} IS NULL THEN 1 ELSE 0 END)` }).from(incidents).where(ne(incidents.status, "closed")),
    db.select().from(purgeReports).orderBy(desc(purgeReports.scheduledAt)).limit(1),
  ]);
  return {
    requests: { open: open.length, overdue: open.filter((r) => r.dueAt < now).length, nearDue: open.filter((r) => r.dueAt >= now && r.dueAt <= now + NEAR_DUE_MS).length },
    incidents: { open: incidentsOpen?.n ?? 0, unnotified: incidentsOpen?.unnotified ?? 0 },
    lastPurgeRun: lastRun[0] ? { scheduledAt: lastRun[0].scheduledAt, cron: lastRun[0].cron } : null,
  };
}

/** The data-subject request queue: open ones soonest deadline first, or all, newest first. */
export async function requestQueue({ ctx: { db }, input: { status } }: { ctx: Ctx; input: { status: "open" | "all" } }) {
  const rows = await db
    .select()
    .from(dsrRequests)
    .where(status === "open" ? inArray(dsrRequests.status, OPEN_STATUSES) : undefined)
    .orderBy(status === "open" ? asc(dsrRequests.dueAt) : desc(dsrRequests.receivedAt))
    .limit(500);
  return { requests: rows.map((r) => ({ ...operatorView(r), source: r.source })) };
}

/** A request received by email at privacy@, filed on the requester's behalf (linked to their account if one has the address). */
export async function fileEmailedRequest({ ctx, input: { operatorId, request: input } }: { ctx: Ctx; input: { operatorId: string; request: FileBody } }) {
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  const row = await recordRequest({ ctx, input: {
    userId: user?.id ?? null, orgId: input.orgId ?? null, email: input.email, regime: input.regime, kind: input.kind, source: "email",
    status: "verifying", verification: "pending", details: input.details, filedBy: operatorId, receivedAt: input.receivedAt,
    by: asOperator(operatorId),
  } });
  return { request: operatorView(row) };
}

async function requestById({ db }: Ctx, id: string) {
  const [row] = await db.select().from(dsrRequests).where(eq(dsrRequests.id, id)).limit(1);
  if (!row) throw notFound("Request");
  return row;
}

export async function requestDetail({ ctx, input: { id } }: { ctx: Ctx; input: { id: string } }) {
  const row = await requestById(ctx, id);
  return { request: operatorView(row), events: (await eventsOf({ ctx, input: { requestId: row.id } })).map(eventView) };
}

/** Works a request: status, verification, an action taken, a note, or the regime's one extension. */
export async function workRequest({ ctx, input: { operatorId, id, change } }: { ctx: Ctx; input: { operatorId: string; id: string; change: UpdateBody } }) {
  const row = await requestById(ctx, id);
  let dueAt: number | undefined;
  if (change.extend) {
    if (row.actions.some((a) => a.startsWith("Deadline extended"))) throw new ApiError("CONFLICT", "This request was already extended once");
    dueAt = row.dueAt + EXTENSION_DAYS[row.regime] * DAY;
  }
  const updated = await updateRequest({ ctx, input: {
    row,
    change: {
      status: change.status,
      verification: change.verification,
      action: change.extend ? `Deadline extended by ${EXTENSION_DAYS[row.regime]} days (requester informed)` : change.action,
      dueAt,
      note: change.note ?? null,
    },
    by: asOperator(operatorId),
  } });
  return { request: operatorView(updated) };
}

/** An account by email (for a child flag or an emailed request), or NOT_FOUND. */
export async function findAccount({ ctx: { db }, input: { email } }: { ctx: Ctx; input: { email: string } }) {
  const [u] = await db.select({ id: users.id, email: users.email, name: users.name, birthDate: users.birthDate, createdAt: users.createdAt, deletedAt: users.deletedAt })
    .from(users).where(eq(users.email, email)).limit(1);
  if (!u) throw notFound("Account");
  return { user: u };
}

/** What each retention run removed, per rule, newest run first. */
export async function purgeReportList({ ctx: { db }, input: { limit } }: { ctx: Ctx; input: { limit: number } }) {
  const rows = await db.select().from(purgeReports).orderBy(desc(purgeReports.scheduledAt), asc(purgeReports.rule)).limit(limit);
  return {
    reports: rows.map((r) => ({
      runId: r.runId, cron: r.cron, scheduledAt: r.scheduledAt, rule: r.rule, subjects: r.subjects, rowsDeleted: r.rowsDeleted,
      objectsDeleted: r.objectsDeleted, statements: r.statements, durationMs: r.durationMs, maxBatchMs: r.maxBatchMs, complete: r.complete, error: r.error,
    })),
  };
}
