export { orgRoutes } from "./routes";
