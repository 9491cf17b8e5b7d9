import { and, asc, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { timeEntries } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { getProjectInWorkspace, getWorkspaceInOrg, isOrgAdmin, type FinanceCtx } from "../context";
import { checkBudgets } from "../budgets/service";
import { entryLocked } from "../signoffs/service";

type Entry = typeof timeEntries.$inferSelect;
const MAX_ENTRY_MS = 24 * 3_600_000;

export const entryView = (e: Entry) => ({
  ...e,
  durationMs: e.endedAt === null ? null : e.endedAt - e.startedAt,
  billed: e.invoiceId !== null,
});

const running = (ctx: FinanceCtx) => and(eq(timeEntries.orgId, ctx.org.orgId), eq(timeEntries.userId, ctx.org.userId), isNull(timeEntries.endedAt));

type EntryInput = { workspaceId: string; projectId?: string | null; taskId?: string | null; startedAt: number; endedAt: number | null; timeZone: string; billable?: boolean; notes?: string };

/** The row a timer start or a manual entry inserts: the caller's, unbilled, rate fixed only when invoiced. */
function newEntry(ctx: FinanceCtx, input: EntryInput): Entry {
  return {
    id: newId(),
    orgId: ctx.org.orgId,
    workspaceId: input.workspaceId,
    projectId: input.projectId ?? null,
    taskId: input.taskId ?? null,
    userId: ctx.org.userId,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    timeZone: input.timeZone,
    billable: input.billable ?? true,
    notes: input.notes ?? "",
    rateMinor: null,
    invoiceId: null,
    invoiceLineId: null,
    signoffId: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
}

async function checkTargets(ctx: FinanceCtx, workspaceId: string, projectId?: string | null) {
  await getWorkspaceInOrg(ctx, workspaceId);
  if (projectId) await getProjectInWorkspace(ctx, workspaceId, projectId);
}

export async function runningTimer({ ctx }: { ctx: FinanceCtx }) {
  const [row] = await ctx.db.select().from(timeEntries).where(running(ctx)).limit(1);
  return row ? entryView(row) : null;
}

/**
 * Starts the caller's timer. A timer already running is stopped in the same batch, and the
 * partial unique index (one running entry per person) makes a concurrent second start fail
 * instead of leaving two running.
 */
export async function startTimer({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId: string; projectId?: string | null; taskId?: string | null; notes?: string; billable?: boolean; timeZone: string } }) {
  await checkTargets(ctx, input.workspaceId, input.projectId);
  const row = newEntry(ctx, { ...input, startedAt: ctx.now, endedAt: null });
  try {
    await ctx.db.batch([
      ctx.db.update(timeEntries).set({ endedAt: ctx.now, updatedAt: ctx.now }).where(running(ctx)),
      ctx.db.insert(timeEntries).values(row),
    ]);
  } catch (err) {
    if (/UNIQUE/i.test(String((err as Error)?.cause ?? err))) throw new ApiError("CONFLICT", "Another timer was started at the same moment; reload to see it");
    throw err;
  }
  return entryView(row);
}

export async function stopTimer({ ctx }: { ctx: FinanceCtx }) {
  const [row] = await ctx.db.update(timeEntries).set({ endedAt: ctx.now, updatedAt: ctx.now }).where(running(ctx)).returning();
  if (!row) throw new ApiError("CONFLICT", "No timer is running");
  await checkBudgets(ctx, row);
  return entryView(row);
}

function checkSpan(startedAt: number, endedAt: number) {
  if (endedAt <= startedAt) throw new ApiError("VALIDATION_FAILED", "An entry must end after it starts", { details: [{ path: "endedAt", message: "Must be after the start" }] });
  if (endedAt - startedAt > MAX_ENTRY_MS) throw new ApiError("VALIDATION_FAILED", "An entry can be at most 24 hours long", { details: [{ path: "endedAt", message: "At most 24 hours after the start" }] });
}

export async function createEntry({ ctx, input }: { ctx: FinanceCtx; input: { workspaceId: string; projectId?: string | null; taskId?: string | null; startedAt: number; endedAt: number; timeZone: string; billable?: boolean; notes?: string } }) {
  checkSpan(input.startedAt, input.endedAt);
  await checkTargets(ctx, input.workspaceId, input.projectId);
  const row = newEntry(ctx, input);
  await ctx.db.insert(timeEntries).values(row);
  await checkBudgets(ctx, row);
  return entryView(row);
}

/** The caller's own entry (any entry of the organization for admins), or NOT_FOUND. */
async function getEntry(ctx: FinanceCtx, entryId: string) {
  const [row] = await ctx.db
    .select()
    .from(timeEntries)
    .where(and(eq(timeEntries.id, entryId), eq(timeEntries.orgId, ctx.org.orgId), isOrgAdmin(ctx) ? undefined : eq(timeEntries.userId, ctx.org.userId)))
    .limit(1);
  if (!row) throw notFound("Time entry");
  return row;
}

const billedConflict = () => new ApiError("CONFLICT", "This entry is on an invoice; void the invoice to change it");
const signedConflict = () => new ApiError("CONFLICT", "This entry is awaiting or has the client's sign-off; reopen the sign-off to change it");

/** 409 when the entry is billed or held by a pending or approved client sign-off. */
async function assertEditable(ctx: FinanceCtx, row: Entry) {
  if (row.invoiceId) throw billedConflict();
  if (!row.signoffId) return;
  const [held] = await ctx.db.select({ id: timeEntries.id }).from(timeEntries).where(and(eq(timeEntries.id, row.id), entryLocked)).limit(1);
  if (held) throw signedConflict();
}
const unlocked = sql`not ${entryLocked}`;

export async function updateEntry({ ctx, input }: { ctx: FinanceCtx; input: { entryId: string; projectId?: string | null; startedAt?: number; endedAt?: number; timeZone?: string; billable?: boolean; notes?: string } }) {
  const row = await getEntry(ctx, input.entryId);
  await assertEditable(ctx, row);
  const { entryId, ...patch } = input;
  const next = { ...row, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Entry;
  if (next.endedAt !== null) checkSpan(next.startedAt, next.endedAt);
  else if (input.endedAt === undefined && input.startedAt !== undefined && input.startedAt > ctx.now) throw new ApiError("VALIDATION_FAILED", "A running timer cannot start in the future");
  if (input.projectId) await getProjectInWorkspace(ctx, row.workspaceId, input.projectId);
  const [updated] = await ctx.db
    .update(timeEntries)
    .set({ ...patch, updatedAt: ctx.now })
    .where(and(eq(timeEntries.id, entryId), eq(timeEntries.orgId, ctx.org.orgId), isNull(timeEntries.invoiceId), unlocked))
    .returning();
  if (!updated) throw new ApiError("CONFLICT", "This entry was just billed or put up for sign-off; reload to see it");
  await checkBudgets(ctx, updated);
  return entryView(updated);
}

export async function deleteEntry({ ctx, input }: { ctx: FinanceCtx; input: { entryId: string } }) {
  const row = await getEntry(ctx, input.entryId);
  await assertEditable(ctx, row);
  const res = await ctx.db
    .delete(timeEntries)
    .where(and(eq(timeEntries.id, row.id), eq(timeEntries.orgId, ctx.org.orgId), isNull(timeEntries.invoiceId), unlocked))
    .returning({ id: timeEntries.id });
  if (!res.length) throw new ApiError("CONFLICT", "This entry was just billed or put up for sign-off; reload to see it");
}

export async function listEntries({ ctx, input }: { ctx: FinanceCtx; input: { from: number; to: number; workspaceId?: string; userId?: string } }) {
  if (input.to <= input.from) throw new ApiError("VALIDATION_FAILED", "`to` must be after `from`");
  if (input.to - input.from > 400 * 86_400_000) throw new ApiError("VALIDATION_FAILED", "A range can span at most 400 days");
  const who = !isOrgAdmin(ctx) ? ctx.org.userId : input.userId === "all" ? undefined : (input.userId ?? ctx.org.userId);
  const rows = await ctx.db
    .select()
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.orgId, ctx.org.orgId),
        who ? eq(timeEntries.userId, who) : undefined,
        input.workspaceId ? eq(timeEntries.workspaceId, input.workspaceId) : undefined,
        gte(timeEntries.startedAt, input.from),
        lt(timeEntries.startedAt, input.to),
      ),
    )
    .orderBy(asc(timeEntries.startedAt))
    .limit(2000);
  return rows.map(entryView);
}
