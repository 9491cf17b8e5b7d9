import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { notificationListView, notificationParam } from "./schemas";
import { listNotifications, markRead } from "./service";

const tags = ["notifications"];

export const notificationRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "Your in-app notifications, newest first", tags, response: notificationListView }), async (c) =>
    c.json({ notifications: await listNotifications({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } }) }),
  )
  .post(
    "/:notificationId/read",
    doc({ summary: "Mark one of your notifications read", tags, status: 204, activity: { action: "notification.read", target: targetParam("notification", "notificationId") } }),
    validate("param", notificationParam),
    async (c) => {
      if (!(await markRead({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.valid("param").notificationId } }))) throw notFound("Notification");
      return c.body(null, 204);
    },
  );
