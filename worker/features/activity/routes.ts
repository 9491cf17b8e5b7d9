import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { activityQuery } from "./schemas";
import { listActivity, orgScope, userScope } from "./service";

/** P06: usage data, readable by organization owners/admins (their org) and by each user (their own). */
export const activityRoutes = new Hono<AppEnv>()
  .get(
    "/orgs/:orgId/activity",
    doc({ summary: "The organization's activity log, newest first (owners and admins)", tags: ["activity"] }),
    requireOrg("admin"),
    validate("query", activityQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await listActivity(c.var.db, orgScope(c.var.org.orgId), limit, cursor));
    },
  )
  .get(
    "/me/activity",
    doc({ summary: "Your own activity, newest first", tags: ["activity", "account"] }),
    validate("query", activityQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      return c.json(await listActivity(c.var.db, userScope(c.var.auth.userId), limit, cursor));
    },
  );
