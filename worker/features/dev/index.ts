export { devRoutes } from "./routes";
