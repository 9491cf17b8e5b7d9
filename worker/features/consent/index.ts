export { analyticsRoutes } from "./analytics";
export { consentRoutes } from "./routes";
export { consentHistory, currentConsent, recordConsent } from "./service";
export { consentState } from "./schemas";
