import { Hono, type Context } from "hono";
import type { AppEnv, TenantCtx } from "../../core/context";
import { doc, targetParam, validate } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { commentBody, commentsView, commentView, createTaskBody, moveTaskBody, taskParam, tasksView, taskView, updateTaskBody } from "./schemas";
import { addComment, createTask, deleteTask, listComments, listTasks, moveTask, updateTask, type Ctx } from "./service";

const tags = ["tasks"];
/** The request context the workspace guard built (db, env, config, now, tenant). */
const ctxOf = (c: Context<AppEnv>): Ctx & TenantCtx => c.var.tenantCtx;

/** /api/workspaces/:workspaceId/tasks — editors work on tasks; portal viewers see the client-visible ones. */
export const taskRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "The workspace's tasks (portal users: those visible to the client)", tags, response: tasksView }), requireWorkspace("viewer"), async (c) => c.json({ tasks: await listTasks({ ctx: ctxOf(c) }) }))
  .post("/", doc({ summary: "Create a task, optionally from an alert (editors); the assignee is notified", tags, status: 201, response: taskView, activity: { action: "tasks.task.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("json", createTaskBody), async (c) =>
    c.json(await createTask({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .patch("/:taskId", doc({ summary: "Move, assign, schedule or edit a task (editors)", tags, response: taskView, activity: { action: "tasks.task.update", target: targetParam("task", "taskId") } }), validate("param", taskParam), requireWorkspace("editor"), validate("json", updateTaskBody), async (c) =>
    c.json(await updateTask({ ctx: ctxOf(c), input: { id: c.req.valid("param").taskId, patch: c.req.valid("json") } })),
  )
  .post("/:taskId/move", doc({ summary: "Drag and drop: put a task into a column after another card, or at its top (editors)", tags, response: taskView, activity: { action: "tasks.task.move", target: targetParam("task", "taskId") } }), validate("param", taskParam), requireWorkspace("editor"), validate("json", moveTaskBody), async (c) =>
    c.json(await moveTask({ ctx: ctxOf(c), input: { id: c.req.valid("param").taskId, ...c.req.valid("json") } })),
  )
  .delete("/:taskId", doc({ summary: "Delete a task (editors)", tags, status: 204, response: null, activity: { action: "tasks.task.delete", target: targetParam("task", "taskId") } }), validate("param", taskParam), requireWorkspace("editor"), async (c) => {
    await deleteTask({ ctx: ctxOf(c), input: { id: c.req.valid("param").taskId } });
    return c.body(null, 204);
  })
  .get("/:taskId/comments", doc({ summary: "A task's comments", tags, response: commentsView }), validate("param", taskParam), requireWorkspace("viewer"), async (c) =>
    c.json({ comments: await listComments({ ctx: ctxOf(c), input: { id: c.req.valid("param").taskId } }) }),
  )
  .post("/:taskId/comments", doc({ summary: "Comment on a task (editors)", tags, status: 201, response: commentView, activity: { action: "tasks.comment.create", target: targetParam("task", "taskId") } }), validate("param", taskParam), requireWorkspace("editor"), validate("json", commentBody), async (c) =>
    c.json(await addComment({ ctx: ctxOf(c), input: { id: c.req.valid("param").taskId, body: c.req.valid("json").body } }), 201),
  );
