export { openApiRoutes } from "./routes";
