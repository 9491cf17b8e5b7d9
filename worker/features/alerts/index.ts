export { alertRoutes } from "./routes";
export { evaluateAlerts } from "./evaluate";
