import { client, type BodyOf, type ResponseOf } from "./client";

export type ConversationList = ResponseOf<"/api/orgs/{orgId}/inbox/conversations", "get">;
export type Conversation = ConversationList["conversations"][number];
export type ConversationStatus = Conversation["status"];
export type Thread = ResponseOf<"/api/inbox/conversations/{conversationId}", "get">;
export type Message = Thread["messages"][number];
export type Mailbox = ResponseOf<"/api/workspaces/{workspaceId}/inbox/mailboxes", "get">["mailboxes"][number];
export type ConversationPatch = BodyOf<"/api/inbox/conversations/{conversationId}", "patch">;

export type Category = NonNullable<Conversation["category"]>;
export type Rule = ResponseOf<"/api/orgs/{orgId}/inbox/rules", "get">["rules"][number];
export type RuleBody = BodyOf<"/api/orgs/{orgId}/inbox/rules", "post">;
export type Team = ResponseOf<"/api/orgs/{orgId}/inbox/teams", "get">["teams"][number];
export type TeamBody = BodyOf<"/api/orgs/{orgId}/inbox/teams", "post">;
export type Sla = ResponseOf<"/api/workspaces/{workspaceId}/inbox/sla", "get">;
export type SlaBody = BodyOf<"/api/workspaces/{workspaceId}/inbox/sla", "put">;
export const categories = ["lead", "client_request", "support", "billing", "newsletter", "spam", "other"] as const satisfies readonly Category[];
export const categoryLabels: Record<Category, string> = { lead: "Lead", client_request: "Client request", support: "Support", billing: "Billing", newsletter: "Newsletter", spam: "Spam", other: "Other" };

export const listConversations = (orgId: string, query: { status?: ConversationStatus; assignee?: "all" | "mine" | "unassigned"; workspaceId?: string; category?: Category; sla?: "at_risk" }) =>
  client.get("/api/orgs/{orgId}/inbox/conversations", { params: { orgId }, query });
export const getThread = (conversationId: string) => client.get("/api/inbox/conversations/{conversationId}", { params: { conversationId } });
export const updateConversation = (conversationId: string, body: ConversationPatch) => client.patch("/api/inbox/conversations/{conversationId}", { params: { conversationId }, body });
export const markRead = (conversationId: string) => client.post("/api/inbox/conversations/{conversationId}/read", { params: { conversationId } });
export const addNote = (conversationId: string, body: string) => client.post("/api/inbox/conversations/{conversationId}/notes", { params: { conversationId }, body: { body } });
export const saveDraft = (conversationId: string, body: string, draftId?: string) => client.post("/api/inbox/conversations/{conversationId}/drafts", { params: { conversationId }, body: { body, draftId } });
export const sendReply = (conversationId: string, body: string, draftId?: string) => client.post("/api/inbox/conversations/{conversationId}/reply", { params: { conversationId }, body: { body, draftId } });
export const generateAiDraft = (conversationId: string, draftId?: string) => client.post("/api/inbox/conversations/{conversationId}/ai-draft", { params: { conversationId }, body: { draftId } });
export const classifyConversation = (conversationId: string) => client.post("/api/inbox/conversations/{conversationId}/classify", { params: { conversationId } });
export const listRules = (orgId: string) => client.get("/api/orgs/{orgId}/inbox/rules", { params: { orgId } });
export const createRule = (orgId: string, body: RuleBody) => client.post("/api/orgs/{orgId}/inbox/rules", { params: { orgId }, body });
export const deleteRule = (orgId: string, inboxRuleId: string) => client.delete("/api/orgs/{orgId}/inbox/rules/{inboxRuleId}", { params: { orgId, inboxRuleId } });
export const listTeams = (orgId: string) => client.get("/api/orgs/{orgId}/inbox/teams", { params: { orgId } });
export const createTeam = (orgId: string, body: TeamBody) => client.post("/api/orgs/{orgId}/inbox/teams", { params: { orgId }, body });
export const updateTeam = (orgId: string, teamId: string, body: TeamBody) => client.put("/api/orgs/{orgId}/inbox/teams/{teamId}", { params: { orgId, teamId }, body });
export const deleteTeam = (orgId: string, teamId: string) => client.delete("/api/orgs/{orgId}/inbox/teams/{teamId}", { params: { orgId, teamId } });
export const getSla = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/inbox/sla", { params: { workspaceId } });
export const putSla = (workspaceId: string, body: SlaBody) => client.put("/api/workspaces/{workspaceId}/inbox/sla", { params: { workspaceId }, body });
export const allowImages = (conversationId: string, sender: string) => client.post("/api/inbox/conversations/{conversationId}/images", { params: { conversationId }, body: { sender } });
export const listMailboxes = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/inbox/mailboxes", { params: { workspaceId } });
export const connectGmail = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/gmail/connect", { params: { workspaceId }, body: {} });
export const connectOutlook = (workspaceId: string) => client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/outlook/connect", { params: { workspaceId }, body: {} });
export const connectIcloud = (workspaceId: string, body: BodyOf<"/api/workspaces/{workspaceId}/inbox/mailboxes/icloud/connect", "post">) =>
  client.post("/api/workspaces/{workspaceId}/inbox/mailboxes/icloud/connect", { params: { workspaceId }, body });
export const syncMailbox = (mailboxId: string) => client.post("/api/inbox/mailboxes/{mailboxId}/sync", { params: { mailboxId } });
export const disconnectMailbox = (mailboxId: string) => client.delete("/api/inbox/mailboxes/{mailboxId}", { params: { mailboxId } });
