import { Hono } from "hono";
import { sessionInBatch } from "../../middleware/auth";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { meOf, meReads, updateProfile } from "./profile";
import { meUpdatedView, meView, updateMeBody } from "./schemas";

export const meRoutes = new Hono<AppEnv>().get(
  "/",
  doc({ summary: "The signed-in user, organizations, portal workspaces and roles", tags: ["account"], response: meView }),
  sessionInBatch,
  async (c) => {
    // One statement: the session check (which also reads the profile) carries the reads.
    const json = await c.var.withSessionValue(meReads({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } }));
    return c.json(meOf(c.var.sessionUser, json));
  },
).patch(
  "/",
  doc({ summary: "Update your profile (name)", tags: ["account"], response: meUpdatedView, activity: { action: "account.update" } }),
  validate("json", updateMeBody),
  async (c) => c.json(await updateProfile({ ctx: c.var.ctx, input: { ...c.req.valid("json"), userId: c.var.auth.userId } })),
);
