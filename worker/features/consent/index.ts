export { analyticsRoutes } from "./analytics";
export { consentRoutes } from "./routes";
export { consentHistory, consentsOf, currentConsent, recordConsent } from "./service";
export { consentState } from "./schemas";
