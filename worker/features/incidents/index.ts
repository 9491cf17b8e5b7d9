export { incidentRoutes } from "./routes";
export { incidentDeadlineAlerts } from "./service";
