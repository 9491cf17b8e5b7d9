// Social publishing: compose, media library, scheduling (per-workspace Publisher alarm), exactly-once
// publishing; scheduled posts go through the approval path as publish_post actions.
import { registerActionExecutor } from "../../core/actions";
import { publishExecutor } from "./executor";

registerActionExecutor(publishExecutor);

export { publishingRoutes, publicMediaRoutes, publishingDevRoutes } from "./routes";
export { nextDueAt, publishDue } from "./engine";
export { publishBenchRoutes } from "./bench-routes";
