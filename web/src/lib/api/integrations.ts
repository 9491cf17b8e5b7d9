import { client, type ResponseOf } from "./client";

export type IntegrationList = ResponseOf<"/api/workspaces/{workspaceId}/integrations", "get">;
export type Provider = IntegrationList["providers"][number];
export type FieldSpec = Provider["inputs"][number];
export type Integration = IntegrationList["integrations"][number];
export type SyncRun = ResponseOf<"/api/integrations/{integrationId}/runs", "get">["runs"][number];

export const listIntegrations = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/integrations", { params: { workspaceId } });
export const connectIntegration = (workspaceId: string, provider: string, fields: Record<string, string>) =>
  client.post("/api/workspaces/{workspaceId}/integrations/{provider}/connect", { params: { workspaceId, provider }, body: { fields } });
export const getIntegration = (integrationId: string) => client.get("/api/integrations/{integrationId}", { params: { integrationId } });
export const listRuns = (integrationId: string, limit?: number) => client.get("/api/integrations/{integrationId}/runs", { params: { integrationId }, query: { limit } });
export const syncNow = (integrationId: string, full = false) =>
  client.post("/api/integrations/{integrationId}/sync", { params: { integrationId }, query: { full: full ? "true" : undefined } });
export const disconnectIntegration = (integrationId: string) => client.delete("/api/integrations/{integrationId}", { params: { integrationId } });
