export { healthRoutes } from "./routes";
