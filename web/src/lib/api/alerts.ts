// The alerts API (raised alerts, rules), typed by the generated api-types.gen.ts.
import { client, type BodyOf, type ResponseOf } from "./client";

export type AlertRow = ResponseOf<"/api/workspaces/{workspaceId}/alerts", "get">["alerts"][number];
export type RuleRow = ResponseOf<"/api/workspaces/{workspaceId}/alerts/rules", "get">["rules"][number];
export type RuleInput = BodyOf<"/api/workspaces/{workspaceId}/alerts/rules", "post">;

export const listAlerts = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/alerts", { params: { workspaceId } });
export const listRules = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/alerts/rules", { params: { workspaceId } });
export const createRule = (workspaceId: string, body: RuleInput) => client.post("/api/workspaces/{workspaceId}/alerts/rules", { params: { workspaceId }, body });
export const acknowledgeAlert = (workspaceId: string, alertId: string) => client.post("/api/workspaces/{workspaceId}/alerts/{alertId}/acknowledge", { params: { workspaceId, alertId } });
export const snoozeAlert = (workspaceId: string, alertId: string, until: number) =>
  client.post("/api/workspaces/{workspaceId}/alerts/{alertId}/snooze", { params: { workspaceId, alertId }, body: { until } });
