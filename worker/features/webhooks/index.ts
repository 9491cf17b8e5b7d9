export { webhookRoutes } from "./routes";
