import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { analyticsEvents } from "../../db/schema";
import { deviceClass } from "../../lib/device";
import { newId } from "../../lib/ids";
import { doc, validate } from "../../lib/validate";
import { getOrgAccess } from "../../core/tenancy";
import { processingAllowed } from "../../core/restrictions";
import { currentConsent } from "./service";
import { recordedView } from "./schemas";
import type { Ctx } from "../../core/context";

const eventBody = z.strictObject({
  kind: z.enum(["page_view", "feature"]),
  /** A route path or a feature name: never query strings or content. */
  name: z.string().trim().min(1).max(120).regex(/^[\w\-/.:]+$/, "Only a path or feature name"),
  orgId: z.string().min(1).max(64).optional(),
});

/** P06/P22: a page view or feature-use event is stored only with analytics consent and no restriction or objection. */
export async function recordAnalytics({ ctx, input: { userId, event: input, ua } }: { ctx: Ctx; input: { userId: string; event: z.infer<typeof eventBody>; ua: string | undefined } }) {
  const { db, now } = ctx;
  // An organization the caller is not in is not theirs to attribute usage to.
  if (input.orgId) await getOrgAccess(db, userId, input.orgId);
  const [consent, allowed] = await Promise.all([currentConsent({ ctx, input: { userId } }), processingAllowed(db, { userId, orgId: input.orgId }, "analytics")]);
  if (!consent.analytics || !allowed) return false;
  await db.insert(analyticsEvents).values({ id: newId(), userId, orgId: input.orgId ?? null, kind: input.kind, name: input.name, deviceClass: deviceClass(ua), createdAt: now });
  return true;
}

export const analyticsRoutes = new Hono<AppEnv>().post(
  "/events",
  doc({ summary: "Record a page view or feature use (stored only with analytics consent)", tags: ["privacy"], status: 202, response: recordedView, activity: { action: "analytics.event" } }),
  validate("json", eventBody),
  async (c) => {
    const recorded = await recordAnalytics({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, event: c.req.valid("json"), ua: c.req.header("user-agent") } });
    return c.json({ recorded }, 202);
  },
);
