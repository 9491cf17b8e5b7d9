export { reportRoutes, reportShareRoutes } from "./routes";
export { dueReports } from "./due";
