import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { requireAppOrigin } from "../../middleware/origin";
import { ApiError } from "../../lib/errors";
import { verifyAccessToken } from "../../lib/jwt";
import { HOUR } from "../../lib/time";
import { doc, validate } from "../../lib/validate";
import { requireAuth } from "../../middleware/auth";
import { rateLimit } from "../../core/throttle";
import { loginBody, signupBody, loginView, sessionsView, signupView, tokenView } from "./schemas";
import { login, signup } from "./service";
import { acceptanceStatus } from "../policy";
import { clearRefreshCookie, listLiveSessions, readRefreshCookie, revokeSession, revokeUserSessions, rotateRefreshToken, sessionOfRefreshToken, setRefreshCookie } from "./sessions";
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
      const input = c.req.valid("json");
      const result = await signup(c.var.db, c.var.config, input, requestMeta(c));
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
      const { user, session } = await login(c.env, c.var.db, c.var.config, email, password, requestMeta(c), inBackground(c));
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
        const rotated = await rotateRefreshToken(c.var.db, c.var.config, token);
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
      const cookie = readRefreshCookie(c);
      const bearer = bearerOf(c);
      if (!cookie && !bearer) throw new ApiError("UNAUTHORIZED", "Not signed in");
      const fromCookie = cookie ? await sessionOfRefreshToken(c.var.db, cookie) : null;
      const fromBearer = bearer ? await verifyAccessToken(c.var.config, bearer) : null;
      for (const sessionId of new Set([fromCookie?.sessionId, fromBearer?.sid])) {
        if (sessionId) await revokeSession(c.var.db, sessionId, "logout");
      }
      const actor = fromBearer?.sub ?? fromCookie?.userId;
      if (actor) c.set("actorId", actor);
      clearRefreshCookie(c);
      return c.body(null, 204);
    },
  )
  .post("/logout-all", doc({ summary: "Sign out every device", tags: ["auth"], status: 204, activity: { action: "auth.logout-all" } }), requireAuth, async (c) => {
    await revokeUserSessions(c.var.db, c.var.auth.userId, "logout-all");
    clearRefreshCookie(c);
    return c.body(null, 204);
  })
  .get("/sessions", doc({ summary: "Your signed-in devices", tags: ["auth"], response: sessionsView }), requireAuth, async (c) =>
    c.json({ sessions: await listLiveSessions(c.var.db, c.var.auth.userId, c.var.auth.sessionId) }),
  )
  .route("/", passwordRoutes);
