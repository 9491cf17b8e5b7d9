export { workspaceRoutes } from "./routes";
