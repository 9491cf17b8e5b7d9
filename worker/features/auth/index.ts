export { claimLoginAttempt } from "./login-guard";
export { meRoutes } from "./me";
export { authRoutes } from "./routes";
export { birthDate, email, password, userView } from "./schemas";
export { assertOldEnough, checkCredentials, publicUser } from "./service";
export { clearRefreshCookie, openSession, revokeUserSessions, setRefreshCookie } from "./sessions";
