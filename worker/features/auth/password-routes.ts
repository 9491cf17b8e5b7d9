import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { HOUR, MINUTE } from "../../lib/time";
import { doc, validate } from "../../lib/validate";
import { requireAuth } from "../../middleware/auth";
import { consume, rateLimit } from "../../core/throttle";
import { changePasswordBody, resetConfirmBody, resetRequestBody, tokenView } from "./schemas";
import { changePassword, confirmPasswordReset, requestPasswordReset } from "./passwords";
import { inBackground, requestMeta } from "./request";
import { clearRefreshCookie, setRefreshCookie } from "./sessions";

export const passwordRoutes = new Hono<AppEnv>()
  .post(
    "/password",
    doc({ summary: "Change your password (signs out every other device; this one gets new tokens)", tags: ["auth"], response: tokenView, activity: { action: "auth.password.change" } }),
    requireAuth,
    validate("json", changePasswordBody),
    async (c) => {
      const session = await changePassword({ ctx: c.var.ctx, input: { ...c.req.valid("json"), userId: c.var.auth.userId, meta: requestMeta(c) } });
      setRefreshCookie(c, session.refreshToken);
      return c.json({ accessToken: session.accessToken });
    },
  )
  .post(
    "/password-reset/request",
    doc({ summary: "Email a password reset link (202 whether or not the account exists)", tags: ["auth"], public: true, status: 202, response: null, activity: { action: "auth.password-reset.request" } }),
    validate("json", resetRequestBody),
    rateLimit("reset-request:ip", 20, HOUR),
    async (c) => {
      const { email } = c.req.valid("json");
      // Per address too, so nobody floods one mailbox; the 429 looks the same for any address.
      await consume(c.env, `reset-request:email:${email}`, 3, HOUR);
      inBackground(c)(requestPasswordReset({ ctx: c.var.ctx, input: { email } }));
      return c.body(null, 202);
    },
  )
  .post(
    "/password-reset/confirm",
    doc({ summary: "Set a new password with a reset token (signs out every device)", tags: ["auth"], public: true, status: 204, activity: { action: "auth.password-reset.confirm" } }),
    validate("json", resetConfirmBody),
    rateLimit("reset-confirm:ip", 20, 15 * MINUTE),
    async (c) => {
      c.set("actorId", await confirmPasswordReset({ ctx: c.var.ctx, input: { ...c.req.valid("json"), ip: c.var.clientIp } }));
      clearRefreshCookie(c);
      return c.body(null, 204);
    },
  );
