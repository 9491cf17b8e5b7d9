export { billingRoutes, stripeWebhookRoutes } from "./routes";
export { assertCanAddWorkspace, assertWritable, requireWritableOrg, workspaceLimit } from "./limits";
export { PLANS } from "./plans";
