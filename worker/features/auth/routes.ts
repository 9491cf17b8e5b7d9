import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireAppOrigin } from "../../middleware/origin";
import { ApiError } from "../../lib/errors";
import { HOUR } from "../../lib/time";
import { doc, validate } from "../../lib/validate";
import { requireAuth } from "../../middleware/auth";
import { rateLimit } from "../../core/throttle";
import { loginBody, signupBody, loginView, sessionsView, signupView, tokenView } from "./schemas";
import { login, signup } from "./service";
import { acceptanceStatus } from "../policy";
import { clearRefreshCookie, listLiveSessions, readRefreshCookie, revokeUserSessions, rotateRefreshToken, setRefreshCookie, signOut } from "./sessions";
import { passwordRoutes } from "./password-routes";
import { bearerOf, inBackground, requestMeta } from "./request";

// /api/auth/* is public (see isPublicPath): routes that need a bearer token apply requireAuth here.
export const authRoutes = new Hono<AppEnv>()
  .post(
    "/signup",
    doc({ summary: "Create an account and its organization", tags: ["auth"], public: true, status: 201, response: signupView, activity: { action: "auth.signup" } }),
    validate("json", signupBody),
    rateLimit("signup", 20, HOUR),
    async (c) => {
      const result = await signup({ ctx: c.var.ctx, input: { body: c.req.valid("json"), meta: requestMeta(c) } });
      c.set("actorId", result.user.id);
      c.set("org", { userId: result.user.id, orgId: result.organization.id, role: "owner" });
      setRefreshCookie(c, result.refreshToken);
      return c.json({ user: result.user, organization: result.organization, accessToken: result.accessToken }, 201);
    },
  )
  .post(
    "/login",
    doc({ summary: "Sign in with email and password (429 + Retry-After when throttled)", tags: ["auth"], public: true, response: loginView, activity: { action: "auth.login" } }),
    validate("json", loginBody),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const { user, session } = await login({ ctx: c.var.ctx, input: { email, password, meta: requestMeta(c), waitUntil: inBackground(c) } });
      c.set("actorId", user.id);
      setRefreshCookie(c, session.refreshToken);
      // P25: after a material policy change the client asks for acceptance before going on.
      const { acceptanceRequired, current } = await acceptanceStatus({ ctx: c.var.ctx, input: { userId: user.id } });
      return c.json({ user, accessToken: session.accessToken, policy: { version: current.version, acceptanceRequired } });
    },
  )
  .post(
    "/refresh",
    doc({ summary: "Exchange the refresh cookie for a new access token (rotates the cookie)", tags: ["auth"], public: true, response: tokenView, activity: { action: "auth.refresh" } }),
    requireAppOrigin,
    async (c) => {
      const token = readRefreshCookie(c);
      if (!token) throw new ApiError("UNAUTHORIZED", "No session cookie. Sign in again.");
      try {
        const rotated = await rotateRefreshToken({ ctx: c.var.ctx, input: { token } });
        c.set("actorId", rotated.userId);
        setRefreshCookie(c, rotated.refreshToken);
        return c.json({ accessToken: rotated.accessToken });
      } catch (err) {
        clearRefreshCookie(c);
        throw err;
      }
    },
  )
  .post(
    "/logout",
    doc({ summary: "Sign out this device (refresh cookie and/or bearer token)", tags: ["auth"], public: true, status: 204, activity: { action: "auth.logout" } }),
    requireAppOrigin,
    async (c) => {
      const refreshToken = readRefreshCookie(c);
      const bearer = bearerOf(c);
      if (!refreshToken && !bearer) throw new ApiError("UNAUTHORIZED", "Not signed in");
      const { actorId } = await signOut({ ctx: c.var.ctx, input: { refreshToken, bearer } });
      if (actorId) c.set("actorId", actorId);
      clearRefreshCookie(c);
      return c.body(null, 204);
    },
  )
  .post("/logout-all", doc({ summary: "Sign out every device", tags: ["auth"], status: 204, activity: { action: "auth.logout-all" } }), requireAuth, async (c) => {
    await revokeUserSessions({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, reason: "logout-all" } });
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .get("/sessions", doc({ summary: "Your signed-in devices", tags: ["auth"], response: sessionsView }), requireAuth, async (c) =>
    c.json({ sessions: await listLiveSessions({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, currentSessionId: c.var.auth.sessionId } }) }),
  )
  .route("/", passwordRoutes);
