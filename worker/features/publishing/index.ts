// Social publishing: compose, media library, scheduling (per-workspace Publisher alarm), exactly-once publishing.
export { publishingRoutes, publicMediaRoutes, publishingDevRoutes } from "./routes";
export { nextDueAt, publishDue } from "./engine";
