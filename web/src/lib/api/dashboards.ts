// The dashboard API (workspace areas, breakdowns, drill-downs, layout, time zone) and the agency
// roll-up, typed by the generated api-types.gen.ts.
import type { paths } from "../api-types.gen";
import { client, type ResponseOf } from "./client";

export type DashboardData = ResponseOf<"/api/workspaces/{workspaceId}/dashboard", "get">;
export type Kpi = DashboardData["kpis"][number];
export type Figure = Kpi["value"];
export type Point = Kpi["series"][number];
export type Source = DashboardData["sources"][number];
export type Breakdown = ResponseOf<"/api/workspaces/{workspaceId}/dashboard/breakdown", "get">;
export type Drill = ResponseOf<"/api/workspaces/{workspaceId}/dashboard/drill", "get">;
export type Layout = ResponseOf<"/api/workspaces/{workspaceId}/dashboard/layout", "get">;
export type Widget = Layout["widgets"][number];
export type AgencyData = ResponseOf<"/api/orgs/{orgId}/dashboard", "get">;
export type Client = AgencyData["clients"][number];
/** A preset (7d, 28d, …) or a custom range, with the comparison wanted. */
export type RangeQuery = { preset?: string; from?: string; to?: string; compare: string };

type Dimension = NonNullable<paths["/api/workspaces/{workspaceId}/dashboard/breakdown"]["get"]["parameters"]["query"]>["dimension"];
type Preset = "7d" | "28d" | "90d" | "12m" | "mtd" | "ytd";
type Compare = "previous" | "year" | "none";
const q = (r: RangeQuery) =>
  r.from && r.to ? { from: r.from, to: r.to, compare: r.compare as Compare } : { preset: (r.preset ?? "28d") as Preset, compare: r.compare as Compare };

export const getDashboard = (workspaceId: string, area: string, r: RangeQuery, metrics?: string[]) =>
  client.get("/api/workspaces/{workspaceId}/dashboard", { params: { workspaceId }, query: { area: area as "overview", ...q(r), ...(metrics ? { metrics: metrics.join(",") } : {}) } });
export const getBreakdown = (workspaceId: string, dimension: string, metrics: string[], r: RangeQuery) =>
  client.get("/api/workspaces/{workspaceId}/dashboard/breakdown", { params: { workspaceId }, query: { dimension: dimension as Dimension, metrics: metrics.join(","), ...q(r) } });
export const getDrill = (workspaceId: string, dimension: string, value: string, metrics: string[], r: RangeQuery) =>
  client.get("/api/workspaces/{workspaceId}/dashboard/drill", { params: { workspaceId }, query: { dimension: dimension as Dimension, value, metrics: metrics.join(","), ...q(r) } });
export const getLayout = (workspaceId: string) => client.get("/api/workspaces/{workspaceId}/dashboard/layout", { params: { workspaceId } });
export const saveLayout = (workspaceId: string, widgets: Widget[]) => client.put("/api/workspaces/{workspaceId}/dashboard/layout", { params: { workspaceId }, body: { widgets } });
export const resetLayout = (workspaceId: string) => client.delete("/api/workspaces/{workspaceId}/dashboard/layout", { params: { workspaceId } });
export const setTimeZone = (workspaceId: string, timeZone: string) => client.put("/api/workspaces/{workspaceId}/dashboard/time-zone", { params: { workspaceId }, body: { timeZone } });
export const getAgency = (orgId: string, r: RangeQuery) => client.get("/api/orgs/{orgId}/dashboard", { params: { orgId }, query: q(r) });
