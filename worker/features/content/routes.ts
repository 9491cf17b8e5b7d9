import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../../core/context";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { atLeast, requireWorkspace, type WorkspaceRole } from "../../core/tenancy";
import {
  approvalBody, commentBody, commentCreatedView, contentDetailView, contentEditedView, contentListView, contentParam, decisionBody, decisionView, editBody, listQuery,
  sentForApprovalView, statusBody, statusView, versionsView, workspaceParam,
} from "./schemas";
import { addComment, contentAccess, contentDetail, contentView, decide, deleteContent, editContent, listContent, sendForApproval, setStatus, versionsOf } from "./service";
import { kindSchemas } from "../ai";

const tags = ["content"];
type Item = Awaited<ReturnType<typeof contentAccess>>["item"];
const items = new WeakMap<Request, Item>();

/** Access first (404 for another tenant, 403 below `min`), before any body is validated. */
function requireContent(min: WorkspaceRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { item, tenant } = await contentAccess(c.var.db, c.var.auth.userId, c.req.param("contentId") ?? "");
    if (!atLeast(tenant.role, min)) throw forbidden();
    c.set("tenant", tenant);
    items.set(c.req.raw, item);
    await next();
  };
}
const itemOf = (c: { req: { raw: Request } }) => items.get(c.req.raw)!;

/** Mounted at /api: /workspaces/:workspaceId/content and /content/:contentId/… */
export const contentRoutes = new Hono<AppEnv>()
  .get("/workspaces/:workspaceId/content", doc({ summary: "The content library: generated items with filters", tags, response: contentListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    const rows = await listContent(c.var.db, c.var.tenant, { kind: q.kind, status: q.status, job: q.job, search: q.q, limit: q.limit });
    return c.json({ items: rows.map((r) => ({ ...r, hasImage: !!r.hasImage })) });
  })
  .get("/content/:contentId", doc({ summary: "A generated item with its prompt and context (P05), comments and approval trail", tags, response: contentDetailView }), validate("param", contentParam), async (c) => {
    const { item, tenant } = await contentAccess(c.var.db, c.var.auth.userId, c.req.valid("param").contentId);
    return c.json(await contentDetail(c.var.db, item, tenant));
  })
  .patch("/content/:contentId", doc({ summary: "Edit a generated item (the previous text is kept as a version)", tags, response: contentEditedView, activity: { action: "content.edit", target: targetParam("content", "contentId") } }), requireContent("editor"), validate("param", contentParam), validate("json", editBody), async (c) => {
    const item = itemOf(c);
    const tenant = c.var.tenant;
    const edit = c.req.valid("json");
    const shape = kindSchemas[item.kind].safeParse(edit.body);
    if (!shape.success) throw new ApiError("VALIDATION_FAILED", `Invalid body for ${item.kind}: ${shape.error.issues[0]?.message}`, { details: shape.error.issues.map((i) => ({ path: ["body", ...i.path].join("."), message: i.message })) });
    await editContent(c.var.db, item, tenant, { title: edit.title, body: { ...(item.body as object), ...(shape.data as object) } }, Date.now());
    const { item: fresh } = await contentAccess(c.var.db, c.var.auth.userId, item.id);
    return c.json({ content: contentView(fresh) });
  })
  .get("/content/:contentId/versions", doc({ summary: "Earlier versions of an edited item, newest first", tags, response: versionsView }), validate("param", contentParam), async (c) => {
    const { item } = await contentAccess(c.var.db, c.var.auth.userId, c.req.valid("param").contentId);
    return c.json({ versions: await versionsOf(c.var.db, item) });
  })
  .post("/content/:contentId/status", doc({ summary: "Move an item back to draft or archive it", tags, response: statusView, activity: { action: "content.status", target: targetParam("content", "contentId") } }), requireContent("editor"), validate("param", contentParam), validate("json", statusBody), async (c) => {
    const item = itemOf(c);
    const tenant = c.var.tenant;
    await setStatus(c.var.db, item, tenant, c.req.valid("json").status, Date.now());
    return c.json({ status: c.req.valid("json").status });
  })
  .post("/content/:contentId/send-for-approval", doc({ summary: "Send for approval: in review, and the workspace's approvers are notified", tags, response: sentForApprovalView, activity: { action: "content.approval.request", target: targetParam("content", "contentId") } }), requireContent("editor"), validate("param", contentParam), validate("json", approvalBody), async (c) => {
    const item = itemOf(c);
    const tenant = c.var.tenant;
    const notified = await sendForApproval(c.env, c.var.db, item, tenant, c.req.valid("json").note, Date.now());
    return c.json({ status: "in_review" as const, notified });
  })
  .post("/content/:contentId/decision", doc({ summary: "Approve or reject (whoever the workspace's approval policy allows)", tags, response: decisionView, activity: { action: "content.approval.decide", target: targetParam("content", "contentId") } }), requireContent("viewer"), validate("param", contentParam), validate("json", decisionBody), async (c) => {
    const item = itemOf(c);
    const tenant = c.var.tenant;
    const { decision, note } = c.req.valid("json");
    return c.json({ status: await decide(c.var.db, item, tenant, decision, note, Date.now()) });
  })
  .post("/content/:contentId/comments", doc({ summary: "Comment on an item (viewers too)", tags, status: 201, response: commentCreatedView, activity: { action: "content.comment.create", target: targetParam("content", "contentId") } }), requireContent("viewer"), validate("param", contentParam), validate("json", commentBody), async (c) => {
    const item = itemOf(c);
    const tenant = c.var.tenant;
    return c.json({ comment: await addComment(c.var.db, item, tenant, c.var.auth.name, c.req.valid("json").body, Date.now()) }, 201);
  })
  .get("/content/:contentId/image", doc({ summary: "The generated image (PNG), for signed-in members of its workspace", tags, media: "image/png" }), validate("param", contentParam), async (c) => {
    const { item } = await contentAccess(c.var.db, c.var.auth.userId, c.req.valid("param").contentId);
    const obj = item.imageKey ? await c.env.FILES.get(item.imageKey) : null;
    if (!obj) throw notFound("Image");
    return new Response(obj.body, { headers: { "content-type": "image/png", "cache-control": "private, max-age=3600", "content-length": String(obj.size) } });
  })
  .delete("/content/:contentId", doc({ summary: "Delete an item, its versions, comments and image", tags, status: 204, response: null, activity: { action: "content.delete", target: targetParam("content", "contentId") } }), validate("param", contentParam), async (c) => {
    const { item, tenant } = await contentAccess(c.var.db, c.var.auth.userId, c.req.valid("param").contentId);
    if (!atLeast(tenant.role, "editor")) throw forbidden();
    await deleteContent(c.env, c.var.db, item);
    return c.body(null, 204);
  });
