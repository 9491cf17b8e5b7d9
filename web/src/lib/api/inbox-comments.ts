import { client, type ResponseOf } from "./client";

export type CommentThread = ResponseOf<"/api/inbox/conversations/{conversationId}/comments", "get">;
export type CommentInfo = CommentThread["comments"][number];

export const getCommentThread = (conversationId: string) => client.get("/api/inbox/conversations/{conversationId}/comments", { params: { conversationId } });
export const setCommentHidden = (conversationId: string, messageId: string, hidden: boolean) =>
  client.put("/api/inbox/conversations/{conversationId}/comments/{messageId}/hidden", { params: { conversationId, messageId }, body: { hidden } });
export const connectComments = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/inbox/comments/connect", { params: { workspaceId } });

export const channelLabel = (transport: string) => (transport === "facebook" ? "Facebook" : transport === "instagram" ? "Instagram" : "Email");
