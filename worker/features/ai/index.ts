// The AI feature's public surface: other code imports only this file.
export { aiWorkspaceRoutes, aiJobRoutes, aiOrgRoutes, aiUsageRoutes } from "./routes";
export { runJob, runJobs, deadLetter, imageKey } from "./run";
export { createJob } from "./jobs";
export { getPatterns } from "./patterns";
export { DEFAULT_VOICE } from "./context";
export { kindLabels, kindSchemas, NETWORK_LIMITS } from "./kinds";
export { seedDemoAi } from "./demo";
export { runDueSchedules } from "./schedules";
export { generateStructured, generateStructuredMany, type StructuredResult, type StructuredTask } from "./structured";
