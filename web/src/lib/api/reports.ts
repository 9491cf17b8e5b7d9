// The reports API (template, generated reports, their PDFs and share links), typed by the generated api-types.gen.ts.
import { apiBlob } from "../api";
import { client, type BodyOf, type ResponseOf } from "./client";

export type ReportRow = ResponseOf<"/api/workspaces/{workspaceId}/reports", "get">["reports"][number];
export type Template = ResponseOf<"/api/workspaces/{workspaceId}/reports/template", "get">;
export type TemplateInput = BodyOf<"/api/workspaces/{workspaceId}/reports/template", "put">;
export type Section = Template["sections"][number];
type Preset = NonNullable<BodyOf<"/api/workspaces/{workspaceId}/reports", "post">["preset"]>;

export const listReports = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/reports", { params: { workspaceId } });
export const getTemplate = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/reports/template", { params: { workspaceId } });
export const saveTemplate = (workspaceId: string, body: TemplateInput) => client.put("/api/workspaces/{workspaceId}/reports/template", { params: { workspaceId }, body });
export const generateReport = (workspaceId: string, preset: string) => client.post("/api/workspaces/{workspaceId}/reports", { params: { workspaceId }, body: { preset: preset as Preset } });
export const shareReport = (workspaceId: string, reportId: string, days: number) =>
  client.post("/api/workspaces/{workspaceId}/reports/{reportId}/shares", { params: { workspaceId, reportId }, body: { days } });
/** The PDF (binary, so outside the JSON client). */
export const reportPdf = (workspaceId: string, reportId: string) => apiBlob(`/api/workspaces/${encodeURIComponent(workspaceId)}/reports/${encodeURIComponent(reportId)}/pdf`);
