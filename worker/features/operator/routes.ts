import { Hono } from "hono";
import { z } from "zod";
import { asc, desc, eq, inArray } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { dsrKinds, dsrRequests, dsrStatuses, dsrVerifications, purgeReports, users } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import {
  accountView, childErasureView, operatorMeView, operatorRequestDetailView, operatorRequestEnvelope, overviewView, policiesView, publishedView, purgeReportsView, queueView,
} from "./schemas";
import { timestampMs } from "../../lib/timestamp";
import { DAY } from "../../lib/time";
import { EXTENSION_DAYS, NEAR_DUE_MS, OPEN_STATUSES, eventView, eventsOf, recordRequest, requestView, updateRequest, eraseChildAccount, idParam as param, regime } from "../privacy";
import { listVersions, publishPolicy } from "../policy";
import { requireOperator } from "../../core/operators";
import { incidentRoutes } from "../incidents";

const tags = ["operator"];

const fileBody = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  regime: regime.default("gdpr"),
  kind: z.enum(dsrKinds),
  details: z.string().trim().min(1).max(4000),
  /** When the emailed request reached privacy@: its deadline runs from then. */
  receivedAt: timestampMs.optional(),
  orgId: z.string().min(1).max(64).optional(),
});

const updateBody = z
  .strictObject({
    status: z.enum(dsrStatuses).optional(),
    verification: z.enum(dsrVerifications).optional(),
    action: z.string().trim().min(1).max(500).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
    /** Use the regime's one extension (GDPR +60 days, CCPA +45 days); the requester must be told why. */
    extend: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

const publishBody = z.strictObject({
  version: z.string().trim().min(1).max(40),
  effectiveDate: z.iso.date(),
  title: z.string().trim().min(1).max(200),
  text: z.string().min(50).max(200_000),
  summary: z.string().trim().max(2000).optional(),
  material: z.boolean(),
});

export const operatorRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .get("/me", doc({ summary: "Whether you are a platform operator (404 otherwise)", tags, response: operatorMeView }), (c) => c.json({ operator: true }))
  .get("/overview", doc({ summary: "Deadlines at a glance: open requests, incidents, the last retention run", tags, response: overviewView }), async (c) => {
    const now = Date.now();
    const db = c.var.db;
    const [open, incidentsOpen, lastRun] = await Promise.all([
      db.select({ dueAt: dsrRequests.dueAt }).from(dsrRequests).where(inArray(dsrRequests.status, OPEN_STATUSES)),
      c.env.DB.prepare(`SELECT COUNT(*) AS n, SUM(CASE WHEN users_notified_at IS NULL THEN 1 ELSE 0 END) AS unnotified FROM incidents WHERE status <> 'closed'`).first<{ n: number; unnotified: number | null }>(),
      db.select().from(purgeReports).orderBy(desc(purgeReports.scheduledAt)).limit(1),
    ]);
    return c.json({
      requests: { open: open.length, overdue: open.filter((r) => r.dueAt < now).length, nearDue: open.filter((r) => r.dueAt >= now && r.dueAt <= now + NEAR_DUE_MS).length },
      incidents: { open: incidentsOpen?.n ?? 0, unnotified: incidentsOpen?.unnotified ?? 0 },
      lastPurgeRun: lastRun[0] ? { scheduledAt: lastRun[0].scheduledAt, cron: lastRun[0].cron } : null,
    });
  })
  .get(
    "/dsr",
    doc({ summary: "The data-subject request queue, soonest deadline first", tags, response: queueView }),
    validate("query", z.object({ status: z.enum(["open", "all"]).default("open") })),
    async (c) => {
      const { status } = c.req.valid("query");
      const rows = await c.var.db
        .select()
        .from(dsrRequests)
        .where(status === "open" ? inArray(dsrRequests.status, OPEN_STATUSES) : undefined)
        .orderBy(status === "open" ? asc(dsrRequests.dueAt) : desc(dsrRequests.receivedAt))
        .limit(500);
      return c.json({ requests: rows.map((r) => ({ ...requestView(r), email: r.email, userId: r.userId, source: r.source })) });
    },
  )
  .post(
    "/dsr",
    doc({ summary: "File a request received by email at privacy@ on the requester's behalf", tags, status: 201, response: operatorRequestEnvelope, activity: { action: "operator.dsr.file" } }),
    validate("json", fileBody),
    async (c) => {
      const input = c.req.valid("json");
      const [user] = await c.var.db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
      const row = await recordRequest(c.var.db, {
        userId: user?.id ?? null, orgId: input.orgId ?? null, email: input.email, regime: input.regime, kind: input.kind, source: "email",
        status: "verifying", verification: "pending", details: input.details, filedBy: c.var.auth.userId, receivedAt: input.receivedAt,
      }, { actor: "operator", operatorId: c.var.auth.userId });
      return c.json({ request: { ...requestView(row), email: row.email, userId: row.userId } }, 201);
    },
  )
  .get("/dsr/:requestId", doc({ summary: "One request with its audit trail", tags, response: operatorRequestDetailView }), validate("param", param("requestId")), async (c) => {
    const [row] = await c.var.db.select().from(dsrRequests).where(eq(dsrRequests.id, c.req.valid("param").requestId)).limit(1);
    if (!row) throw notFound("Request");
    return c.json({ request: { ...requestView(row), email: row.email, userId: row.userId }, events: (await eventsOf(c.var.db, row.id)).map(eventView) });
  })
  .patch(
    "/dsr/:requestId",
    doc({ summary: "Work a request: status, verification, actions taken, notes, the one extension", tags, response: operatorRequestEnvelope, activity: { action: "operator.dsr.update", target: targetParam("request", "requestId") } }),
    validate("param", param("requestId")),
    validate("json", updateBody),
    async (c) => {
      const [row] = await c.var.db.select().from(dsrRequests).where(eq(dsrRequests.id, c.req.valid("param").requestId)).limit(1);
      if (!row) throw notFound("Request");
      const input = c.req.valid("json");
      let dueAt: number | undefined;
      if (input.extend) {
        if (row.actions.some((a) => a.startsWith("Deadline extended"))) throw new ApiError("CONFLICT", "This request was already extended once");
        dueAt = row.dueAt + EXTENSION_DAYS[row.regime] * DAY;
      }
      const updated = await updateRequest(c.var.db, row, {
        status: input.status,
        verification: input.verification,
        action: input.extend ? `Deadline extended by ${EXTENSION_DAYS[row.regime]} days (requester informed)` : input.action,
        dueAt,
        note: input.note ?? null,
      }, { actor: "operator", operatorId: c.var.auth.userId });
      return c.json({ request: { ...requestView(updated), email: updated.email, userId: updated.userId } });
    },
  )
  .get(
    "/users",
    doc({ summary: "Find an account by email (for a child flag or an emailed request)", tags, response: accountView }),
    validate("query", z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) })),
    async (c) => {
      const [u] = await c.var.db.select({ id: users.id, email: users.email, name: users.name, birthDate: users.birthDate, createdAt: users.createdAt, deletedAt: users.deletedAt })
        .from(users).where(eq(users.email, c.req.valid("query").email)).limit(1);
      if (!u) throw notFound("Account");
      return c.json({ user: u });
    },
  )
  .post(
    "/users/:userId/child",
    doc({ summary: "P23: flag an account as a child's (under 16): erased at once, no grace period, audited", tags, response: childErasureView, activity: { action: "operator.user.child", target: targetParam("user", "userId") } }),
    validate("param", param("userId")),
    validate("json", z.strictObject({ note: z.string().trim().max(2000).optional() })),
    async (c) => {
      const { userId } = c.req.valid("param");
      if (userId === c.var.auth.userId) throw new ApiError("CONFLICT", "You cannot flag your own account");
      return c.json(await eraseChildAccount(c.env, c.var.db, c.var.auth.userId, userId, c.req.valid("json").note ?? null));
    },
  )
  .get(
    "/purge-reports",
    doc({ summary: "What each retention run removed, per rule", tags, response: purgeReportsView }),
    validate("query", z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) })),
    async (c) => {
      const rows = await c.var.db.select().from(purgeReports).orderBy(desc(purgeReports.scheduledAt), asc(purgeReports.rule)).limit(c.req.valid("query").limit);
      return c.json({
        reports: rows.map((r) => ({
          runId: r.runId, cron: r.cron, scheduledAt: r.scheduledAt, rule: r.rule, subjects: r.subjects, rowsDeleted: r.rowsDeleted,
          objectsDeleted: r.objectsDeleted, statements: r.statements, durationMs: r.durationMs, maxBatchMs: r.maxBatchMs, complete: r.complete, error: r.error,
        })),
      });
    },
  )
  .get("/policies", doc({ summary: "Every published privacy policy version", tags, response: policiesView }), async (c) =>
    c.json({ versions: (await listVersions(c.var.db)).map(({ text: _t, ...v }) => v) }),
  )
  .post(
    "/policies",
    doc({ summary: "P25: publish a policy version; a material one is announced to every user and must be accepted at next login", tags, status: 201, response: publishedView, activity: { action: "operator.policy.publish" } }),
    validate("json", publishBody),
    async (c) => {
      const { text: _t, ...version } = await publishPolicy(c.env, c.var.db, c.var.auth.userId, c.req.valid("json"));
      return c.json({ version }, 201);
    },
  )
  .route("/incidents", incidentRoutes);
