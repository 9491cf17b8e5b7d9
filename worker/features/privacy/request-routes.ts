import { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { dsrRequests } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { doc, validate, targetParam } from "../../lib/validate";
import { getOrgAccess } from "../../core/tenancy";
import { OPEN_STATUSES, eventView, eventsOf, getUserRequest, listUserRequests, recordRequest, requestView, updateRequest } from "./dsr";
import { ATTACHMENT_MAX_BYTES, attachmentBody, idParam, requestBody, requestDetailView, requestEnvelope, requestsView } from "./schemas";

const tags = ["privacy"];

/** Privacy requests a user files and follows (rectification, access…), with their audit trail. */
export const requestRoutes = new Hono<AppEnv>()
  .get("/requests", doc({ summary: "Your privacy requests and their status", tags, response: requestsView }), async (c) =>
    c.json({ requests: (await listUserRequests(c.var.db, c.var.auth.userId)).map((r) => requestView(r)) }),
  )
  .post(
    "/requests",
    doc({ summary: "File a privacy request (e.g. rectification of data you cannot edit yourself)", tags, status: 201, response: requestEnvelope, activity: { action: "privacy.request.create" } }),
    validate("json", requestBody),
    async (c) => {
      const { db, auth } = c.var;
      const input = c.req.valid("json");
      if (input.orgId) await getOrgAccess(db, auth.userId, input.orgId);
      const row = await recordRequest(db, {
        userId: auth.userId, orgId: input.orgId ?? null, email: auth.email, regime: input.regime, kind: input.kind,
        source: "self-serve", status: "received", verification: "session", details: input.details,
      }, { actor: "user" });
      return c.json({ request: requestView(row) }, 201);
    },
  )
  .get("/requests/:requestId", doc({ summary: "One of your requests with its audit trail", tags, response: requestDetailView }), validate("param", idParam("requestId")), async (c) => {
    const row = await getUserRequest(c.var.db, c.var.auth.userId, c.req.valid("param").requestId);
    return c.json({ request: requestView(row), events: (await eventsOf(c.var.db, row.id)).map(eventView) });
  })
  .put(
    "/requests/:requestId/attachment",
    doc({ summary: "Attach a document to your request (PDF, PNG, JPEG or text; up to 512 KB), sent as base64 JSON", tags, response: requestEnvelope, activity: { action: "privacy.request.attach", target: targetParam("request", "requestId") } }),
    validate("param", idParam("requestId")),
    // Someone else's request answers 404 before anything about the upload is judged.
    async (c, next) => {
      await getUserRequest(c.var.db, c.var.auth.userId, c.req.param("requestId"));
      await next();
    },
    validate("json", attachmentBody),
    async (c) => {
      const { db, auth } = c.var;
      const row = await getUserRequest(db, auth.userId, c.req.valid("param").requestId);
      if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is closed");
      const { name, contentType, dataBase64 } = c.req.valid("json");
      let body: Uint8Array;
      try {
        body = Uint8Array.from(atob(dataBase64), (ch) => ch.charCodeAt(0));
      } catch {
        throw new ApiError("VALIDATION_FAILED", "The file is not valid base64", { details: [{ path: "dataBase64" }] });
      }
      if (!body.byteLength) throw new ApiError("VALIDATION_FAILED", "The file is empty", { details: [{ path: "dataBase64" }] });
      if (body.byteLength > ATTACHMENT_MAX_BYTES) throw new ApiError("PAYLOAD_TOO_LARGE", "Attachments are limited to 512 KB");
      const key = `privacy/${auth.userId}/requests/${row.id}/${name}`;
      if (row.attachmentKey && row.attachmentKey !== key) await c.env.FILES.delete(row.attachmentKey);
      await c.env.FILES.put(key, body, { httpMetadata: { contentType } });
      await db.update(dsrRequests).set({ attachmentKey: key, attachmentName: name, updatedAt: Date.now() }).where(eq(dsrRequests.id, row.id));
      await updateRequest(db, row, { note: `Attached ${name} (${body.byteLength} bytes)` }, { actor: "user" });
      return c.json({ request: requestView({ ...row, attachmentKey: key, attachmentName: name }) });
    },
  )
  .post("/requests/:requestId/cancel", doc({ summary: "Withdraw one of your open requests", tags, response: requestEnvelope, activity: { action: "privacy.request.cancel", target: targetParam("request", "requestId") } }), validate("param", idParam("requestId")), async (c) => {
    const row = await getUserRequest(c.var.db, c.var.auth.userId, c.req.valid("param").requestId);
    if (!OPEN_STATUSES.includes(row.status)) throw new ApiError("CONFLICT", "This request is already closed");
    return c.json({ request: requestView(await updateRequest(c.var.db, row, { status: "cancelled", action: "Withdrawn by the requester" }, { actor: "user" })) });
  });
