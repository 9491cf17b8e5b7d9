import { sqliteTable, text, integer, index, real } from "drizzle-orm/sqlite-core";
import { declareData } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

export const taskStatuses = ["todo", "doing", "done"] as const;
export type TaskLink = { kind: "alert" | "report" | "campaign" | "post" | "url"; id: string; label: string };

export const tasks = sqliteTable(
  "tasks",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    title: text().notNull(),
    description: text().notNull().default(""),
    status: text({ enum: taskStatuses }).notNull().default("todo"),
    assigneeId: text().references(() => users.id, { onDelete: "set null" }),
    /** YYYY-MM-DD in the workspace's time zone. */
    dueDate: text(),
    labels: text({ mode: "json" }).notNull().$type<string[]>(),
    links: text({ mode: "json" }).notNull().$type<TaskLink[]>(),
    visibleToClient: integer({ mode: "boolean" }).notNull().default(false),
    /** Order within its status column, ascending (fractional: a move rewrites one row). */
    position: real().notNull().default(0),
    /** The due date whose "due within 24 h" / "overdue" reminder went out; another due date re-arms it. */
    remindedDueSoon: text(),
    remindedOverdue: text(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("tasks_ws_idx").on(t.workspaceId, t.status, t.createdAt), index("tasks_assignee_idx").on(t.assigneeId), index("tasks_due_idx").on(t.dueDate)],
);
declareData(tasks, {
  owners: {
    organization: "org_id", workspace: "workspace_id",
    user: { column: "assignee_id", erase: { clear: ["assignee_id"] } },
  },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Work items of a workspace (title, assignee, due date, links to alerts and reports)",
});

export const taskComments = sqliteTable(
  "task_comments",
  {
    id: text().primaryKey(),
    taskId: text().notNull().references(() => tasks.id, { onDelete: "cascade" }),
    orgId: text().notNull(),
    workspaceId: text().notNull(),
    authorId: text().references(() => users.id, { onDelete: "set null" }),
    body: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("task_comments_task_idx").on(t.taskId, t.createdAt)],
);
declareData(taskComments, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "author_id", erase: { clear: ["author_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Comments on tasks",
});
