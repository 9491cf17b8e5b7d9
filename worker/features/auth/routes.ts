import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { ApiError } from "../../lib/errors";
import { doc, validate } from "../../lib/validate";
import { loginBody, signupBody } from "./schemas";
import { checkCredentials, publicUser, signup } from "./service";
import { openSession, setRefreshCookie } from "./sessions";

const meta = (c: { req: { header(n: string): string | undefined } }, ip: string) => ({
  ip,
  userAgent: c.req.header("user-agent"),
});

export const authRoutes = new Hono<AppEnv>()
  .post(
    "/signup",
    doc({ summary: "Create an account and its organization", tags: ["auth"], public: true }),
    validate("json", signupBody),
    async (c) => {
      const input = c.req.valid("json");
      const result = await signup(c.var.db, c.var.config, input, meta(c, c.var.clientIp));
      setRefreshCookie(c, result.refreshToken);
      return c.json(
        { user: result.user, organization: result.organization, accessToken: result.accessToken },
        201,
      );
    },
  )
  .post(
    "/login",
    doc({ summary: "Sign in with email and password", tags: ["auth"], public: true }),
    validate("json", loginBody),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const user = await checkCredentials(c.var.db, email, password);
      if (!user) throw new ApiError("UNAUTHORIZED", "Incorrect email or password");
      const session = await openSession(c.var.db, c.var.config, user.id, meta(c, c.var.clientIp));
      setRefreshCookie(c, session.refreshToken);
      return c.json({ user: publicUser(user), accessToken: session.accessToken });
    },
  );
