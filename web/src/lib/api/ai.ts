// The AI engine's API: jobs and agent runs, brand voice, content intelligence, agent schedules,
// the organization's AI settings and keys, usage. Types come from api-types.gen.ts.
import { client, type BodyOf, type ResponseOf } from "./client";

export type Job = ResponseOf<"/api/ai/jobs/{aiJobId}", "get">["job"];
export type JobStep = Job["steps"][number];
export type Kind = Job["kind"];
export type Agent = NonNullable<Job["agent"]>;
export type JobRequest = BodyOf<"/api/workspaces/{workspaceId}/ai/jobs", "post">;
export type BrandVoice = BodyOf<"/api/workspaces/{workspaceId}/ai/brand-voice", "put">;
export type Patterns = ResponseOf<"/api/workspaces/{workspaceId}/ai/patterns", "get">;
export type Schedule = ResponseOf<"/api/workspaces/{workspaceId}/ai/schedules", "get">["schedules"][number];
export type ScheduleRequest = BodyOf<"/api/workspaces/{workspaceId}/ai/schedules", "post">;
export type SettingsResponse = ResponseOf<"/api/orgs/{orgId}/ai/settings", "get">;
export type Settings = SettingsResponse["settings"];
export type SettingsRequest = BodyOf<"/api/orgs/{orgId}/ai/settings", "put">;
export type KeyStatus = SettingsResponse["keys"][number];
export type ProviderId = KeyStatus["provider"];
export type KeyProvider = Exclude<ProviderId, "local">;
export type Usage = ResponseOf<"/api/ai/usage", "get">;
export type UsageRow = Usage["rows"][number];
export type UsageBy = Usage["by"];

export const startJob = (workspaceId: string, kind: Kind, input: Record<string, unknown>, agent?: Agent) =>
  client.post("/api/workspaces/{workspaceId}/ai/jobs", { params: { workspaceId }, body: { kind, input, ...(agent ? { agent } : {}) } });
export const getJob = (aiJobId: string) => client.get("/api/ai/jobs/{aiJobId}", { params: { aiJobId } }).then((r) => r.job);
export const cancelJob = (aiJobId: string) => client.post("/api/ai/jobs/{aiJobId}/cancel", { params: { aiJobId } });
export const listJobs = (workspaceId: string, agents = false) =>
  client.get("/api/workspaces/{workspaceId}/ai/jobs", { params: { workspaceId }, query: { agents: agents ? "true" : undefined } }).then((r) => r.jobs);

export const getVoice = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/ai/brand-voice", { params: { workspaceId } });
export const saveVoice = (workspaceId: string, voice: BrandVoice) => client.put("/api/workspaces/{workspaceId}/ai/brand-voice", { params: { workspaceId }, body: voice });
export const getPatterns = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/ai/patterns", { params: { workspaceId } });

export const listSchedules = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/ai/schedules", { params: { workspaceId } }).then((r) => r.schedules);
export const addSchedule = (workspaceId: string, s: ScheduleRequest) => client.post("/api/workspaces/{workspaceId}/ai/schedules", { params: { workspaceId }, body: s });
export const removeSchedule = (workspaceId: string, scheduleId: string) =>
  client.delete("/api/workspaces/{workspaceId}/ai/schedules/{scheduleId}", { params: { workspaceId, scheduleId } });

export const getSettings = (orgId: string) => client.get("/api/orgs/{orgId}/ai/settings", { params: { orgId } });
export const saveSettings = (orgId: string, s: SettingsRequest) => client.put("/api/orgs/{orgId}/ai/settings", { params: { orgId }, body: s });
export const setKey = (orgId: string, provider: KeyProvider, apiKey: string) => client.put("/api/orgs/{orgId}/ai/keys/{provider}", { params: { orgId, provider }, body: { apiKey } });
export const removeKey = (orgId: string, provider: KeyProvider) => client.delete("/api/orgs/{orgId}/ai/keys/{provider}", { params: { orgId, provider } });
export const getUsage = (orgId: string, by: UsageBy) => client.get("/api/ai/usage", { query: { orgId, by } });
