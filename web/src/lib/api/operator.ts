import { client, type BodyOf, type ResponseOf } from "./client";

export type OperatorOverview = ResponseOf<"/api/operator/overview", "get">;
export type OperatorRequest = ResponseOf<"/api/operator/dsr", "get">["requests"][number];
export type Incident = ResponseOf<"/api/operator/incidents", "get">["incidents"][number];
export type PurgeReport = ResponseOf<"/api/operator/purge-reports", "get">["reports"][number];

export const operatorOverview = () => client.get("/api/operator/overview");
export const requestQueue = (status: "open" | "all" = "open") => client.get("/api/operator/dsr", { query: { status } });
export const operatorRequest = (requestId: string) => client.get("/api/operator/dsr/{requestId}", { params: { requestId } });
export const workRequest = (requestId: string, body: BodyOf<"/api/operator/dsr/{requestId}", "patch">) =>
  client.patch("/api/operator/dsr/{requestId}", { params: { requestId }, body });
export const listIncidents = () => client.get("/api/operator/incidents");
export const purgeReports = (limit?: number) => client.get("/api/operator/purge-reports", { query: { limit } });
