import { client, type BodyOf, type ResponseOf } from "./client";

export type Campaign = ResponseOf<"/api/workspaces/{workspaceId}/ads/campaigns", "get">["campaigns"][number];
export type OrgCampaign = ResponseOf<"/api/orgs/{orgId}/ads/campaigns", "get">["campaigns"][number];
export type Proposed = ResponseOf<"/api/workspaces/{workspaceId}/ads/integrations/{integrationId}/campaigns/{adCampaignId}/pause", "post">;
export type BudgetBody = BodyOf<"/api/workspaces/{workspaceId}/ads/integrations/{integrationId}/campaigns/{adCampaignId}/budget", "post">;

export const listCampaigns = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/ads/campaigns", { params: { workspaceId } });
export const listOrgCampaigns = (orgId: string) => client.get("/api/orgs/{orgId}/ads/campaigns", { params: { orgId } });
const params = (workspaceId: string, c: { integrationId: string; providerId: string }) => ({ workspaceId, integrationId: c.integrationId, adCampaignId: c.providerId });
export const proposePause = (workspaceId: string, c: Campaign) => client.post("/api/workspaces/{workspaceId}/ads/integrations/{integrationId}/campaigns/{adCampaignId}/pause", { params: params(workspaceId, c), body: {} });
export const proposeResume = (workspaceId: string, c: Campaign) => client.post("/api/workspaces/{workspaceId}/ads/integrations/{integrationId}/campaigns/{adCampaignId}/resume", { params: params(workspaceId, c), body: {} });
export const proposeBudget = (workspaceId: string, c: Campaign, body: BudgetBody) => client.post("/api/workspaces/{workspaceId}/ads/integrations/{integrationId}/campaigns/{adCampaignId}/budget", { params: params(workspaceId, c), body });
