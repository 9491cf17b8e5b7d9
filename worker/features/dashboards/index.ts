export { dashboardRoutes, agencyDashboardRoutes, metricRoutes } from "./routes";
export { kpisFor, sourcesOf, workspaceTimeZone, getBreakdown } from "./service";
export { monthLength, periodsOf, presetRange, type Range } from "./periods";
