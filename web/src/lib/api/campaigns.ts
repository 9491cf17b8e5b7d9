import { client, type BodyOf, type ResponseOf } from "./client";

export type CampaignSummary = ResponseOf<"/api/workspaces/{workspaceId}/campaigns", "get">["campaigns"][number];
export type Campaign = ResponseOf<"/api/workspaces/{workspaceId}/campaigns/{campaignId}", "get">["campaign"];
export type CampaignState = Campaign["state"];
export type EmailAccounts = ResponseOf<"/api/workspaces/{workspaceId}/campaigns/lists", "get">;
export type CampaignCreate = BodyOf<"/api/workspaces/{workspaceId}/campaigns", "post">;
export type CampaignPatch = BodyOf<"/api/workspaces/{workspaceId}/campaigns/{campaignId}", "patch">;

const p = (workspaceId: string, campaignId: string) => ({ params: { workspaceId, campaignId } });

export const listCampaigns = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/campaigns", { params: { workspaceId } });
export const emailAccounts = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/campaigns/lists", { params: { workspaceId } });
export const getCampaign = (workspaceId: string, campaignId: string) => client.get("/api/workspaces/{workspaceId}/campaigns/{campaignId}", p(workspaceId, campaignId));
export const createCampaign = (workspaceId: string, body: CampaignCreate) => client.post("/api/workspaces/{workspaceId}/campaigns", { params: { workspaceId }, body });
export const updateCampaign = (workspaceId: string, campaignId: string, body: CampaignPatch) => client.patch("/api/workspaces/{workspaceId}/campaigns/{campaignId}", { ...p(workspaceId, campaignId), body });
export const sendTest = (workspaceId: string, campaignId: string, emails: string[]) => client.post("/api/workspaces/{workspaceId}/campaigns/{campaignId}/test", { ...p(workspaceId, campaignId), body: { emails } });
export const scheduleCampaign = (workspaceId: string, campaignId: string, scheduledFor: number) =>
  client.post("/api/workspaces/{workspaceId}/campaigns/{campaignId}/schedule", { ...p(workspaceId, campaignId), body: { scheduledFor } });
export const sendCampaign = (workspaceId: string, campaignId: string) => client.post("/api/workspaces/{workspaceId}/campaigns/{campaignId}/send", p(workspaceId, campaignId));
export const unscheduleCampaign = (workspaceId: string, campaignId: string) => client.post("/api/workspaces/{workspaceId}/campaigns/{campaignId}/unschedule", p(workspaceId, campaignId));

/** The send_campaign action behind a pending send (the approval path). */
export type SendAction = ResponseOf<"/api/workspaces/{workspaceId}/actions/{actionId}", "get">;
export const getSendAction = (workspaceId: string, actionId: string) => client.get("/api/workspaces/{workspaceId}/actions/{actionId}", { params: { workspaceId, actionId } });
export const approveSend = (workspaceId: string, actionId: string) => client.post("/api/workspaces/{workspaceId}/actions/{actionId}/approve", { params: { workspaceId, actionId }, body: {} });

/** A campaign's subject, preheader and body made from an AI email content item (not saved). */
export type ContentDraft = ResponseOf<"/api/workspaces/{workspaceId}/campaigns/from-content/{contentId}", "get">;
export const draftFromContent = (workspaceId: string, contentId: string) =>
  client.get("/api/workspaces/{workspaceId}/campaigns/from-content/{contentId}", { params: { workspaceId, contentId } });
