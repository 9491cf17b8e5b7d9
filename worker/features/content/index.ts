// The content studio's public surface.
export { contentRoutes } from "./routes";
