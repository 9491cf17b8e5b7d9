import { client, type BodyOf, type ResponseOf } from "./client";

export type Overview = ResponseOf<"/api/privacy/overview", "get">;
export type Flags = Overview["processing"];
export type Consent = Overview["consent"];
export type DsrRequest = Overview["requests"][number];
export type DsrEvent = ResponseOf<"/api/privacy/requests/{requestId}", "get">["events"][number];
export type ExportJob = Overview["exports"][number];

export const privacyOverview = () => client.get("/api/privacy/overview");
export const setProcessing = (body: BodyOf<"/api/privacy/processing", "put">) => client.put("/api/privacy/processing", { body });
export const setConsent = (body: BodyOf<"/api/privacy/consents", "put">) => client.put("/api/privacy/consents", { body });
export const listRequests = () => client.get("/api/privacy/requests");
export const fileRequest = (body: BodyOf<"/api/privacy/requests", "post">) => client.post("/api/privacy/requests", { body });
export const getRequest = (requestId: string) => client.get("/api/privacy/requests/{requestId}", { params: { requestId } });
export const cancelRequest = (requestId: string) => client.post("/api/privacy/requests/{requestId}/cancel", { params: { requestId } });
export const startExport = () => client.post("/api/privacy/exports");
export const exportLink = (jobId: string) => client.post("/api/privacy/exports/{jobId}/link", { params: { jobId } });
