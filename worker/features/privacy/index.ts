export { accountDeletionRoutes } from "./account-routes";
export { dsrDeadlineAlerts } from "./alerts";
export { eventsOf, eventView, EXTENSION_DAYS, NEAR_DUE_MS, OPEN_STATUSES, recordRequest, requestView, updateRequest } from "./dsr";
export { closeErasureRequests, eraseChildAccount } from "./erasure";
export { loadUser, PAGE_ROWS } from "./export/build";
export { buildManifest, exportPlan, listUserFiles, type Manifest, pageRows, schemaVersion } from "./export/collect";
export { exportPrefix, type LastExport, partKey } from "./export/keys";
export { privacyRoutes } from "./routes";
export { idParam, regime } from "./schemas";
