import { Hono } from "hono";
import type { AppEnv } from "../../../core/context";
import { requireWorkspace } from "../../../core/tenancy";
import { doc, targetParam, validate } from "../../../lib/validate";
import { ctxOf } from "../context";
import { decideSignoffBody, listSignoffsQuery, portalSignoffParam, requestSignoffBody, signoffDetailView, signoffListView, signoffParam, signoffView } from "./schemas";
import { decideSignoff, getSignoff, listSignoffs, portalSignoff, portalSignoffs, reopenSignoff, requestSignoff } from "./service";

const tags = ["finance: sign-off"];

/** `/api/orgs/:orgId/finance/signoffs`: the agency asks clients to sign off hours and sees where each request stands. */
export const signoffRoutes = new Hono<AppEnv>()
  .get("/signoffs", doc({ summary: "Sign-off requests of the clients' hours, newest first", tags, response: signoffListView }), validate("query", listSignoffsQuery), async (c) =>
    c.json({ signoffs: await listSignoffs({ ctx: ctxOf(c), input: c.req.valid("query") }) }),
  )
  .post("/signoffs", doc({ summary: "Ask a client to sign off a period's hours (the entries lock while pending and once approved)", tags, status: 201, response: signoffView, activity: { action: "finance.signoff.request" } }), validate("json", requestSignoffBody), async (c) =>
    c.json(await requestSignoff({ ctx: ctxOf(c), input: c.req.valid("json") }), 201),
  )
  .get("/signoffs/:signoffId", doc({ summary: "A sign-off request with its entries and totals", tags, response: signoffDetailView }), validate("param", signoffParam), async (c) =>
    c.json(await getSignoff({ ctx: ctxOf(c), input: c.req.valid("param") })),
  )
  .post("/signoffs/:signoffId/reopen", doc({ summary: "Withdraw a pending request or reopen approved hours so they can be edited", tags, response: signoffView, activity: { action: "finance.signoff.reopen", target: targetParam("signoff", "signoffId") } }), validate("param", signoffParam), async (c) =>
    c.json(await reopenSignoff({ ctx: ctxOf(c), input: c.req.valid("param") })),
  );

/** `/api/workspaces/:workspaceId/finance/signoffs`: the client's side. Viewers see; portal editors and admins decide. */
export const portalSignoffRoutes = new Hono<AppEnv>()
  .get("/signoffs", doc({ summary: "The agency's requests to sign off this client's hours", tags, response: signoffListView }), requireWorkspace("viewer"), async (c) =>
    c.json({ signoffs: await portalSignoffs({ ctx: c.var.tenantCtx }) }),
  )
  .get("/signoffs/:signoffId", doc({ summary: "One request with its entries and totals", tags, response: signoffDetailView }), requireWorkspace("viewer"), validate("param", portalSignoffParam), async (c) =>
    c.json(await portalSignoff({ ctx: c.var.tenantCtx, input: c.req.valid("param") })),
  )
  .post("/signoffs/:signoffId/decision", doc({ summary: "Approve the hours, or dispute them with a comment (portal editors and admins)", tags, response: signoffView, activity: { action: "finance.signoff.decide", target: targetParam("signoff", "signoffId") } }), requireWorkspace("editor"), validate("param", portalSignoffParam), validate("json", decideSignoffBody), async (c) =>
    c.json(await decideSignoff({ ctx: c.var.tenantCtx, input: { ...c.req.valid("json"), signoffId: c.req.valid("param").signoffId } })),
  );
