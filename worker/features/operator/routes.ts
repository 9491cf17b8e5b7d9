import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { doc, targetParam, validate } from "../../lib/validate";
import {
  accountView, childErasureView, fileBody, operatorMeView, operatorRequestDetailView, operatorRequestEnvelope, overviewView, policiesView, publishBody, publishedView, purgeReportsView,
  queueView, updateBody,
} from "./schemas";
import { eraseChildAccount, idParam as param } from "../privacy";
import { listVersions, publishPolicy } from "../policy";
import { requireOperator } from "../../core/operators";
import { incidentRoutes } from "../incidents";
import { fileEmailedRequest, findAccount, operatorOverview, purgeReportList, requestDetail, requestQueue, workRequest } from "./service";

const tags = ["operator"];

export const operatorRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .get("/me", doc({ summary: "Whether you are a platform operator (404 otherwise)", tags, response: operatorMeView }), (c) => c.json({ operator: true }))
  .get("/overview", doc({ summary: "Deadlines at a glance: open requests, incidents, the last retention run", tags, response: overviewView }), async (c) =>
    c.json(await operatorOverview({ ctx: c.var.ctx })),
  )
  .get(
    "/dsr",
    doc({ summary: "The data-subject request queue, soonest deadline first", tags, response: queueView }),
    validate("query", z.object({ status: z.enum(["open", "all"]).default("open") })),
    async (c) => c.json(await requestQueue({ ctx: c.var.ctx, input: c.req.valid("query") })),
  )
  .post(
    "/dsr",
    doc({ summary: "File a request received by email at privacy@ on the requester's behalf", tags, status: 201, response: operatorRequestEnvelope, activity: { action: "operator.dsr.file" } }),
    validate("json", fileBody),
    async (c) => c.json(await fileEmailedRequest({ ctx: c.var.ctx, input: { operatorId: c.var.auth.userId, request: c.req.valid("json") } }), 201),
  )
  .get("/dsr/:requestId", doc({ summary: "One request with its audit trail", tags, response: operatorRequestDetailView }), validate("param", param("requestId")), async (c) =>
    c.json(await requestDetail({ ctx: c.var.ctx, input: { id: c.req.valid("param").requestId } })),
  )
  .patch(
    "/dsr/:requestId",
    doc({ summary: "Work a request: status, verification, actions taken, notes, the one extension", tags, response: operatorRequestEnvelope, activity: { action: "operator.dsr.update", target: targetParam("request", "requestId") } }),
    validate("param", param("requestId")),
    validate("json", updateBody),
    async (c) => c.json(await workRequest({ ctx: c.var.ctx, input: { operatorId: c.var.auth.userId, id: c.req.valid("param").requestId, change: c.req.valid("json") } })),
  )
  .get(
    "/users",
    doc({ summary: "Find an account by email (for a child flag or an emailed request)", tags, response: accountView }),
    validate("query", z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) })),
    async (c) => c.json(await findAccount({ ctx: c.var.ctx, input: c.req.valid("query") })),
  )
  .post(
    "/users/:userId/child",
    doc({ summary: "P23: flag an account as a child's (under 16): erased at once, no grace period, audited", tags, response: childErasureView, activity: { action: "operator.user.child", target: targetParam("user", "userId") } }),
    validate("param", param("userId")),
    validate("json", z.strictObject({ note: z.string().trim().max(2000).optional() })),
    async (c) => c.json(await eraseChildAccount({ ctx: c.var.ctx, input: { operatorId: c.var.auth.userId, userId: c.req.valid("param").userId, note: c.req.valid("json").note ?? null } })),
  )
  .get(
    "/purge-reports",
    doc({ summary: "What each retention run removed, per rule", tags, response: purgeReportsView }),
    validate("query", z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) })),
    async (c) => c.json(await purgeReportList({ ctx: c.var.ctx, input: c.req.valid("query") })),
  )
  .get("/policies", doc({ summary: "Every published privacy policy version", tags, response: policiesView }), async (c) =>
    c.json({ versions: (await listVersions({ ctx: c.var.ctx })).map(({ text: _t, ...v }) => v) }),
  )
  .post(
    "/policies",
    doc({ summary: "P25: publish a policy version; a material one is announced to every user and must be accepted at next login", tags, status: 201, response: publishedView, activity: { action: "operator.policy.publish" } }),
    validate("json", publishBody),
    async (c) => {
      const { text: _t, ...version } = await publishPolicy({ ctx: c.var.ctx, input: { operatorId: c.var.auth.userId, version: c.req.valid("json") } });
      return c.json({ version }, 201);
    },
  )
  .route("/incidents", incidentRoutes);
