import { api } from "../../lib/api";

export type ProviderId = "local" | "anthropic" | "openai" | "gemini";
export type Settings = { textProvider: ProviderId; textModel: string; imageProvider: ProviderId; imageModel: string; fallback: ProviderId[]; budgetMicros: number | null; currency: string };
export type KeyStatus = { provider: ProviderId; source: "builtin" | "organization" | "deployment" | "none"; updatedAt: number | null };
export type SettingsResponse = { settings: Settings; keys: KeyStatus[]; spentThisMonthMicros: number; models: Record<ProviderId, string[]> };
export type UsageRow = { key: string; calls: number; inputTokens: number; outputTokens: number; images: number; costMicros: number; durationMs: number; failures: number };

export const PROVIDER_LABELS: Record<ProviderId, string> = { local: "Built-in (offline)", anthropic: "Anthropic Claude", openai: "OpenAI", gemini: "Google Gemini" };
export const getSettings = (orgId: string) => api<SettingsResponse>(`/api/orgs/${orgId}/ai/settings`);
export const saveSettings = (orgId: string, s: Omit<Settings, "currency">) => api(`/api/orgs/${orgId}/ai/settings`, { method: "PUT", body: s });
export const setKey = (orgId: string, provider: ProviderId, apiKey: string) => api(`/api/orgs/${orgId}/ai/keys/${provider}`, { method: "PUT", body: { apiKey } });
export const removeKey = (orgId: string, provider: ProviderId) => api(`/api/orgs/${orgId}/ai/keys/${provider}`, { method: "DELETE" });
export const getUsage = (orgId: string, by: string) => api<{ rows: UsageRow[]; currency: string }>("/api/ai/usage", { query: { orgId, by } });

export const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
