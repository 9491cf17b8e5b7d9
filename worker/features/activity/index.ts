export { activityRoutes } from "./routes";
export { recordActivity } from "./service";
