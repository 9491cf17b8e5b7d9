import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { Database } from "../../db/client";
import { alerts, memberships, taskComments, tasks, users, type TaskLink } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { notify } from "../../core/notifications";
import type { TenantContext } from "../../core/context";

export type Ctx = { env: Env; db: Database; tenant: TenantContext; now: number };
type Task = typeof tasks.$inferSelect;
/** Portal users (no organization role) see only the tasks marked visible to the client. */
const isPortal = (t: TenantContext) => t.orgRole === null;
const scope = (t: TenantContext) => and(eq(tasks.workspaceId, t.workspaceId), eq(tasks.orgId, t.orgId), isPortal(t) ? eq(tasks.visibleToClient, true) : undefined);

export async function getTaskInWorkspace(db: Database, t: TenantContext, id: string): Promise<Task> {
  const [row] = await db.select().from(tasks).where(and(eq(tasks.id, id), scope(t))).limit(1);
  if (!row) throw notFound("Task");
  return row;
}

async function checkAssignee(db: Database, t: TenantContext, id: string | null | undefined) {
  if (!id) return;
  const [m] = await db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, t.orgId), eq(memberships.userId, id))).limit(1);
  if (!m) throw new ApiError("VALIDATION_FAILED", "The assignee must be a member of the organization");
}

async function tellAssignee(ctx: Ctx, task: Task) {
  if (!task.assigneeId || task.assigneeId === ctx.tenant.userId) return;
  const [u] = await ctx.db.select({ userId: users.id, email: users.email }).from(users).where(eq(users.id, task.assigneeId)).limit(1);
  if (u) await notify({ ctx, input: { recipients: [u], notice: { kind: "system", title: `Task assigned to you: ${task.title}`, body: `${task.title}${task.dueDate ? ` (due ${task.dueDate})` : ""}`, link: "/tasks" } } });
}

/** Board order: each column by position; a new task starts at the top (position -createdAt). */
const boardOrder = [asc(tasks.position), desc(tasks.createdAt)] as const;
export const listTasks = ({ ctx }: { ctx: Pick<Ctx, "db" | "tenant"> }) => ctx.db.select().from(tasks).where(scope(ctx.tenant)).orderBy(...boardOrder).limit(500);

type CreateInput = { title?: string; description: string; status: Task["status"]; assigneeId: string | null; dueDate: string | null; labels: string[]; links: TaskLink[]; visibleToClient: boolean; fromAlertId?: string };
export async function createTask({ ctx, input }: { ctx: Ctx; input: CreateInput }) {
  await checkAssignee(ctx.db, ctx.tenant, input.assigneeId);
  const { fromAlertId, ...rest } = input;
  let title = rest.title ?? "";
  const links = [...rest.links];
  if (fromAlertId) {
    const [a] = await ctx.db.select().from(alerts).where(and(eq(alerts.id, fromAlertId), eq(alerts.workspaceId, ctx.tenant.workspaceId), eq(alerts.orgId, ctx.tenant.orgId))).limit(1);
    if (!a) throw notFound("Alert");
    title ||= a.title;
    links.push({ kind: "alert", id: a.id, label: a.title });
  }
  const row: Task = { id: newId(), orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, ...rest, title, links, visibleToClient: isPortal(ctx.tenant) || rest.visibleToClient, position: -ctx.now, remindedDueSoon: null, remindedOverdue: null, createdBy: ctx.tenant.userId, createdAt: ctx.now, updatedAt: ctx.now };
  await ctx.db.insert(tasks).values(row);
  await tellAssignee(ctx, row);
  return row;
}

export async function updateTask({ ctx, input }: { ctx: Ctx; input: { id: string; patch: Partial<Omit<Task, "id" | "orgId" | "workspaceId" | "createdBy" | "createdAt" | "updatedAt">> } }) {
  const before = await getTaskInWorkspace(ctx.db, ctx.tenant, input.id);
  if (input.patch.assigneeId !== undefined) await checkAssignee(ctx.db, ctx.tenant, input.patch.assigneeId);
  await ctx.db.update(tasks).set({ ...input.patch, updatedAt: ctx.now }).where(and(eq(tasks.id, before.id), scope(ctx.tenant)));
  const after = await getTaskInWorkspace(ctx.db, ctx.tenant, before.id);
  if (after.assigneeId && after.assigneeId !== before.assigneeId) await tellAssignee(ctx, after);
  return after;
}

const GAP = 1024;

/**
 * Drag and drop: puts a task into a status column right after another card of that column (or at
 * its top). Only the moved row changes, at the midpoint of its new neighbours; when they leave no
 * room (equal positions) the column is renumbered in one batch.
 */
export async function moveTask({ ctx, input }: { ctx: Ctx; input: { id: string; status: Task["status"]; afterId: string | null } }) {
  const task = await getTaskInWorkspace(ctx.db, ctx.tenant, input.id);
  if (input.afterId === task.id) throw new ApiError("VALIDATION_FAILED", "A task cannot be placed after itself");
  const column = await ctx.db.select({ id: tasks.id, position: tasks.position }).from(tasks)
    .where(and(scope(ctx.tenant), eq(tasks.status, input.status), ne(tasks.id, task.id))).orderBy(...boardOrder).limit(500);
  const at = input.afterId ? column.findIndex((c) => c.id === input.afterId) : -1;
  if (input.afterId && at < 0) throw new ApiError("CONFLICT", "The card to place it after is no longer in that column; reload the board");
  const prev = column[at]?.position;
  const next = column[at + 1]?.position;
  const position = prev === undefined ? (next === undefined ? 0 : next - GAP) : next === undefined ? prev + GAP : (prev + next) / 2;
  const where = (id: string) => and(eq(tasks.id, id), scope(ctx.tenant));
  if (prev !== undefined && next !== undefined && !(prev < position && position < next)) {
    const order = [...column.slice(0, at + 1).map((c) => c.id), task.id, ...column.slice(at + 1).map((c) => c.id)];
    const updates = order.map((id, i) => ctx.db.update(tasks).set(id === task.id ? { status: input.status, position: i * GAP, updatedAt: ctx.now } : { position: i * GAP }).where(where(id)));
    await ctx.db.batch(updates as [(typeof updates)[number], ...(typeof updates)[number][]]);
  } else {
    await ctx.db.update(tasks).set({ status: input.status, position, updatedAt: ctx.now }).where(where(task.id));
  }
  return getTaskInWorkspace(ctx.db, ctx.tenant, task.id);
}

export async function deleteTask({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const t = await getTaskInWorkspace(ctx.db, ctx.tenant, input.id);
  await ctx.db.delete(tasks).where(and(eq(tasks.id, t.id), scope(ctx.tenant)));
}

export async function listComments({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const t = await getTaskInWorkspace(ctx.db, ctx.tenant, input.id);
  return ctx.db.select({ id: taskComments.id, body: taskComments.body, authorId: taskComments.authorId, author: users.name, createdAt: taskComments.createdAt })
    .from(taskComments).leftJoin(users, eq(users.id, taskComments.authorId)).where(eq(taskComments.taskId, t.id)).orderBy(asc(taskComments.createdAt));
}

export async function addComment({ ctx, input }: { ctx: Ctx; input: { id: string; body: string } }) {
  const t = await getTaskInWorkspace(ctx.db, ctx.tenant, input.id);
  const row = { id: newId(), taskId: t.id, orgId: t.orgId, workspaceId: t.workspaceId, authorId: ctx.tenant.userId, body: input.body, createdAt: ctx.now };
  await ctx.db.insert(taskComments).values(row);
  return row;
}
