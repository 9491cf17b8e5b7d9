import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { requireWorkspace } from "../../core/tenancy";
import { ApiError } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { runDueActions } from "../actions";
import { LIMITS, listChannels } from "./compose";
import { deleteMedia, getMedia, listMedia, openSignedMedia, UPLOAD_MAX_BYTES, uploadMedia } from "./media";
import { calendar, cancelPost, createFromContent, createPost, deletePost, getPostRow, listPosts, postView, retryPost, schedulePost, updatePost, wakePublisher } from "./posts";
import {
  channelListView, composeBody, fromContentBody, listQuery, mediaListView, mediaParam, mediaView, postListView, postParam, postResponse, publicMediaParam, publicMediaQuery, rangeQuery, runDueView, scheduleBody, workspaceParam,
} from "./schemas";

const tags = ["publishing"];
const post = targetParam("post", "postId");
const lists = ["queue", "published", "stuck", "drafts"] as const;

/** Mounted at /api/workspaces/:workspaceId/publishing */
export const publishingRoutes = new Hono<AppEnv>()
  .get("/channels", doc({ summary: "Channels a post can go to (Facebook Pages, Instagram accounts) and each network's limits", tags, response: channelListView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json({ channels: await listChannels({ ctx: c.var.tenantCtx }), limits: LIMITS }),
  )
  .get("/media", doc({ summary: "The workspace's media library", tags, response: mediaListView }), requireWorkspace("viewer"), validate("param", workspaceParam), async (c) =>
    c.json({ media: await listMedia({ ctx: c.var.tenantCtx }) }),
  )
  .post(
    "/media",
    doc({ summary: "Upload an image (JPEG, PNG, GIF, WebP; 8 MB) or video (MP4, MOV; 100 MB) as multipart field `file`; the type is sniffed from the bytes", tags, status: 201, response: mediaView, activity: { action: "publishing.media.upload", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("editor"),
    validate("param", workspaceParam),
    bodyLimit({ maxSize: UPLOAD_MAX_BYTES, onError: () => { throw new ApiError("PAYLOAD_TOO_LARGE", "Files can be at most 100 MB (videos) or 8 MB (images)"); } }),
    async (c) => {
      if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) throw new ApiError("UNSUPPORTED_MEDIA_TYPE", "Send the file as multipart/form-data with a `file` field");
      const form = await c.req.parseBody().catch(() => {
        throw new ApiError("BAD_REQUEST", "Malformed multipart body");
      });
      const file = form.file;
      if (!(file instanceof File)) throw new ApiError("VALIDATION_FAILED", "The `file` field is missing", { details: [{ path: "file", message: "Required" }] });
      return c.json(await uploadMedia({ ctx: c.var.tenantCtx, input: { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } }), 201);
    },
  )
  .get("/media/:mediaId", doc({ summary: "A library file, for signed-in members of the workspace (previews)", tags, response: null, media: "application/octet-stream" }), requireWorkspace("viewer"), validate("param", mediaParam), async (c) => {
    const row = await getMedia({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").mediaId } });
    const obj = await c.env.FILES.get(row.key);
    if (!obj) throw new ApiError("NOT_FOUND", "Media not found");
    return new Response(obj.body, { headers: { "content-type": row.type, "cache-control": "private, max-age=3600", "x-content-type-options": "nosniff" } });
  })
  .delete("/media/:mediaId", doc({ summary: "Delete a library file", tags, status: 204, response: null, activity: { action: "publishing.media.delete", target: targetParam("media", "mediaId") } }), requireWorkspace("editor"), validate("param", mediaParam), async (c) => {
    await deleteMedia({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").mediaId } });
    return c.body(null, 204);
  })
  .get("/calendar", doc({ summary: "Posts scheduled between two days (inclusive) in the workspace's time zone", tags, response: postListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", rangeQuery), async (c) =>
    c.json(await calendar({ ctx: c.var.tenantCtx, input: c.req.valid("query") })),
  )
  .get("/posts", doc({ summary: "Posts by list: queue (scheduled), published (with metrics), stuck (late or failed, with the reason), drafts", tags, response: postListView }), requireWorkspace("viewer"), validate("param", workspaceParam), validate("query", listQuery.extend({ list: z.enum(lists).default("queue") })), async (c) =>
    c.json(await listPosts({ ctx: c.var.tenantCtx, input: c.req.valid("query") })),
  )
  .post("/posts", doc({ summary: "Compose a post with a variant per channel (checked against each network's limits); with `scheduledFor` it is scheduled at once", tags, status: 201, response: postResponse, activity: { action: "publishing.post.create", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", composeBody), async (c) =>
    c.json({ post: await createPost({ ctx: c.var.tenantCtx, input: c.req.valid("json") }) }, 201),
  )
  .post("/posts/from-content", doc({ summary: "A draft post from a social-post content item (its text per network)", tags, status: 201, response: postResponse, activity: { action: "publishing.post.import", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), validate("json", fromContentBody), async (c) =>
    c.json({ post: await createFromContent({ ctx: c.var.tenantCtx, input: c.req.valid("json") }) }, 201),
  )
  .get("/posts/:postId", doc({ summary: "A post with each channel's status, provider id, permalink, error and metrics", tags, response: postResponse }), requireWorkspace("viewer"), validate("param", postParam), async (c) =>
    c.json({ post: await postView(c.var.tenantCtx, await getPostRow(c.var.tenantCtx, c.req.valid("param").postId)) }),
  )
  .put("/posts/:postId", doc({ summary: "Replace a post's variants (until it starts publishing)", tags, response: postResponse, activity: { action: "publishing.post.update", target: post } }), requireWorkspace("editor"), validate("param", postParam), validate("json", composeBody), async (c) =>
    c.json({ post: await updatePost({ ctx: c.var.tenantCtx, input: { ...c.req.valid("json"), id: c.req.valid("param").postId } }) }),
  )
  .post("/posts/:postId/schedule", doc({ summary: "Schedule or reschedule a post (what is not out yet moves)", tags, response: postResponse, activity: { action: "publishing.post.schedule", target: post } }), requireWorkspace("editor"), validate("param", postParam), validate("json", scheduleBody), async (c) =>
    c.json({ post: await schedulePost({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").postId, scheduledFor: c.req.valid("json").scheduledFor } }) }),
  )
  .post("/posts/:postId/cancel", doc({ summary: "Cancel what of a post has not gone out", tags, response: postResponse, activity: { action: "publishing.post.cancel", target: post } }), requireWorkspace("editor"), validate("param", postParam), async (c) =>
    c.json({ post: await cancelPost({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").postId } }) }),
  )
  .post("/posts/:postId/retry", doc({ summary: "Retry a post's failed or stuck channels now (never posts twice)", tags, response: postResponse, activity: { action: "publishing.post.retry", target: post } }), requireWorkspace("editor"), validate("param", postParam), async (c) =>
    c.json({ post: await retryPost({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").postId } }) }),
  )
  .delete("/posts/:postId", doc({ summary: "Delete a post that has not been published", tags, status: 204, response: null, activity: { action: "publishing.post.delete", target: post } }), requireWorkspace("editor"), validate("param", postParam), async (c) => {
    await deletePost({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").postId } });
    return c.body(null, 204);
  });

/** Mounted at /api/workspaces/:workspaceId/publishing in local mode only: publish what is due now. */
export const publishingDevRoutes = new Hono<AppEnv>()
  .post("/run-due", doc({ summary: "Local only: run the workspace's Publisher now (what is due is published)", tags, response: runDueView, activity: { action: "publishing.due.run", target: targetParam("workspace", "workspaceId") } }), requireWorkspace("editor"), validate("param", workspaceParam), async (c) => {
    const ws = c.var.tenantCtx.tenant.workspaceId;
    // Due publish_post actions first (their executor hands posts to the Publisher), then the Publisher's own retries.
    await runDueActions({ ctx: c.var.tenantCtx, input: { workspaceId: ws } });
    const result = await c.env.PUBLISHER.getByName(ws).runDue(ws);
    // The actions of what settled were woken: record their outcome now, as the runner's alarm would.
    await runDueActions({ ctx: c.var.tenantCtx, input: { workspaceId: ws } });
    await wakePublisher(c.var.tenantCtx, ws);
    return c.json(result);
  });

/** Mounted at /api/public-media: what Meta fetches (no session; the signature and expiry are the key). */
export const publicMediaRoutes = new Hono<AppEnv>()
  .get("/:mediaId", doc({ summary: "A media file behind a signed, expiring URL (for the provider)", tags, public: true, response: null, media: "application/octet-stream" }), validate("param", publicMediaParam), validate("query", publicMediaQuery), async (c) => {
    const m = await openSignedMedia({ ctx: c.var.ctx, input: { ...c.req.valid("param"), ...c.req.valid("query") } });
    return new Response(m.body, { headers: { "content-type": m.type, "content-length": String(m.bytes), "cache-control": "private, no-store", "x-content-type-options": "nosniff" } });
  });
