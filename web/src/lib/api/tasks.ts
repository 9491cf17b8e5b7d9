// The tasks API (board, comments), typed by the generated api-types.gen.ts.
import { client, type BodyOf, type ResponseOf } from "./client";

export type Task = ResponseOf<"/api/workspaces/{workspaceId}/tasks", "get">["tasks"][number];
export type TaskInput = BodyOf<"/api/workspaces/{workspaceId}/tasks", "post">;
export type TaskPatch = BodyOf<"/api/workspaces/{workspaceId}/tasks/{taskId}", "patch">;

export const listTasks = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/tasks", { params: { workspaceId } });
export const createTask = (workspaceId: string, body: TaskInput) => client.post("/api/workspaces/{workspaceId}/tasks", { params: { workspaceId }, body });
export const updateTask = (workspaceId: string, taskId: string, body: TaskPatch) => client.patch("/api/workspaces/{workspaceId}/tasks/{taskId}", { params: { workspaceId, taskId }, body });
export type TaskMove = BodyOf<"/api/workspaces/{workspaceId}/tasks/{taskId}/move", "post">;
export const moveTask = (workspaceId: string, taskId: string, body: TaskMove) => client.post("/api/workspaces/{workspaceId}/tasks/{taskId}/move", { params: { workspaceId, taskId }, body });
