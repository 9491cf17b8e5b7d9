import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetParam } from "../../lib/validate";
import { incidentDetailView, incidentEnvelope, incidentListView, notifiedView } from "./schemas";
import { timestampMs } from "../../lib/timestamp";
import { createIncident, getIncident, incidentView, listIncidents, noticeStats, notifyAffected, updateIncident } from "./service";

const tags = ["operator"];
const incidentParam = z.object({ incidentId: z.string().min(1).max(64) });
const categories = z.array(z.string().trim().min(1).max(120)).min(1).max(30);

const incidentBody = z.strictObject({
  title: z.string().trim().min(1).max(200),
  detectedAt: timestampMs,
  nature: z.string().trim().min(1).max(4000),
  dataCategories: categories,
  subjectCategories: categories,
  likelyConsequences: z.string().trim().min(1).max(4000),
  measuresTaken: z.string().trim().min(1).max(4000),
  authorityNotifiedAt: timestampMs.nullable().optional(),
  authorityReference: z.string().trim().max(200).nullable().optional(),
});

const ids = z.array(z.string().min(1).max(64)).min(1).max(90);
const notifyBody = z.union([
  z.strictObject({ all: z.literal(true) }),
  z.strictObject({ userIds: ids }),
  z.strictObject({ orgIds: ids }),
]);

/** Operator-only (mounted under /api/operator): personal-data breaches and their 72-hour clock (P24). */
export const incidentRoutes = new Hono<AppEnv>()
  .get("/", doc({ summary: "Incidents with their 72-hour clock", tags, response: incidentListView }), async (c) =>
    c.json({ incidents: (await listIncidents(c.var.db)).map((r) => incidentView(r)) }),
  )
  .post("/", doc({ summary: "Record an incident (deadline: detection + 72 hours)", tags, status: 201, response: incidentEnvelope, activity: { action: "operator.incident.create" } }), validate("json", incidentBody), async (c) =>
    c.json({ incident: incidentView(await createIncident(c.var.db, c.var.auth.userId, c.req.valid("json"))) }, 201),
  )
  .get("/:incidentId", doc({ summary: "One incident and its notification record", tags, response: incidentDetailView }), validate("param", incidentParam), async (c) => {
    const row = await getIncident(c.var.db, c.req.valid("param").incidentId);
    return c.json({ incident: incidentView(row), notices: await noticeStats(c.var.db, row.id) });
  })
  .patch(
    "/:incidentId",
    doc({ summary: "Update an incident: measures, the authority notice, status", tags, response: incidentEnvelope, activity: { action: "operator.incident.update", target: targetParam("incident", "incidentId") } }),
    validate("param", incidentParam),
    validate("json", incidentBody.partial().extend({ status: z.enum(["open", "notified", "closed"]).optional() })),
    async (c) => {
      const row = await getIncident(c.var.db, c.req.valid("param").incidentId);
      return c.json({ incident: incidentView(await updateIncident(c.var.db, row, c.req.valid("json"))) });
    },
  )
  .post(
    "/:incidentId/notify",
    doc({ summary: "Notify the affected users in the app and by email (everyone, listed users, or members of listed organizations)", tags, response: notifiedView, activity: { action: "operator.incident.notify", target: targetParam("incident", "incidentId") } }),
    validate("param", incidentParam),
    validate("json", notifyBody),
    async (c) => {
      const row = await getIncident(c.var.db, c.req.valid("param").incidentId);
      const notified = await notifyAffected({ ctx: c.var.ctx, input: { incident: row, audience: c.req.valid("json") } });
      return c.json({ notified, incident: incidentView(await getIncident(c.var.db, row.id)), notices: await noticeStats(c.var.db, row.id) });
    },
  );
