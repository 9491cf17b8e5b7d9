import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { clearRefreshCookie } from "../auth";
import { deleteAccount } from "./erasure";
import { accountDeletionView, passwordBody } from "./schemas";

/** DELETE /api/me: the right to erasure (P13, P19, P20). */
export const accountDeletionRoutes = new Hono<AppEnv>().delete(
  "/",
  doc({ summary: "Delete your account (password required): signed out everywhere at once, erased within 30 days, cancellable until then", tags: ["privacy"], status: 202, response: accountDeletionView, activity: { action: "account.delete" } }),
  validate("json", passwordBody),
  async (c) => {
    const result = await deleteAccount({ ctx: c.var.ctx, input: { ...c.req.valid("json"), userId: c.var.auth.userId } });
    clearRefreshCookie(c);
    return c.json(result, 202);
  },
);
