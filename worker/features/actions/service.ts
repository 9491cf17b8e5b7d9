import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Ctx, OrgCtx, TenantCtx } from "../../core/context";
import { actionExecutor, type ActionJson, type ActionKind, type ActionRecord } from "../../core/actions";
import { processingAllowed } from "../../core/restrictions";
import { atLeast } from "../../core/tenancy";
import { actions, actionSettings, approvalEvents, approvalPolicies, memberships, portalAccess, users, workspaces, type ActionState, type ApproverRole } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { approverRoleOf, auditStatement, DEFAULT_APPROVERS } from "../approvals";
import { kickRunner } from "./runner";
import type { ActionView, ListQuery } from "./schemas";
import { ACTION_SUBJECT, AUTOPILOT, recordOf, transition, type Actor, type ActionRow } from "./transition";

export type ProposeInput = {
  kind: ActionKind;
  subjectType: string;
  subjectId: string;
  summary: string;
  before: ActionJson;
  after: ActionJson;
  /** When it should happen (ms); absent: as soon as it is approved. */
  scheduledFor?: number | null;
  /** Set when an agent run (the AI issue) proposes it on the user's behalf. */
  agentRunId?: string | null;
  /** The done action this one undoes (set by revertAction). */
  revertOf?: string | null;
};


const actorOf = (t: TenantCtx["tenant"]): Actor => ({ userId: t.userId, role: approverRoleOf(t) ?? t.role });

export async function kindSettings(ctx: Ctx, t: { orgId: string; workspaceId: string }, kind: ActionKind) {
  const [row] = await ctx.db
    .select({ autopilot: actionSettings.autopilot, limits: actionSettings.limits })
    .from(actionSettings)
    .where(and(eq(actionSettings.workspaceId, t.workspaceId), eq(actionSettings.orgId, t.orgId), eq(actionSettings.kind, kind)))
    .limit(1);
  return row ?? { autopilot: false, limits: {} as Record<string, number> };
}

/** Null when autopilot may run the action without a person, else why it waits. */
async function autopilotVerdict(ctx: TenantCtx, record: ActionRecord): Promise<string | null> {
  const settings = await kindSettings(ctx, ctx.tenant, record.kind);
  if (!settings.autopilot) return null;
  // Art. 18/21: a restriction or objection stops automation on that person's (or organization's) data.
  if (!(await processingAllowed(ctx.db, { userId: ctx.tenant.userId, orgId: ctx.tenant.orgId }, "automation"))) {
    return "Automation is restricted or objected to in the privacy center, so this waits for a person";
  }
  const executor = actionExecutor(record.kind);
  if (!executor) return "QWEB cannot run this kind of action here yet";
  if (!executor.guard) return "This kind has no guardrails, so autopilot does not run it alone";
  return executor.guard({ ctx, action: record, limits: settings.limits });
}

/**
 * Proposes an action. With autopilot on for its kind and inside the kind's guardrails it is
 * approved at once (by "autopilot"); otherwise it waits for a person the policy allows.
 *
 * With autopilot on, the guardrail check and the insert run inside the workspace's ActionRunner
 * (one at a time per workspace), so the guards' counts ("N sends a day", "N posts a day per
 * channel", "±20 % a day") cannot be passed by two proposals at once: each sees the other's row.
 */
export async function proposeAction({ ctx, input }: { ctx: TenantCtx; input: ProposeInput }): Promise<ActionView> {
  const { tenant } = ctx;
  const id = newId();
  const settings = await kindSettings(ctx, tenant, input.kind);
  const ns = ctx.env.ACTION_RUNNER;
  if (settings.autopilot && ns) await ns.get(ns.idFromName(tenant.workspaceId)).propose({ tenant, now: ctx.now, id, input });
  else await insertProposal(ctx, id, input, (at) => kickRunner(ctx, tenant.workspaceId, at));
  return (await viewsOf(ctx, tenant, [await getRow(ctx, tenant, id)]))[0]!;
}

/**
 * Decides (autopilot's guardrails, when on) and inserts the proposed action with its audit
 * entries. Two calls for one workspace must not overlap while autopilot is on: ActionRunner.propose
 * runs them one after the other; `kick` wakes the runner for an autopiloted action.
 */
export async function insertProposal(ctx: TenantCtx, id: string, input: ProposeInput, kick: (at: number) => Promise<void>): Promise<void> {
  const { db, tenant, now } = ctx;
  const row: typeof actions.$inferInsert = {
    id, orgId: tenant.orgId, workspaceId: tenant.workspaceId, kind: input.kind, subjectType: input.subjectType, subjectId: input.subjectId,
    summary: input.summary.slice(0, 500), before: input.before, after: input.after, state: "proposed", scheduledFor: input.scheduledFor ?? null,
    attemptId: newId(), attempts: 0, proposedBy: input.agentRunId ? null : tenant.userId, agentRunId: input.agentRunId ?? null,
    revertOf: input.revertOf ?? null, transitionId: newId(), createdAt: now, updatedAt: now,
  };
  const settings = await kindSettings(ctx, tenant, input.kind);
  const verdict = settings.autopilot ? await autopilotVerdict(ctx, recordOf(row as ActionRow)) : "manual";
  const auto = settings.autopilot && verdict === null;
  const dueAt = Math.max(now, input.scheduledFor ?? now);
  if (auto) {
    Object.assign(row, { state: dueAt > now ? "scheduled" : "approved", dueAt: runnerDueAt(input.kind, dueAt), approvedAt: now, approvedAs: AUTOPILOT.role });
  } else if (settings.autopilot) row.waitReason = verdict;
  await db.batch([
    db.insert(actions).values(row),
    input.agentRunId
      ? db.insert(approvalEvents).values({ id: newId(), orgId: tenant.orgId, workspaceId: tenant.workspaceId, subjectKind: ACTION_SUBJECT, subjectId: id, action: "requested", toStatus: "proposed", actorId: null, actorRole: "agent", note: `Proposed by agent run ${input.agentRunId}`, createdAt: now })
      : auditStatement({ ctx: { ...ctx, tenant, now }, input: { subjectKind: ACTION_SUBJECT, subjectId: id, action: "requested", toStatus: "proposed" } }),
    ...(auto ? [db.insert(approvalEvents).values({ id: newId(), orgId: tenant.orgId, workspaceId: tenant.workspaceId, subjectKind: ACTION_SUBJECT, subjectId: id, action: "approved", toStatus: row.state, actorId: null, actorRole: AUTOPILOT.role, note: "Inside the guardrails", createdAt: now })] : []),
  ]);
  if (auto) await handOff(ctx, row as ActionRow, dueAt, kick);
}

/** When the runner looks at an approved action: at once, or after its kind's own scheduler had its grace (handoff). */
const runnerDueAt = (kind: ActionKind, dueAt: number) => dueAt + (actionExecutor(kind)?.handoff?.graceMs ?? 0);

/**
 * Hands an approved action's work to its kind's scheduler for `dueAt` (when the kind has one) and
 * wakes the runner for the action's own due time. A hand-off that fails costs nothing but time:
 * the action becomes due for the runner at `dueAt` itself, whose executor hands the work over then.
 */
async function handOff(ctx: Ctx, row: ActionRow, dueAt: number, kick: (at: number) => Promise<void>) {
  const handoff = actionExecutor(row.kind)?.handoff;
  if (handoff) {
    try {
      await handoff.arm({ ctx, action: recordOf(row), dueAt });
    } catch (err) {
      console.error(JSON.stringify({ level: "error", event: "action-handoff-failed", actionId: row.id, kind: row.kind, error: err instanceof Error ? err.message : String(err) }));
      await ctx.db.update(actions).set({ dueAt }).where(and(eq(actions.id, row.id), eq(actions.workspaceId, row.workspaceId), inArray(actions.state, ["approved", "scheduled"])));
      return kick(dueAt);
    }
  }
  await kick(row.dueAt ?? dueAt);
}

export async function getRow(ctx: Ctx, t: { orgId: string; workspaceId: string }, id: string): Promise<ActionRow> {
  const [row] = await ctx.db
    .select()
    .from(actions)
    .where(and(eq(actions.id, id), eq(actions.orgId, t.orgId), eq(actions.workspaceId, t.workspaceId)))
    .limit(1);
  if (!row) throw notFound("Action");
  return row;
}

async function assertMayApprove(ctx: TenantCtx, row: ActionRow) {
  const approvers = (await approversByWorkspace(ctx, ctx.tenant.orgId, [ctx.tenant.workspaceId])).get(`${ctx.tenant.workspaceId}|${row.kind}`) ?? DEFAULT_APPROVERS;
  const role = approverRoleOf(ctx.tenant);
  if (!role || !approvers.includes(role)) throw forbidden(`Under this workspace's policy, ${approvers.join(", ")} approve ${row.kind.replace("_", " ")} actions`);
  return approvers;
}

const orgApproverRole = (r: string): ApproverRole => (r === "member" ? "editor" : "admin");
const portalApproverRole = (r: string): ApproverRole | null => (r === "editor" ? "portal_editor" : r === "admin" ? "portal_admin" : null);

/**
 * Whether someone other than `userId` could approve under `approvers`: a member of the
 * organization (members approve as editor, owners and admins as admin) or a client-portal user of
 * the workspace (portal editor or admin) who is not also a member.
 */
export async function otherApproverExists(ctx: Ctx, t: { orgId: string; workspaceId: string }, approvers: ApproverRole[], userId: string): Promise<boolean> {
  const team = await ctx.db.select({ role: memberships.role }).from(memberships).where(and(eq(memberships.orgId, t.orgId), ne(memberships.userId, userId)));
  if (team.some((m) => approvers.includes(orgApproverRole(m.role)))) return true;
  if (!approvers.some((a) => a.startsWith("portal_"))) return false;
  const portal = await ctx.db
    .select({ role: portalAccess.role })
    .from(portalAccess)
    .leftJoin(memberships, and(eq(memberships.orgId, portalAccess.orgId), eq(memberships.userId, portalAccess.userId)))
    .where(and(eq(portalAccess.orgId, t.orgId), eq(portalAccess.workspaceId, t.workspaceId), ne(portalAccess.userId, userId), isNull(memberships.id)));
  return portal.some((p) => { const r = portalApproverRole(p.role); return !!r && approvers.includes(r); });
}

export const SELF_APPROVED = "Self-approved: the proposer is the only person who can approve it";

const conflict = (row: ActionRow, what: string) =>
  new ApiError("CONFLICT", `This action is ${row.state}; it can no longer be ${what}`, { details: { state: row.state } });

export async function approveAction({ ctx, input }: { ctx: TenantCtx; input: { id: string; note?: string } }): Promise<ActionView> {
  const row = await getRow(ctx, ctx.tenant, input.id);
  const approvers = await assertMayApprove(ctx, row);
  if (row.state !== "proposed") throw conflict(row, "approved");
  // Four eyes: whoever proposed it may approve it only when no one else could.
  const self = row.proposedBy === ctx.tenant.userId;
  if (self && (await otherApproverExists(ctx, ctx.tenant, approvers, ctx.tenant.userId))) {
    throw forbidden("You proposed this action, so someone else who may approve it has to; it waits for them");
  }
  const dueAt = Math.max(ctx.now, row.scheduledFor ?? ctx.now);
  const actor = actorOf(ctx.tenant);
  const note = self ? (input.note ? `${SELF_APPROVED}. ${input.note}` : SELF_APPROVED) : input.note;
  const next = await transition(ctx, row, ["proposed"], dueAt > ctx.now ? "scheduled" : "approved", { dueAt: runnerDueAt(row.kind, dueAt), approvedBy: ctx.tenant.userId, approvedAt: ctx.now, approvedAs: actor.role }, actor, { action: "approved", note });
  if (!next) throw conflict(await getRow(ctx, ctx.tenant, input.id), "approved");
  await handOff(ctx, next, dueAt, (at) => kickRunner(ctx, row.workspaceId, at));
  return (await viewsOf(ctx, ctx.tenant, [next]))[0]!;
}

export async function rejectAction({ ctx, input }: { ctx: TenantCtx; input: { id: string; note?: string } }): Promise<ActionView> {
  const row = await getRow(ctx, ctx.tenant, input.id);
  await assertMayApprove(ctx, row);
  if (row.state !== "proposed") throw conflict(row, "rejected");
  const next = await transition(ctx, row, ["proposed"], "rejected", { dueAt: null, finishedAt: ctx.now }, actorOf(ctx.tenant), { action: "rejected", note: input.note });
  if (!next) throw conflict(await getRow(ctx, ctx.tenant, input.id), "rejected");
  return (await viewsOf(ctx, ctx.tenant, [next]))[0]!;
}

const CANCELLABLE: ActionState[] = ["proposed", "approved", "scheduled"];

/** Withdraws an action that has not started: its proposer, an approver, or a workspace admin. */
export async function cancelAction({ ctx, input }: { ctx: TenantCtx; input: { id: string; note?: string } }): Promise<ActionView> {
  const row = await getRow(ctx, ctx.tenant, input.id);
  if (row.proposedBy !== ctx.tenant.userId && !atLeast(ctx.tenant.role, "admin")) await assertMayApprove(ctx, row);
  if (!CANCELLABLE.includes(row.state)) throw conflict(row, "cancelled");
  const next = await transition(ctx, row, CANCELLABLE, "cancelled", { dueAt: null, finishedAt: ctx.now }, actorOf(ctx.tenant), { action: "status", note: input.note ?? "Cancelled" });
  if (!next) throw conflict(await getRow(ctx, ctx.tenant, input.id), "cancelled");
  return (await viewsOf(ctx, ctx.tenant, [next]))[0]!;
}

/** The open undo of a done action (proposed, approved, running or done), if any. */
async function pendingRevert(ctx: Ctx, t: { orgId: string; workspaceId: string }, ids: string[]) {
  if (!ids.length) return new Set<string>();
  const rows = await ctx.db
    .select({ revertOf: actions.revertOf })
    .from(actions)
    .where(and(eq(actions.orgId, t.orgId), eq(actions.workspaceId, t.workspaceId), inArray(actions.revertOf, ids), inArray(actions.state, ["proposed", "approved", "scheduled", "running", "done"])));
  return new Set(rows.map((r) => r.revertOf!));
}

/** One click: proposes the action that undoes a done one (it goes through the same approval path). */
export async function revertAction({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<ActionView> {
  const row = await getRow(ctx, ctx.tenant, input.id);
  if (!atLeast(ctx.tenant.role, "editor")) throw forbidden();
  const executor = actionExecutor(row.kind);
  if (row.state !== "done" || !executor?.revert) throw new ApiError("CONFLICT", row.state !== "done" ? "Only a done action can be undone" : "This kind of action cannot be undone");
  if ((await pendingRevert(ctx, ctx.tenant, [row.id])).has(row.id)) throw new ApiError("CONFLICT", "This action already has an undo");
  const inverse = executor.revert({ ctx, action: recordOf(row), result: row.providerResult ?? null });
  if (!inverse) throw new ApiError("CONFLICT", "This action cannot be undone any more");
  return proposeAction({
    ctx,
    input: { kind: row.kind, subjectType: row.subjectType, subjectId: row.subjectId, summary: `Undo: ${row.summary}`.slice(0, 500), before: inverse.before, after: inverse.after, revertOf: row.id },
  });
}

/** Approvers per `${workspaceId}|${kind}` for the workspaces given (saved policies only). */
async function approversByWorkspace(ctx: Ctx, orgId: string, workspaceIds: string[]) {
  const rows = workspaceIds.length
    ? await ctx.db
        .select({ workspaceId: approvalPolicies.workspaceId, kind: approvalPolicies.subjectKind, approvers: approvalPolicies.approvers })
        .from(approvalPolicies)
        .where(and(eq(approvalPolicies.orgId, orgId), inArray(approvalPolicies.workspaceId, workspaceIds)))
    : [];
  return new Map(rows.map((r) => [`${r.workspaceId}|${r.kind}`, r.approvers]));
}

type Caller = { userId: string; orgId: string; role: TenantCtx["tenant"]["role"]; orgRole: TenantCtx["tenant"]["orgRole"] };

async function withNames(ctx: Ctx, rows: ActionRow[]) {
  const ids = [...new Set(rows.flatMap((r) => [r.proposedBy, r.approvedBy]).filter((x): x is string => !!x))];
  if (!ids.length) return new Map<string, string>();
  const found = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids.slice(0, 90)));
  return new Map(found.map((u) => [u.id, u.name]));
}

/** Views for the caller: who may approve each, whether the caller may, whether it can be undone. */
export async function viewsOf(ctx: Ctx, caller: Caller | { orgId: string; workspaceId: string; userId: string; role: TenantCtx["tenant"]["role"]; orgRole: TenantCtx["tenant"]["orgRole"] }, rows: ActionRow[], roleOf?: (workspaceId: string) => ApproverRole | null): Promise<ActionView[]> {
  const policies = await approversByWorkspace(ctx, caller.orgId, [...new Set(rows.map((r) => r.workspaceId))]);
  const names = await withNames(ctx, rows);
  const done = rows.filter((r) => r.state === "done" && actionExecutor(r.kind)?.revert);
  const reverted = new Set<string>();
  for (const ws of new Set(done.map((r) => r.workspaceId))) {
    for (const id of await pendingRevert(ctx, { orgId: caller.orgId, workspaceId: ws }, done.filter((r) => r.workspaceId === ws).map((r) => r.id).slice(0, 90))) reverted.add(id);
  }
  const myRole = roleOf ?? (() => approverRoleOf(caller));
  // The caller's own proposals: approvable by them only when no one else could approve.
  const selfBlocked = new Set<string>();
  const checked = new Map<string, boolean>();
  for (const r of rows) {
    if (r.state !== "proposed" || r.proposedBy !== caller.userId) continue;
    const approvers = policies.get(`${r.workspaceId}|${r.kind}`) ?? DEFAULT_APPROVERS;
    const key = `${r.workspaceId}|${approvers.join(",")}`;
    if (!checked.has(key)) checked.set(key, await otherApproverExists(ctx, { orgId: caller.orgId, workspaceId: r.workspaceId }, approvers, caller.userId));
    if (checked.get(key)) selfBlocked.add(r.id);
  }
  return rows.map((r) => {
    const approvers = policies.get(`${r.workspaceId}|${r.kind}`) ?? DEFAULT_APPROVERS;
    const role = myRole(r.workspaceId);
    return {
      id: r.id, workspaceId: r.workspaceId, kind: r.kind, subjectType: r.subjectType, subjectId: r.subjectId, summary: r.summary, before: r.before, after: r.after,
      state: r.state, scheduledFor: r.scheduledFor, dueAt: r.dueAt, attempts: r.attempts, proposedBy: r.proposedBy, proposedByName: r.proposedBy ? names.get(r.proposedBy) ?? null : null,
      agentRunId: r.agentRunId, approvedBy: r.approvedBy, approvedByName: r.approvedBy ? names.get(r.approvedBy) ?? null : null, approvedAt: r.approvedAt, approvedAs: r.approvedAs,
      waitReason: r.waitReason, providerResult: r.providerResult ?? null, error: r.error, revertOf: r.revertOf,
      revertible: r.state === "done" && !!actionExecutor(r.kind)?.revert && !reverted.has(r.id),
      approvers, canApprove: r.state === "proposed" && !!role && approvers.includes(role) && !selfBlocked.has(r.id), createdAt: r.createdAt, updatedAt: r.updatedAt, finishedAt: r.finishedAt,
    };
  });
}

export async function listActions({ ctx, input }: { ctx: TenantCtx; input: ListQuery }): Promise<ActionView[]> {
  const { tenant } = ctx;
  const rows = await ctx.db
    .select()
    .from(actions)
    .where(and(
      eq(actions.orgId, tenant.orgId), eq(actions.workspaceId, tenant.workspaceId),
      input.waiting ? eq(actions.state, "proposed") : input.state ? eq(actions.state, input.state) : undefined,
      input.kind ? eq(actions.kind, input.kind) : undefined,
    ))
    .orderBy(desc(actions.createdAt))
    .limit(input.limit);
  const views = await viewsOf(ctx, tenant, rows);
  return input.waiting ? views.filter((v) => v.canApprove) : views;
}

/** Across an agency's clients: every workspace of the organization (members work on all of them). */
export async function listOrgActions({ ctx, input }: { ctx: OrgCtx; input: ListQuery }) {
  const { org } = ctx;
  const rows = await ctx.db
    .select({ action: actions, workspaceName: workspaces.name })
    .from(actions)
    .innerJoin(workspaces, and(eq(workspaces.id, actions.workspaceId), eq(workspaces.orgId, org.orgId)))
    .where(and(
      eq(actions.orgId, org.orgId),
      input.waiting ? eq(actions.state, "proposed") : input.state ? eq(actions.state, input.state) : undefined,
      input.kind ? eq(actions.kind, input.kind) : undefined,
    ))
    .orderBy(desc(actions.createdAt))
    .limit(input.limit);
  const role: ApproverRole = org.role === "member" ? "editor" : "admin";
  const views = await viewsOf(ctx, { userId: org.userId, orgId: org.orgId, role: org.role === "member" ? "editor" : "org-admin", orgRole: org.role }, rows.map((r) => r.action), () => role);
  const names = new Map(rows.map((r) => [r.action.id, r.workspaceName]));
  const out = views.map((v) => ({ ...v, workspaceName: names.get(v.id)! }));
  return input.waiting ? out.filter((v) => v.canApprove) : out;
}

export async function actionDetail({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await getRow(ctx, ctx.tenant, input.id);
  const [view] = await viewsOf(ctx, ctx.tenant, [row]);
  const trail = await ctx.db
    .select({ id: approvalEvents.id, action: approvalEvents.action, toStatus: approvalEvents.toStatus, actorId: approvalEvents.actorId, actorName: users.name, actorRole: approvalEvents.actorRole, note: approvalEvents.note, createdAt: approvalEvents.createdAt })
    .from(approvalEvents)
    .leftJoin(users, eq(users.id, approvalEvents.actorId))
    .where(and(eq(approvalEvents.orgId, ctx.tenant.orgId), eq(approvalEvents.workspaceId, ctx.tenant.workspaceId), eq(approvalEvents.subjectKind, ACTION_SUBJECT), eq(approvalEvents.subjectId, row.id)))
    .orderBy(asc(approvalEvents.createdAt), sql`approval_events.rowid`);
  return { ...view!, trail };
}

/** Done actions of one subject since `since` (guards count and compare them: N a day, ±% a day). */
export async function doneActionsOf(ctx: Ctx, t: { orgId: string; workspaceId: string }, kind: ActionKind, since: number, subject?: { type: string; id: string }) {
  return ctx.db
    .select()
    .from(actions)
    .where(and(
      eq(actions.orgId, t.orgId), eq(actions.workspaceId, t.workspaceId), eq(actions.kind, kind), inArray(actions.state, ["approved", "scheduled", "running", "done"]),
      isNotNull(actions.approvedAt), sql`${actions.approvedAt} >= ${since}`,
      subject ? and(eq(actions.subjectType, subject.type), eq(actions.subjectId, subject.id)) : undefined,
    ))
    .orderBy(asc(actions.approvedAt));
}
