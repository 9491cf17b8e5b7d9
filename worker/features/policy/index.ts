export { CURRENT_POLICY } from "./current";
export { policyRoutes } from "./routes";
export { acceptanceStatus, acceptPolicy, continueAnnouncements, currentPolicy, listVersions, publishPolicy } from "./versions";
export { acceptanceStatusView, policyInForceView, policyTextView, policyVersionView } from "./schemas";
