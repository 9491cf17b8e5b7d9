import { client, type BodyOf, type ResponseOf } from "./client";

export type ActionList = ResponseOf<"/api/workspaces/{workspaceId}/actions", "get">;
export type Action = ActionList["actions"][number];
export type ActionDetail = ResponseOf<"/api/workspaces/{workspaceId}/actions/{actionId}", "get">;
export type OrgAction = ResponseOf<"/api/orgs/{orgId}/actions", "get">["actions"][number];
export type KindSettings = ResponseOf<"/api/workspaces/{workspaceId}/actions/settings", "get">["settings"][number];
export type SettingsBody = BodyOf<"/api/workspaces/{workspaceId}/actions/settings/{kind}", "put">;
export type ActionKind = Action["kind"];
export type ActionState = Action["state"];

export const listActions = (workspaceId: string, query: { state?: ActionState; kind?: ActionKind; waiting?: "me" } = {}) =>
  client.get("/api/workspaces/{workspaceId}/actions", { params: { workspaceId }, query });
export const listOrgActions = (orgId: string, query: { state?: ActionState; kind?: ActionKind; waiting?: "me" } = {}) => client.get("/api/orgs/{orgId}/actions", { params: { orgId }, query });
export const getAction = (workspaceId: string, actionId: string) => client.get("/api/workspaces/{workspaceId}/actions/{actionId}", { params: { workspaceId, actionId } });
export const approveAction = (workspaceId: string, actionId: string, note?: string) => client.post("/api/workspaces/{workspaceId}/actions/{actionId}/approve", { params: { workspaceId, actionId }, body: note ? { note } : {} });
export const rejectAction = (workspaceId: string, actionId: string, note?: string) => client.post("/api/workspaces/{workspaceId}/actions/{actionId}/reject", { params: { workspaceId, actionId }, body: note ? { note } : {} });
export const cancelAction = (workspaceId: string, actionId: string) => client.post("/api/workspaces/{workspaceId}/actions/{actionId}/cancel", { params: { workspaceId, actionId }, body: {} });
export const revertAction = (workspaceId: string, actionId: string) => client.post("/api/workspaces/{workspaceId}/actions/{actionId}/revert", { params: { workspaceId, actionId } });
export const listActionSettings = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/actions/settings", { params: { workspaceId } });
export const saveActionSettings = (workspaceId: string, kind: ActionKind, body: SettingsBody) => client.put("/api/workspaces/{workspaceId}/actions/settings/{kind}", { params: { workspaceId, kind }, body });

export const kindLabel: Record<ActionKind, string> = {
  publish_post: "Publish a post",
  send_campaign: "Send an email campaign",
  pause_campaign: "Pause an ad campaign",
  resume_campaign: "Resume an ad campaign",
  change_budget: "Change an ad budget",
  send_reply: "Send an inbox reply",
};
