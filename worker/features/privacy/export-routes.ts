import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetParam } from "../../lib/validate";
import { exportJson, liveEntries } from "./export/build";
import { getJob, jobEntries, jobJson, jobView, listJobs } from "./export/jobs";
import { zipStream } from "./export/zip";
import { exportForDownload, exportLink, exportNow, followDownloadLink, startBackgroundExport } from "./exports";
import { exportQuery, idParam, exportView, jobEnvelope, jobsView, linkView } from "./schemas";

const tags = ["privacy"];
type C = Context<AppEnv>;

const zipResponse = (c: C, body: ReadableStream<Uint8Array>, name: string) =>
  c.body(body, 200, { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"` });

const exportName = (ext: string, now = Date.now()) => `qweb-export-${new Date(now).toISOString().slice(0, 10)}.${ext}`;

const downloadQuery = z.object({ format: z.enum(["json", "zip"]).default("zip") });

/** Streams a finished export (its download already on record) as JSON or ZIP. */
async function streamJob(c: C, job: Awaited<ReturnType<typeof getJob>>, format: "json" | "zip") {
  if (format === "json") {
    return c.body(await jobJson(c.env, job), 200, { "content-type": "application/json", "content-disposition": `attachment; filename="${exportName("json", job.createdAt)}"` });
  }
  const { entries } = await jobEntries(c.env, job);
  return zipResponse(c, zipStream(entries, job.completedAt ?? Date.now()), exportName("zip", job.createdAt));
}

/** P19/P20: exports of everything QWEB holds about you, JSON or ZIP, small at once or as a background job. */
export const exportRoutes = new Hono<AppEnv>()
  .get(
    "/export",
    doc({ summary: "Download every piece of data QWEB holds about you (JSON, or ?format=zip); 202 with a background job for large accounts", tags, response: exportView, media: "application/zip", alternatives: { 202: { description: "Started as a background job", schema: jobEnvelope } } }),
    validate("query", exportQuery),
    async (c) => {
      const { format } = c.req.valid("query");
      const done = await exportNow({ ctx: c.var.ctx, input: { me: c.var.auth, format } });
      if (done.job) {
        c.header("Location", `/api/privacy/exports/${done.job.id}`);
        return c.json({ job: done.job }, 202);
      }
      if (format === "zip") return zipResponse(c, zipStream(liveEntries(c.env, done.prepared), Date.now()), exportName("zip"));
      c.header("content-disposition", `attachment; filename="${exportName("json")}"`);
      return c.json(await exportJson(c.env, done.prepared));
    },
  )
  .post("/exports", doc({ summary: "Start a background export with progress (any account size)", tags, status: 202, response: jobEnvelope, activity: { action: "privacy.export.start" } }), async (c) => {
    const { job } = await startBackgroundExport({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } });
    c.header("Location", `/api/privacy/exports/${job.id}`);
    return c.json({ job }, 202);
  })
  .get("/exports", doc({ summary: "Your exports and their progress", tags, response: jobsView }), async (c) =>
    c.json({ exports: (await listJobs({ ctx: c.var.ctx, input: { userId: c.var.auth.userId } })).map(jobView) }),
  )
  .get("/exports/:jobId", doc({ summary: "One export's progress", tags, response: jobEnvelope }), validate("param", idParam("jobId")), async (c) =>
    c.json({ job: jobView(await getJob({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, jobId: c.req.valid("param").jobId } })) }),
  )
  .get(
    "/exports/:jobId/download",
    doc({ summary: "Download a finished export as ZIP (or ?format=json), streamed", tags, response: exportView, media: "application/zip" }),
    validate("param", idParam("jobId")),
    validate("query", downloadQuery),
    async (c) => {
      const { format } = c.req.valid("query");
      return streamJob(c, await exportForDownload({ ctx: c.var.ctx, input: { me: c.var.auth, jobId: c.req.valid("param").jobId, format } }), format);
    },
  )
  .post(
    "/exports/:jobId/link",
    doc({ summary: "A signed link (5 minutes) the browser can follow to download a finished export", tags, response: linkView, activity: { action: "privacy.export.link", target: targetParam("export", "jobId") } }),
    validate("param", idParam("jobId")),
    async (c) => c.json(await exportLink({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, sessionId: c.var.auth.sessionId, jobId: c.req.valid("param").jobId } })),
  )
  .get(
    "/download/:token",
    doc({ summary: "Follow a signed export link (no bearer token: the link is the credential, for 5 minutes, while the session lives)", tags, public: true, response: exportView, media: "application/zip" }),
    validate("param", z.object({ token: z.string().min(20).max(2000) })),
    validate("query", downloadQuery),
    async (c) => {
      const { format } = c.req.valid("query");
      const { auth, jobId } = await followDownloadLink({ ctx: c.var.ctx, input: { token: c.req.valid("param").token } });
      c.set("auth", auth);
      return streamJob(c, await exportForDownload({ ctx: c.var.ctx, input: { me: auth, jobId, format } }), format);
    },
  );
