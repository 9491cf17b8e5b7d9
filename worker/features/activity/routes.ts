import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { activityQuery, activityPageView } from "./schemas";
import { listActivity } from "./service";

/** P06: usage data, readable by organization owners/admins (their org) and by each user (their own). */
export const activityRoutes = new Hono<AppEnv>()
  .get(
    "/orgs/:orgId/activity",
    doc({ summary: "The organization's activity log, newest first (owners and admins)", tags: ["activity"], response: activityPageView }),
    requireOrg("admin"),
    validate("query", activityQuery),
    async (c) => {
      return c.json(await listActivity({ ctx: c.var.ctx, input: { orgId: c.var.org.orgId, ...c.req.valid("query") } }));
    },
  )
  .get(
    "/me/activity",
    doc({ summary: "Your own activity, newest first", tags: ["activity", "account"], response: activityPageView }),
    validate("query", activityQuery),
    async (c) => {
      return c.json(await listActivity({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, ...c.req.valid("query") } }));
    },
  );
