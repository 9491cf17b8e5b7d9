import { client, type BodyOf, type ResponseOf } from "./client";

export type ConversationList = ResponseOf<"/api/orgs/{orgId}/inbox/conversations", "get">;
export type Conversation = ConversationList["conversations"][number];
export type ConversationStatus = Conversation["status"];
export type Thread = ResponseOf<"/api/inbox/conversations/{conversationId}", "get">;
export type Message = Thread["messages"][number];
export type Mailbox = ResponseOf<"/api/workspaces/{workspaceId}/inbox/mailboxes", "get">["mailboxes"][number];
export type ConversationPatch = BodyOf<"/api/inbox/conversations/{conversationId}", "patch">;

export const listConversations = (orgId: string, query: { status?: ConversationStatus; assignee?: "all" | "mine" | "unassigned"; workspaceId?: string }) =>
  client.get("/api/orgs/{orgId}/inbox/conversations", { params: { orgId }, query });
export const getThread = (conversationId: string) => client.get("/api/inbox/conversations/{conversationId}", { params: { conversationId } });
export const updateConversation = (conversationId: string, body: ConversationPatch) => client.patch("/api/inbox/conversations/{conversationId}", { params: { conversationId }, body });
export const markRead = (conversationId: string) => client.post("/api/inbox/conversations/{conversationId}/read", { params: { conversationId } });
export const addNote = (conversationId: string, body: string) => client.post("/api/inbox/conversations/{conversationId}/notes", { params: { conversationId }, body: { body } });
export const saveDraft = (conversationId: string, body: string) => client.post("/api/inbox/conversations/{conversationId}/drafts", { params: { conversationId }, body: { body } });
export const sendReply = (conversationId: string, body: string) => client.post("/api/inbox/conversations/{conversationId}/reply", { params: { conversationId }, body: { body } });
export const allowImages = (conversationId: string, sender: string) => client.post("/api/inbox/conversations/{conversationId}/images", { params: { conversationId }, body: { sender } });
export const listMailboxes = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/inbox/mailboxes", { params: { workspaceId } });
export const connectGmail = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/gmail/connect", { params: { workspaceId }, body: {} });
export const connectOutlook = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/outlook/connect", { params: { workspaceId }, body: {} });
export const connectIcloud = (workspaceId: string, body: BodyOf<"/api/workspaces/{workspaceId}/inbox/mailboxes/icloud/connect", "post">) =>
  client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/icloud/connect", { params: { workspaceId }, body });
export const syncMailbox = (mailboxId: string) => client.post("/api/inbox/mailboxes/{mailboxId}/sync", { params: { mailboxId } });
export const disconnectMailbox = (mailboxId: string) => client.delete("/api/inbox/mailboxes/{mailboxId}", { params: { mailboxId } });
