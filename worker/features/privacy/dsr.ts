import { and, asc, desc, eq } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { dsrEvents, dsrRequests, type DsrKind, type DsrStatus, type Regime } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { DAY } from "../../lib/time";

/** GDPR Art. 12(3): one month, answered within 30 days (policy 6); CCPA §1798.130: 45 days. */
export const DUE_DAYS: Record<Regime, number> = { gdpr: 30, ccpa: 45 };
/** One extension each, with notice: GDPR by two further months, CCPA by 45 days. */
export const EXTENSION_DAYS: Record<Regime, number> = { gdpr: 60, ccpa: 45 };
/** Requests due within this window raise a "near-due" alert. */
export const NEAR_DUE_MS = 5 * DAY;

export const dueAt = (regime: Regime, receivedAt: number) => receivedAt + DUE_DAYS[regime] * DAY;
export const OPEN_STATUSES: DsrStatus[] = ["received", "verifying", "in-progress"];

type RequestRow = typeof dsrRequests.$inferSelect;
type EventRow = typeof dsrEvents.$inferSelect;
export type Actor = { actor: "user" | "operator" | "system"; operatorId?: string | null };

export type NewRequest = {
  userId: string | null;
  orgId?: string | null;
  email?: string | null;
  regime: Regime;
  kind: DsrKind;
  source: RequestRow["source"];
  status: DsrStatus;
  verification: RequestRow["verification"];
  details?: string | null;
  actions?: string[];
  filedBy?: string | null;
  receivedAt?: number;
};

/** What the request log needs of a `Ctx` (the retention run's erasure hook passes just these). */
export type DsrCtx = Pick<Ctx, "db" | "now">;

/** Records a request and the first event of its audit trail together. */
export async function recordRequest({ ctx: { db, now }, input: { by, ...input } }: { ctx: DsrCtx; input: NewRequest & { by: Actor } }) {
  const receivedAt = input.receivedAt ?? now;
  const row: RequestRow = {
    id: newId(),
    userId: input.userId,
    orgId: input.orgId ?? null,
    email: input.email ?? null,
    regime: input.regime,
    kind: input.kind,
    source: input.source,
    status: input.status,
    verification: input.verification,
    details: input.details ?? null,
    actions: input.actions ?? [],
    attachmentKey: null,
    attachmentName: null,
    receivedAt,
    dueAt: dueAt(input.regime, receivedAt),
    completedAt: input.status === "completed" ? now : null,
    alertLevel: null,
    filedBy: input.filedBy ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const events = [eventRow(row.id, by, "received", input.source === "self-serve" ? "Submitted in the privacy center" : "Filed by an operator", now)];
  if (input.status === "completed") events.push(eventRow(row.id, by, "completed", (input.actions ?? []).join("; ") || null, now));
  await db.batch([db.insert(dsrRequests).values(row), db.insert(dsrEvents).values(events)]);
  return row;
}

const eventRow = (requestId: string, by: Actor, action: string, note: string | null, now: number): EventRow => ({
  id: newId(),
  requestId,
  at: now,
  actor: by.actor,
  operatorId: by.actor === "operator" ? (by.operatorId ?? null) : null,
  action,
  note,
});

/** Changes a request and appends to its audit trail (status, verification, actions, due date). */
export async function updateRequest({ ctx: { db, now }, input: { row, change, by } }: {
  ctx: DsrCtx;
  input: { row: RequestRow; change: { status?: DsrStatus; verification?: RequestRow["verification"]; action?: string; dueAt?: number; note?: string | null }; by: Actor };
}) {
  const actions = [...row.actions];
  if (change.action) actions.push(change.action);
  const status = change.status ?? row.status;
  const patch = {
    status,
    verification: change.verification ?? row.verification,
    actions,
    dueAt: change.dueAt ?? row.dueAt,
    completedAt: status === "completed" ? (row.completedAt ?? now) : row.completedAt,
    // A new deadline can raise its alerts again.
    alertLevel: change.dueAt ? null : row.alertLevel,
    updatedAt: now,
  };
  const what = [
    change.status && change.status !== row.status ? `status: ${change.status}` : null,
    change.verification && change.verification !== row.verification ? `verification: ${change.verification}` : null,
    change.action ? `action: ${change.action}` : null,
    change.dueAt ? `due: ${new Date(change.dueAt).toISOString()}` : null,
  ].filter(Boolean).join(", ") || "note";
  await db.batch([
    db.update(dsrRequests).set(patch).where(eq(dsrRequests.id, row.id)),
    db.insert(dsrEvents).values(eventRow(row.id, by, what, change.note ?? null, now)),
  ]);
  return { ...row, ...patch };
}

export function requestView(r: RequestRow, now = Date.now()) {
  return {
    id: r.id,
    regime: r.regime,
    kind: r.kind,
    source: r.source,
    status: r.status,
    verification: r.verification,
    details: r.details,
    actions: r.actions,
    attachment: r.attachmentName ? { name: r.attachmentName } : null,
    receivedAt: r.receivedAt,
    dueAt: r.dueAt,
    completedAt: r.completedAt,
    overdue: OPEN_STATUSES.includes(r.status) && r.dueAt < now,
    orgId: r.orgId,
  };
}

export const eventView = (e: EventRow) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, note: e.note });

export async function listUserRequests({ ctx: { db }, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  return db.select().from(dsrRequests).where(eq(dsrRequests.userId, userId)).orderBy(desc(dsrRequests.receivedAt)).limit(200);
}

/** One of the user's own requests, or NOT_FOUND (another person's looks like a missing one). */
export async function getUserRequest({ ctx: { db }, input: { userId, id } }: { ctx: Ctx; input: { userId: string; id: string } }) {
  const [row] = await db.select().from(dsrRequests).where(and(eq(dsrRequests.id, id), eq(dsrRequests.userId, userId))).limit(1);
  if (!row) throw notFound("Request");
  return row;
}

export async function eventsOf({ ctx: { db }, input: { requestId } }: { ctx: Pick<Ctx, "db">; input: { requestId: string } }) {
  return db.select().from(dsrEvents).where(eq(dsrEvents.requestId, requestId)).orderBy(asc(dsrEvents.at));
}
