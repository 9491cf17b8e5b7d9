export { dashboardRoutes, agencyDashboardRoutes, metricRoutes } from "./routes";
export { kpisFor, sourcesOf, workspaceTimeZone } from "./service";
export { periodsOf, presetRange } from "./periods";
