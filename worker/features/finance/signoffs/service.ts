import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { TenantCtx } from "../../../core/context";
import { notify, type Recipient } from "../../../core/notifications";
import { inChunks } from "../../../db/chunk";
import type { Database } from "../../../db/client";
import { memberships, portalAccess, projects, timeEntries, timeSignoffs, users, workspaces } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { filterOnly, getProjectInWorkspace, getWorkspaceInOrg, requireFinanceAdmin, type FinanceCtx } from "../context";
import { localDay } from "../invoices/dates";

const DAY = 86_400_000;
/** Statuses whose entries are locked: the client is looking at them, or has signed them. */
export const LOCKING = ["pending", "approved"] as const;

/** SQL: the entry is held by a pending or approved sign-off (edits answer 409). */
export const entryLocked = sql`exists (select 1 from ${timeSignoffs} where ${timeSignoffs.id} = ${timeEntries.signoffId} and ${timeSignoffs.status} in ('pending', 'approved'))`;
const entryFree = or(isNull(timeEntries.signoffId), sql`not ${entryLocked}`);

type Scope = { orgId: string; workspaceId?: string; canDecide: boolean };
const requester = alias(users, "requester");
const decider = alias(users, "decider");

async function select(db: Database, scope: Scope, signoffId?: string) {
  const rows = await db
    .select({ s: timeSignoffs, workspaceName: workspaces.name, projectName: projects.name, requestedByName: requester.name, decidedByName: decider.name })
    .from(timeSignoffs)
    .innerJoin(workspaces, eq(workspaces.id, timeSignoffs.workspaceId))
    .leftJoin(projects, eq(projects.id, timeSignoffs.projectId))
    .leftJoin(requester, eq(requester.id, timeSignoffs.requestedBy))
    .leftJoin(decider, eq(decider.id, timeSignoffs.decidedBy))
    .where(and(eq(timeSignoffs.orgId, scope.orgId), scope.workspaceId ? eq(timeSignoffs.workspaceId, scope.workspaceId) : undefined, signoffId ? eq(timeSignoffs.id, signoffId) : undefined))
    .orderBy(desc(timeSignoffs.createdAt))
    .limit(200);
  return rows.map(({ s, ...names }) => ({
    id: s.id, workspaceId: s.workspaceId, workspaceName: names.workspaceName, projectId: s.projectId, projectName: names.projectName ?? null,
    from: s.fromDate, to: s.toDate, status: s.status, message: s.message, entryCount: s.entryCount, totalMinutes: s.totalMinutes, billableMinutes: s.billableMinutes,
    requestedByName: names.requestedByName ?? null, requestedAt: s.createdAt, decidedByName: names.decidedByName ?? null, decidedAt: s.decidedAt, comment: s.comment, reopenedAt: s.reopenedAt,
    canDecide: scope.canDecide && s.status === "pending",
  }));
}

async function getOne(db: Database, scope: Scope, signoffId: string) {
  const [row] = await select(db, scope, signoffId);
  if (!row) throw notFound("Sign-off request");
  return row;
}

/** The request with the entries it holds, each on its local day, and minutes per project. */
async function detail(db: Database, scope: Scope, signoffId: string) {
  const view = await getOne(db, scope, signoffId);
  const rows = await db
    .select({ e: timeEntries, person: users.name, project: projects.name })
    .from(timeEntries)
    .leftJoin(users, eq(users.id, timeEntries.userId))
    .leftJoin(projects, eq(projects.id, timeEntries.projectId))
    .where(and(eq(timeEntries.orgId, scope.orgId), eq(timeEntries.signoffId, signoffId), isNotNull(timeEntries.endedAt)))
    .orderBy(asc(timeEntries.startedAt));
  const entries = rows.map(({ e, person, project }) => ({
    id: e.id, date: localDay(e.startedAt, e.timeZone), startedAt: e.startedAt, endedAt: e.endedAt!, minutes: Math.round((e.endedAt! - e.startedAt) / 60_000),
    timeZone: e.timeZone, billable: e.billable, notes: e.notes, person: person ?? null, project: project ?? null,
  }));
  const byProject = new Map<string, { project: string; minutes: number; entries: number }>();
  for (const e of entries) {
    const k = e.project ?? "General";
    const g = byProject.get(k) ?? { project: k, minutes: 0, entries: 0 };
    g.minutes += e.minutes;
    g.entries += 1;
    byProject.set(k, g);
  }
  return { ...view, entries, byProject: [...byProject.values()] };
}

/** The client's portal editors and admins of a workspace: who decides. */
async function deciders(db: Database, workspaceId: string): Promise<Recipient[]> {
  return db
    .select({ userId: users.id, email: users.email })
    .from(portalAccess)
    .innerJoin(users, eq(users.id, portalAccess.userId))
    .where(and(eq(portalAccess.workspaceId, workspaceId), inArray(portalAccess.role, ["editor", "admin"])));
}

async function agencyRecipients(db: Database, orgId: string, requestedBy: string | null): Promise<Recipient[]> {
  const rows = await db
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), requestedBy ? or(inArray(memberships.role, ["owner", "admin"]), eq(memberships.userId, requestedBy)) : inArray(memberships.role, ["owner", "admin"])));
  return [...new Map(rows.map((r) => [r.userId, r])).values()];
}

const hours = (minutes: number) => `${Math.round((minutes / 60) * 100) / 100} h`;

// ── The agency ──────────────────────────────────────────────────────────────

/**
 * Asks the client to sign off the finished hours of a period (one project or all): the entries
 * not already held by a pending or approved request are claimed by this one and locked.
 */
export async function requestSignoff({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId: string; projectId?: string | null; from: string; to: string; message?: string } }) {
  requireFinanceAdmin(ctx);
  if (input.to < input.from) throw new ApiError("VALIDATION_FAILED", "`to` must not be before `from`", { details: [{ path: "to", message: "On or after `from`" }] });
  if (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`) > 400 * DAY) throw new ApiError("VALIDATION_FAILED", "A period can span at most 400 days");
  const client = await getWorkspaceInOrg(ctx, input.workspaceId);
  if (input.projectId) await getProjectInWorkspace(ctx, input.workspaceId, input.projectId);
  const orgId = ctx.org.orgId;
  // ±1 day covers every zone's offset; the exact test is on the entry's local day below.
  const candidates = await ctx.db
    .select({ id: timeEntries.id, startedAt: timeEntries.startedAt, timeZone: timeEntries.timeZone })
    .from(timeEntries)
    .where(and(
      eq(timeEntries.orgId, orgId), eq(timeEntries.workspaceId, input.workspaceId), input.projectId ? eq(timeEntries.projectId, input.projectId) : undefined,
      isNotNull(timeEntries.endedAt), gte(timeEntries.startedAt, Date.parse(`${input.from}T00:00:00Z`) - DAY), lte(timeEntries.startedAt, Date.parse(`${input.to}T00:00:00Z`) + 2 * DAY), entryFree,
    ));
  const ids = candidates.filter((e) => { const d = localDay(e.startedAt, e.timeZone); return d >= input.from && d <= input.to; }).map((e) => e.id);
  if (!ids.length) throw new ApiError("UNPROCESSABLE", "There are no finished hours in that period that are not already awaiting or holding a sign-off");
  const id = newId();
  await ctx.db.insert(timeSignoffs).values({
    id, orgId, workspaceId: input.workspaceId, projectId: input.projectId ?? null, fromDate: input.from, toDate: input.to, status: "pending", message: input.message ?? "",
    entryCount: 0, totalMinutes: 0, billableMinutes: 0, requestedBy: ctx.org.userId, decidedBy: null, decidedAt: null, comment: "", reopenedBy: null, reopenedAt: null, createdAt: ctx.now, updatedAt: ctx.now,
  });
  // Claimed only while still free, so two requests never hold one entry.
  const claimed: { startedAt: number; endedAt: number | null; billable: boolean }[] = [];
  for (const part of inChunks(ids, 3)) {
    claimed.push(...(await ctx.db.update(timeEntries).set({ signoffId: id }).where(and(filterOnly(timeEntries.orgId, orgId), inArray(timeEntries.id, part), entryFree)).returning({ startedAt: timeEntries.startedAt, endedAt: timeEntries.endedAt, billable: timeEntries.billable })));
  }
  if (!claimed.length) {
    await ctx.db.delete(timeSignoffs).where(eq(timeSignoffs.id, id));
    throw new ApiError("CONFLICT", "Those hours were just put up for sign-off by someone else");
  }
  const minutes = (xs: typeof claimed) => Math.round(xs.reduce((s, e) => s + (e.endedAt! - e.startedAt), 0) / 60_000);
  const totals = { entryCount: claimed.length, totalMinutes: minutes(claimed), billableMinutes: minutes(claimed.filter((e) => e.billable)) };
  await ctx.db.update(timeSignoffs).set(totals).where(eq(timeSignoffs.id, id));
  const to = await deciders(ctx.db, input.workspaceId);
  if (to.length) {
    await notify({ ctx, input: { recipients: to, notice: {
      kind: "system",
      title: `Please sign off ${hours(totals.totalMinutes)} for ${input.from} – ${input.to}`,
      body: `Your agency asks ${client.name} to approve ${totals.entryCount} time entries (${hours(totals.billableMinutes)} billable).${input.message ? ` "${input.message}"` : ""}`,
      link: "/signoffs",
    } } });
  }
  return getOne(ctx.db, { orgId, canDecide: false }, id);
}

export async function listSignoffs({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId?: string } }) {
  return select(ctx.db, { orgId: ctx.org.orgId, workspaceId: input.workspaceId, canDecide: false });
}

export async function getSignoff({ ctx, input }: { ctx: FinanceCtx; input: { signoffId: string } }) {
  return detail(ctx.db, { orgId: ctx.org.orgId, canDecide: false }, input.signoffId);
}

/** Withdraws a pending request or reopens an approved one: its entries can be edited again. */
export async function reopenSignoff({ ctx, input }: { ctx: FinanceCtx; input: { signoffId: string } }) {
  requireFinanceAdmin(ctx);
  const before = await getOne(ctx.db, { orgId: ctx.org.orgId, canDecide: false }, input.signoffId);
  const [row] = await ctx.db
    .update(timeSignoffs)
    .set({ status: "reopened", reopenedBy: ctx.org.userId, reopenedAt: ctx.now, updatedAt: ctx.now })
    .where(and(eq(timeSignoffs.id, input.signoffId), eq(timeSignoffs.orgId, ctx.org.orgId), inArray(timeSignoffs.status, [...LOCKING])))
    .returning({ id: timeSignoffs.id });
  if (!row) throw new ApiError("CONFLICT", `This request is ${before.status}; only pending or approved requests can be reopened`);
  const to = await deciders(ctx.db, before.workspaceId);
  if (to.length) {
    await notify({ ctx, input: { recipients: to, notice: { kind: "system", title: `Hours for ${before.from} – ${before.to} were reopened`, body: `Your agency reopened the ${before.status === "pending" ? "sign-off request" : "signed-off hours"} of ${before.workspaceName} to change them.`, link: "/signoffs" } } });
  }
  return getOne(ctx.db, { orgId: ctx.org.orgId, canDecide: false }, input.signoffId);
}

// ── The client, in the portal ───────────────────────────────────────────────

/** Portal editors and admins of the workspace decide; the agency's own people never sign for the client. */
async function portalScope(ctx: TenantCtx): Promise<Scope> {
  const [pa] = await ctx.db
    .select({ role: portalAccess.role })
    .from(portalAccess)
    .where(and(eq(portalAccess.workspaceId, ctx.tenant.workspaceId), eq(portalAccess.userId, ctx.tenant.userId), eq(portalAccess.orgId, ctx.tenant.orgId)))
    .limit(1);
  return { orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, canDecide: pa?.role === "editor" || pa?.role === "admin" };
}

export async function portalSignoffs({ ctx }: { ctx: TenantCtx }) {
  return select(ctx.db, await portalScope(ctx));
}

export async function portalSignoff({ ctx, input }: { ctx: TenantCtx; input: { signoffId: string } }) {
  return detail(ctx.db, await portalScope(ctx), input.signoffId);
}

/** The client approves (the entries stay locked) or disputes with a comment (the agency may correct them). */
export async function decideSignoff({ ctx, input }: { ctx: TenantCtx; input: { signoffId: string; decision: "approve" | "dispute"; comment?: string } }) {
  const scope = await portalScope(ctx);
  const before = await getOne(ctx.db, scope, input.signoffId);
  if (!scope.canDecide) throw new ApiError("FORBIDDEN", "Only the client's portal editors and admins sign off hours");
  const comment = input.comment ?? "";
  if (input.decision === "dispute" && comment.length < 3) throw new ApiError("VALIDATION_FAILED", "Say what you question in the hours", { details: [{ path: "comment", message: "Required for a dispute" }] });
  const status = input.decision === "approve" ? "approved" : "disputed";
  const [row] = await ctx.db
    .update(timeSignoffs)
    .set({ status, decidedBy: ctx.tenant.userId, decidedAt: ctx.now, comment, updatedAt: ctx.now })
    .where(and(eq(timeSignoffs.id, input.signoffId), eq(timeSignoffs.orgId, ctx.tenant.orgId), eq(timeSignoffs.workspaceId, ctx.tenant.workspaceId), eq(timeSignoffs.status, "pending")))
    .returning({ requestedBy: timeSignoffs.requestedBy });
  if (!row) throw new ApiError("CONFLICT", `This request is already ${before.status}`);
  const [who] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, ctx.tenant.userId)).limit(1);
  await notify({ ctx, input: { recipients: await agencyRecipients(ctx.db, ctx.tenant.orgId, row.requestedBy), notice: {
    kind: "system",
    title: status === "approved" ? `${before.workspaceName} signed off ${hours(before.totalMinutes)} (${before.from} – ${before.to})` : `${before.workspaceName} disputed the hours of ${before.from} – ${before.to}`,
    body: `${who?.name ?? "The client"} ${status === "approved" ? "approved" : "disputed"} ${before.entryCount} time entries.${comment ? ` "${comment}"` : ""}`,
    link: "/finance?tab=signoffs",
  } } });
  return getOne(ctx.db, scope, input.signoffId);
}
