import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetParam } from "../../lib/validate";
import { getUserRequest } from "./dsr";
import { attachToRequest, cancelRequest, fileRequest, myRequestDetail, myRequests } from "./requests";
import { attachmentBody, idParam, requestBody, requestDetailView, requestEnvelope, requestsView } from "./schemas";

const tags = ["privacy"];

/** Privacy requests a user files and follows (rectification, access…), with their audit trail. */
export const requestRoutes = new Hono<AppEnv>()
  .get("/requests", doc({ summary: "Your privacy requests and their status", tags, response: requestsView }), async (c) =>
    c.json(await myRequests({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } })),
  )
  .post(
    "/requests",
    doc({ summary: "File a privacy request (e.g. rectification of data you cannot edit yourself)", tags, status: 201, response: requestEnvelope, activity: { action: "privacy.request.create" } }),
    validate("json", requestBody),
    async (c) => c.json(await fileRequest({ ctx: c.var.ctx, input: { me: c.var.auth, request: c.req.valid("json") } }), 201),
  )
  .get("/requests/:requestId", doc({ summary: "One of your requests with its audit trail", tags, response: requestDetailView }), validate("param", idParam("requestId")), async (c) =>
    c.json(await myRequestDetail({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.valid("param").requestId } })),
  )
  .put(
    "/requests/:requestId/attachment",
    doc({ summary: "Attach a document to your request (PDF, PNG, JPEG or text; up to 512 KB), sent as base64 JSON", tags, response: requestEnvelope, activity: { action: "privacy.request.attach", target: targetParam("request", "requestId") } }),
    validate("param", idParam("requestId")),
    // Someone else's request answers 404 before anything about the upload is judged.
    async (c, next) => {
      await getUserRequest({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.param("requestId") } });
      await next();
    },
    validate("json", attachmentBody),
    async (c) => c.json(await attachToRequest({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.valid("param").requestId, file: c.req.valid("json") } })),
  )
  .post("/requests/:requestId/cancel", doc({ summary: "Withdraw one of your open requests", tags, response: requestEnvelope, activity: { action: "privacy.request.cancel", target: targetParam("request", "requestId") } }), validate("param", idParam("requestId")), async (c) =>
    c.json(await cancelRequest({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.valid("param").requestId } })),
  );
