import { api } from "../../lib/api";

export type Figure = Record<string, number | null>;
export type Point = { bucket: string; value: Figure };
export type Kpi = {
  key: string; label: string; unit: "money" | "count" | "ratio" | "duration"; area: string; definition: string;
  value: Figure; previous: Figure | null; change: Record<string, number | null> | null; series: Point[]; previousSeries: Point[] | null;
};
export type Source = { id: string; provider: string; label: string; status: string; lastSyncAt: number | null; lastError: string | null; areas: string[] };
export type DashboardData = {
  area: string; timeZone: string; range: { from: string; to: string }; comparison: { from: string; to: string } | null; bucket: string;
  connectedAreas: string[]; areas: { area: string; connected: boolean; providers: string[] }[]; sources: Source[]; kpis: Kpi[];
};
export type Breakdown = { dimension: string; metrics: string[]; rows: { value: string; label: string; figures: Record<string, Figure> }[] };
export type Drill = { dimension: string; value: string; label: string; metrics: string[]; days: { day: string; figures: Record<string, Figure> }[] };
export type Widget = { key: string; size: "s" | "m" | "l" };
export type RangeQuery = { preset?: string; from?: string; to?: string; compare: string };
export type Client = { workspaceId: string; name: string; timeZone: string; kpis: Kpi[]; dropped: boolean; drops: { metric: string; currency: string; change: number }[] };
export type AgencyData = { range: { from: string; to: string }; comparison: { from: string; to: string } | null; currencies: string[]; totals: Record<string, Record<string, number>>; clients: Client[] };

const base = (ws: string) => `/api/workspaces/${ws}/dashboard`;
const q = (r: RangeQuery) => (r.from && r.to ? { from: r.from, to: r.to, compare: r.compare } : { preset: r.preset ?? "28d", compare: r.compare });

export const getDashboard = (ws: string, area: string, r: RangeQuery, metrics?: string[]) =>
  api<DashboardData>(base(ws), { query: { area, ...q(r), metrics: metrics?.join(",") } });
export const getBreakdown = (ws: string, dimension: string, metrics: string[], r: RangeQuery) =>
  api<Breakdown>(`${base(ws)}/breakdown`, { query: { dimension, metrics: metrics.join(","), ...q(r) } });
export const getDrill = (ws: string, dimension: string, value: string, metrics: string[], r: RangeQuery) =>
  api<Drill>(`${base(ws)}/drill`, { query: { dimension, value, metrics: metrics.join(","), ...q(r) } });
export const getLayout = (ws: string) => api<{ widgets: Widget[]; custom: boolean }>(`${base(ws)}/layout`);
export const saveLayout = (ws: string, widgets: Widget[]) => api<{ widgets: Widget[]; custom: boolean }>(`${base(ws)}/layout`, { method: "PUT", body: { widgets } });
export const resetLayout = (ws: string) => api<{ widgets: Widget[]; custom: boolean }>(`${base(ws)}/layout`, { method: "DELETE" });
export const setTimeZone = (ws: string, timeZone: string) => api(`${base(ws)}/time-zone`, { method: "PUT", body: { timeZone } });
export const getAgency = (orgId: string, r: RangeQuery) => api<AgencyData>(`/api/orgs/${orgId}/dashboard`, { query: q(r) });
