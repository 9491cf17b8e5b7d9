import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv, TenantCtx } from "../../core/context";
import { forbidden } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { atLeast, requireWorkspace, type WorkspaceRole } from "../../core/tenancy";
import {
  approvalBody, commentBody, commentCreatedView, contentDetailView, contentEditedView, contentListView, contentParam, decisionBody, decisionView, editBody, listQuery,
  sentForApprovalView, statusBody, statusView, versionsView, workspaceParam,
} from "./schemas";
import { addComment, contentAccess, contentDetail, contentImage, decide, deleteContent, editContent, listContent, sendForApproval, setStatus, versionsOf, type Content } from "./service";

const tags = ["content"];
const items = new WeakMap<Request, TenantCtx & { item: Content }>();

/** Access first (404 for another tenant, 403 below `min`), before any body is validated; sets the item's ctx. */
function requireContent(min: WorkspaceRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { item, tenant } = await contentAccess({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, contentId: c.req.param("contentId") ?? "" } });
    if (!atLeast(tenant.role, min)) throw forbidden();
    c.set("tenant", tenant);
    c.set("tenantCtx", { ...c.var.ctx, tenant });
    items.set(c.req.raw, { ...c.var.ctx, tenant, item });
    await next();
  };
}
const itemCtx = (c: { req: { raw: Request } }) => items.get(c.req.raw)!;
const T = targetParam("content", "contentId");

/** Mounted at /api: /workspaces/:workspaceId/content and /content/:contentId/… */
export const contentRoutes = new Hono<AppEnv>()
  .get("/workspaces/:workspaceId/content", doc({ summary: "The content library: generated items with filters", tags, response: contentListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", listQuery), async (c) => {
    const q = c.req.valid("query");
    return c.json(await listContent({ ctx: c.var.tenantCtx, input: { kind: q.kind, status: q.status, job: q.job, search: q.q, limit: q.limit } }));
  })
  .get("/content/:contentId", doc({ summary: "A generated item with its prompt and context (P05), comments and approval trail", tags, response: contentDetailView }), validate("param", contentParam), requireContent("viewer"), async (c) =>
    c.json(await contentDetail({ ctx: itemCtx(c) })),
  )
  .patch("/content/:contentId", doc({ summary: "Edit a generated item (the previous text is kept as a version)", tags, response: contentEditedView, activity: { action: "content.edit", target: T } }), requireContent("editor"), validate("param", contentParam), validate("json", editBody), async (c) =>
    c.json(await editContent({ ctx: itemCtx(c), input: c.req.valid("json") })),
  )
  .get("/content/:contentId/versions", doc({ summary: "Earlier versions of an edited item, newest first", tags, response: versionsView }), validate("param", contentParam), requireContent("viewer"), async (c) =>
    c.json(await versionsOf({ ctx: itemCtx(c) })),
  )
  .post("/content/:contentId/status", doc({ summary: "Move an item back to draft or archive it", tags, response: statusView, activity: { action: "content.status", target: T } }), requireContent("editor"), validate("param", contentParam), validate("json", statusBody), async (c) =>
    c.json(await setStatus({ ctx: itemCtx(c), input: c.req.valid("json") })),
  )
  .post("/content/:contentId/send-for-approval", doc({ summary: "Send for approval: in review, and the workspace's approvers are notified", tags, response: sentForApprovalView, activity: { action: "content.approval.request", target: T } }), requireContent("editor"), validate("param", contentParam), validate("json", approvalBody), async (c) =>
    c.json(await sendForApproval({ ctx: itemCtx(c), input: c.req.valid("json") })),
  )
  .post("/content/:contentId/decision", doc({ summary: "Approve or reject (whoever the workspace's approval policy allows)", tags, response: decisionView, activity: { action: "content.approval.decide", target: T } }), requireContent("viewer"), validate("param", contentParam), validate("json", decisionBody), async (c) =>
    c.json(await decide({ ctx: itemCtx(c), input: c.req.valid("json") })),
  )
  .post("/content/:contentId/comments", doc({ summary: "Comment on an item (viewers too)", tags, status: 201, response: commentCreatedView, activity: { action: "content.comment.create", target: T } }), requireContent("viewer"), validate("param", contentParam), validate("json", commentBody), async (c) =>
    c.json(await addComment({ ctx: itemCtx(c), input: { authorName: c.var.auth.name, body: c.req.valid("json").body } }), 201),
  )
  .get("/content/:contentId/image", doc({ summary: "The generated image (PNG), for signed-in members of its workspace", tags, media: "image/png" }), validate("param", contentParam), requireContent("viewer"), async (c) => {
    const obj = await contentImage({ ctx: itemCtx(c) });
    return new Response(obj.body, { headers: { "content-type": "image/png", "cache-control": "private, max-age=3600", "content-length": String(obj.size) } });
  })
  .delete("/content/:contentId", doc({ summary: "Delete an item, its versions, comments and image", tags, status: 204, response: null, activity: { action: "content.delete", target: T } }), validate("param", contentParam), requireContent("editor"), async (c) => {
    await deleteContent({ ctx: itemCtx(c) });
    return c.body(null, 204);
  });
