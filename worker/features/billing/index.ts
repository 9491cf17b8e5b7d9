export { billingRoutes, stripeWebhookRoutes } from "./routes";
export { assertCanAddWorkspace, assertWritable, workspaceLimit } from "./limits";
export { PLANS } from "./plans";
export { planGuard } from "./guard";
