export { operatorRoutes } from "./routes";
