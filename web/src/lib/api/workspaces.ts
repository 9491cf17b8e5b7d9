import { client, type BodyOf, type ResponseOf } from "./client";

export type Workspace = ResponseOf<"/api/workspaces/{workspaceId}", "get">;
export type WorkspaceRole = Workspace["role"];

export const listWorkspaces = () => client.get("/api/workspaces");
export const getWorkspace = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}", { params: { workspaceId } });
export const createWorkspace = (body: BodyOf<"/api/workspaces", "post">) => client.post("/api/workspaces", { body });
export const updateWorkspace = (workspaceId: string, body: BodyOf<"/api/workspaces/{workspaceId}", "patch">) =>
  client.patch("/api/workspaces/{workspaceId}", { params: { workspaceId }, body });
export const deleteWorkspace = (workspaceId: string) => client.delete("/api/workspaces/{workspaceId}", { params: { workspaceId } });

export type PortalUser = ResponseOf<"/api/workspaces/{workspaceId}/portal-users", "get">["users"][number];
export const listPortalUsers = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/portal-users", { params: { workspaceId } });
export const listWorkspaceInvitations = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/invitations", { params: { workspaceId } });
