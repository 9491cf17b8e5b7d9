export { taskRoutes } from "./routes";
