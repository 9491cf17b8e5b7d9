import { client, type ResponseOf } from "./client";

export type ActivityPage = ResponseOf<"/api/orgs/{orgId}/activity", "get">;
export type ActivityItem = ActivityPage["items"][number];

export const orgActivity = (orgId: string, query: { limit?: number; cursor?: string | null }) =>
  client.get("/api/orgs/{orgId}/activity", { params: { orgId }, query: { limit: query.limit, cursor: query.cursor ?? undefined } });
export const myActivity = (query: { limit?: number; cursor?: string | null } = {}) =>
  client.get("/api/me/activity", { query: { limit: query.limit, cursor: query.cursor ?? undefined } });
