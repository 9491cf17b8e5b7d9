export { dashboardRoutes, agencyDashboardRoutes, metricRoutes } from "./routes";
export { kpisFor, sourcesOf, workspaceTimeZone, getBreakdown } from "./service";
export { periodsOf, presetRange, type Range } from "./periods";
