export { deviceClass } from "./describe";
export { activityRoutes } from "./routes";
export { recordActivity } from "./service";
