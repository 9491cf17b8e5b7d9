// The content studio's API: the library, an item with its prompt and context, edits and versions,
// comments, the approval path. Types come from api-types.gen.ts.
import { client, type BodyOf, type ResponseOf } from "./client";

export type ContentItem = ResponseOf<"/api/workspaces/{workspaceId}/content", "get">["items"][number];
export type ContentQuery = { kind?: ContentItem["kind"]; status?: ContentItem["status"]; job?: string; q?: string };
export type Detail = ResponseOf<"/api/content/{contentId}", "get">;
export type ContentFull = Detail["content"];
export type Status = ContentItem["status"];
export type ApproverRole = Detail["approvers"][number];
export type Decision = BodyOf<"/api/content/{contentId}/decision", "post">["decision"];

export const listContent = (workspaceId: string, query: ContentQuery = {}) =>
  client.get("/api/workspaces/{workspaceId}/content", { params: { workspaceId }, query }).then((r) => r.items);
export const getContent = (contentId: string) => client.get("/api/content/{contentId}", { params: { contentId } });
export const editContent = (contentId: string, body: Record<string, unknown>, title?: string) =>
  client.patch("/api/content/{contentId}", { params: { contentId }, body: { body, ...(title ? { title } : {}) } });
export const sendForApproval = (contentId: string, note?: string) => client.post("/api/content/{contentId}/send-for-approval", { params: { contentId }, body: note ? { note } : {} });
export const decide = (contentId: string, decision: Decision, note?: string) =>
  client.post("/api/content/{contentId}/decision", { params: { contentId }, body: { decision, ...(note ? { note } : {}) } });
export const setStatus = (contentId: string, status: "draft" | "archived") => client.post("/api/content/{contentId}/status", { params: { contentId }, body: { status } });
export const comment = (contentId: string, body: string) => client.post("/api/content/{contentId}/comments", { params: { contentId }, body: { body } });
export const deleteContent = (contentId: string) => client.delete("/api/content/{contentId}", { params: { contentId } });

export const getApprovers = (workspaceId: string) =>
  client.get("/api/workspaces/{workspaceId}/approval-policies/{subjectKind}", { params: { workspaceId, subjectKind: "content" } }).then((r) => r.approvers);
export const setApprovers = (workspaceId: string, approvers: ApproverRole[]) =>
  client.put("/api/workspaces/{workspaceId}/approval-policies/{subjectKind}", { params: { workspaceId, subjectKind: "content" }, body: { approvers } });
