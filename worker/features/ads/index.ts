// Ads management: the campaigns table and pause / resume / budget through the approval path.
import { registerActionExecutor } from "../../core/actions";
import { budgetExecutor, pauseExecutor, resumeExecutor } from "./executors";

registerActionExecutor(pauseExecutor);
registerActionExecutor(resumeExecutor);
registerActionExecutor(budgetExecutor);

export { adsRoutes, orgAdsRoutes } from "./routes";
export { seedDemoActions } from "./demo";
