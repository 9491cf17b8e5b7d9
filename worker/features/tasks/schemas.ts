import { z } from "zod";
import { taskStatuses } from "../../db/schema";

const link = z.strictObject({ kind: z.enum(["alert", "report", "campaign", "post", "url"]), id: z.string().min(1).max(500), label: z.string().trim().min(1).max(200) });
const fields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000),
  status: z.enum(taskStatuses),
  assigneeId: z.string().min(1).max(64).nullable(),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  labels: z.array(z.string().trim().min(1).max(40)).max(20),
  links: z.array(link).max(20),
  visibleToClient: z.boolean(),
};
export const createTaskBody = z.strictObject({
  title: fields.title.optional(), description: fields.description.default(""), status: fields.status.default("todo"),
  assigneeId: fields.assigneeId.default(null), dueDate: fields.dueDate.default(null), labels: fields.labels.default([]), links: fields.links.default([]),
  visibleToClient: fields.visibleToClient.default(false),
  /** Create the task from an alert: its title and a link to it. */
  fromAlertId: z.string().min(1).max(64).optional(),
}).refine((b) => b.title || b.fromAlertId, "A title is required");
export const updateTaskBody = z.strictObject(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof fields]: z.ZodOptional<(typeof fields)[K]> })
  .refine((b) => Object.keys(b).length > 0, "Nothing to update");
export const moveTaskBody = z.strictObject({
  status: z.enum(taskStatuses),
  /** The card it goes right after in that column; null: the top of the column. */
  afterId: z.string().min(1).max(64).nullable(),
});
export const taskParam = z.object({ workspaceId: z.string().min(1).max(64), taskId: z.string().min(1).max(64) });
export const commentBody = z.strictObject({ body: z.string().trim().min(1).max(5000) });

// Response shapes: what the handlers answer (rows of tasks and task_comments).
const linkView = z.object({ kind: z.enum(["alert", "report", "campaign", "post", "url"]), id: z.string(), label: z.string() });
export const taskView = z.object({
  id: z.string(), orgId: z.string(), workspaceId: z.string(), title: z.string(), description: z.string(), status: z.enum(taskStatuses),
  assigneeId: z.string().nullable(), dueDate: z.string().nullable(), labels: z.array(z.string()), links: z.array(linkView), visibleToClient: z.boolean(),
  position: z.number(), remindedDueSoon: z.string().nullable(), remindedOverdue: z.string().nullable(),
  createdBy: z.string().nullable(), createdAt: z.number(), updatedAt: z.number(),
});
export const tasksView = z.object({ tasks: z.array(taskView) });
export const commentsView = z.object({
  comments: z.array(z.object({ id: z.string(), body: z.string(), authorId: z.string().nullable(), author: z.string().nullable(), createdAt: z.number() })),
});
export const commentView = z.object({ id: z.string(), taskId: z.string(), orgId: z.string(), workspaceId: z.string(), authorId: z.string().nullable(), body: z.string(), createdAt: z.number() });
