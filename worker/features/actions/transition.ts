// One state change of an action and its audit entry, in one D1 batch. The UPDATE is conditional on
// the states it may come from (two approvers, two runners: one wins, the other changes nothing);
// the audit entry is an INSERT … SELECT that only finds the row when this transition's token is
// the one now stored, so a lost race writes no entry either.
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import type { ActionRecord } from "../../core/actions";
import { actions, approvalEvents, type ActionState } from "../../db/schema";
import { newId } from "../../lib/ids";

export type ActionRow = typeof actions.$inferSelect;
export type AuditAction = (typeof approvalEvents.$inferInsert)["action"];
/** Who made the change: a person (their id and the role the policy saw), or the system (autopilot, the runner). */
export type Actor = { userId: string | null; role: string };

export const SYSTEM: Actor = { userId: null, role: "system" };
export const AUTOPILOT: Actor = { userId: null, role: "autopilot" };

export const ACTION_SUBJECT = "action";

/** The audit entry of each action `which` selects (none when another transition won: `which` checks the token). */
const auditFor = (ctx: Ctx, id: SQL<string>, which: SQL | undefined, to: ActionState, actor: Actor, event: { action: AuditAction; note?: string | null }) =>
  ctx.db.insert(approvalEvents).select(
    ctx.db
      .select({
        id: id.as("id"),
        orgId: actions.orgId,
        workspaceId: actions.workspaceId,
        subjectKind: sql<string>`${ACTION_SUBJECT}`.as("subject_kind"),
        subjectId: actions.id,
        action: sql<AuditAction>`${event.action}`.as("action"),
        toStatus: sql<string>`${to}`.as("to_status"),
        actorId: sql<string | null>`${actor.userId}`.as("actor_id"),
        actorRole: sql<string>`${actor.role}`.as("actor_role"),
        note: sql<string | null>`${event.note ?? null}`.as("note"),
        createdAt: sql<number>`${ctx.now}`.as("created_at"),
      })
      .from(actions)
      .where(which),
  );

/** The audit entry of the transition whose token is `token` (nothing when another transition won). */
export const auditOf = (ctx: Ctx, id: string, token: string, to: ActionState, actor: Actor, event: { action: AuditAction; note?: string | null }) =>
  auditFor(ctx, sql<string>`${newId()}`, and(eq(actions.id, id), eq(actions.transitionId, token)), to, actor, event);

/** A fresh v4-style UUID per row, in SQL: one INSERT … SELECT writes an audit entry for each of several actions. */
const sqlUuid = sql<string>`lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/**
 * The same transition of several actions of one workspace (a burst claimed or set waiting together):
 * one conditional UPDATE … RETURNING for all of them, sharing one token, and one INSERT … SELECT
 * writing an audit entry for each row that moved. An action no longer in `from` (another runner won)
 * is not returned and gets no entry, exactly as with transitionStatements.
 */
export function transitionManyStatements(
  ctx: Ctx,
  scope: { orgId: string; workspaceId: string },
  ids: string[],
  from: readonly ActionState[],
  to: ActionState,
  patch: Partial<typeof actions.$inferInsert>,
  actor: Actor,
  event: { action: AuditAction; note?: string | null },
  extraWhere?: ReturnType<typeof sql>,
) {
  const token = newId();
  const audit = auditFor(ctx, sqlUuid, and(inArray(actions.id, ids), eq(actions.transitionId, token)), to, actor, event);
  return [
    ctx.db
      .update(actions)
      .set({ ...patch, state: to, transitionId: token, updatedAt: ctx.now })
      .where(and(inArray(actions.id, ids), eq(actions.orgId, scope.orgId), eq(actions.workspaceId, scope.workspaceId), inArray(actions.state, [...from]), extraWhere))
      .returning(),
    audit,
  ] as const;
}

/** Moves the action from one of `from` to `to` with `patch`; null when it was no longer in `from`. */
export async function transition(
  ctx: Ctx,
  row: Pick<ActionRow, "id" | "orgId" | "workspaceId">,
  from: readonly ActionState[],
  to: ActionState,
  patch: Partial<typeof actions.$inferInsert>,
  actor: Actor,
  event: { action: AuditAction; note?: string | null },
  extraWhere?: ReturnType<typeof sql>,
): Promise<ActionRow | null> {
  const [updated] = await ctx.db.batch(transitionStatements(ctx, row, from, to, patch, actor, event, extraWhere));
  return updated[0] ?? null;
}

/** The two statements of one transition (its conditional UPDATE … RETURNING and its audit entry), to batch several transitions in one D1 round trip. */
export function transitionStatements(
  ctx: Ctx,
  row: Pick<ActionRow, "id" | "orgId" | "workspaceId">,
  from: readonly ActionState[],
  to: ActionState,
  patch: Partial<typeof actions.$inferInsert>,
  actor: Actor,
  event: { action: AuditAction; note?: string | null },
  extraWhere?: ReturnType<typeof sql>,
) {
  const token = newId();
  return [
    ctx.db
      .update(actions)
      .set({ ...patch, state: to, transitionId: token, updatedAt: ctx.now })
      .where(and(eq(actions.id, row.id), eq(actions.orgId, row.orgId), eq(actions.workspaceId, row.workspaceId), inArray(actions.state, [...from]), extraWhere))
      .returning(),
    auditOf(ctx, row.id, token, to, actor, event),
  ] as const;
}

export const recordOf = (row: ActionRow): ActionRecord => ({
  id: row.id, orgId: row.orgId, workspaceId: row.workspaceId, kind: row.kind, subjectType: row.subjectType, subjectId: row.subjectId,
  before: row.before, after: row.after, attemptId: row.attemptId, proposedBy: row.proposedBy, agentRunId: row.agentRunId,
});
