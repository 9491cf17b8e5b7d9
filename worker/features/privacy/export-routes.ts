import { Hono, type Context } from "hono";
import { z } from "zod";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import { users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { doc, validate, targetParam } from "../../lib/validate";
import { recordRequest } from "./dsr";
import { exportJson, isSmall, liveEntries, prepareExport } from "./export/build";
import { getJob, jobEntries, jobJson, jobView, listJobs, startExport } from "./export/jobs";
import { zipStream } from "./export/zip";
import { LINK_TTL_SECONDS, signDownloadLink, verifyDownloadLink } from "./export/link";
import { exportQuery, idParam, exportView, jobEnvelope, jobsView, linkView } from "./schemas";

const tags = ["privacy"];
type C = Context<AppEnv>;

const zipResponse = (c: C, body: ReadableStream<Uint8Array>, name: string) =>
  c.body(body, 200, { "content-type": "application/zip", "content-disposition": `attachment; filename="${name}"` });

const exportName = (ext: string, now = Date.now()) => `qweb-export-${new Date(now).toISOString().slice(0, 10)}.${ext}`;

/** P19/P20 access and portability: every self-serve download is a completed request on record. */
const logExport = (c: C, format: "json" | "zip", rows: number) =>
  recordRequest(c.var.db, {
    userId: c.var.auth.userId, email: c.var.auth.email, regime: "gdpr", kind: format === "zip" ? "portability" : "access",
    source: "self-serve", status: "completed", verification: "session",
    actions: [`Export delivered (${format.toUpperCase()}, about ${rows} rows)`],
  }, { actor: "user" });

const downloadQuery = z.object({ format: z.enum(["json", "zip"]).default("zip") });

async function downloadJob(c: C, job: Awaited<ReturnType<typeof getJob>>, format: "json" | "zip") {
  if (job.status !== "ready") throw new ApiError("CONFLICT", `This export is ${job.status}; download it once it is ready`);
  await logExport(c, format, job.rowsDone);
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
      const prepared = await prepareExport(c.env, c.var.auth.userId, Date.now());
      if (!isSmall(prepared)) {
        const job = await startExport(c.env, c.var.db, c.var.auth.userId, prepared);
        c.header("Location", `/api/privacy/exports/${job.id}`);
        return c.json({ job: jobView(job) }, 202);
      }
      // The request is on record first, so the archive (and its manifest) includes it.
      await logExport(c, format, prepared.rowsTotal);
      const final = await prepareExport(c.env, c.var.auth.userId, Date.now());
      if (format === "zip") return zipResponse(c, zipStream(liveEntries(c.env, final), Date.now()), exportName("zip"));
      c.header("content-disposition", `attachment; filename="${exportName("json")}"`);
      return c.json(await exportJson(c.env, final));
    },
  )
  .post("/exports", doc({ summary: "Start a background export with progress (any account size)", tags, status: 202, response: jobEnvelope, activity: { action: "privacy.export.start" } }), async (c) => {
    const prepared = await prepareExport(c.env, c.var.auth.userId, Date.now());
    const job = await startExport(c.env, c.var.db, c.var.auth.userId, prepared);
    c.header("Location", `/api/privacy/exports/${job.id}`);
    return c.json({ job: jobView(job) }, 202);
  })
  .get("/exports", doc({ summary: "Your exports and their progress", tags, response: jobsView }), async (c) =>
    c.json({ exports: (await listJobs(c.var.db, c.var.auth.userId)).map(jobView) }),
  )
  .get("/exports/:jobId", doc({ summary: "One export's progress", tags, response: jobEnvelope }), validate("param", idParam("jobId")), async (c) =>
    c.json({ job: jobView(await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId)) }),
  )
  .get(
    "/exports/:jobId/download",
    doc({ summary: "Download a finished export as ZIP (or ?format=json), streamed", tags, response: exportView, media: "application/zip" }),
    validate("param", idParam("jobId")),
    validate("query", downloadQuery),
    async (c) => downloadJob(c, await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId), c.req.valid("query").format),
  )
  .post(
    "/exports/:jobId/link",
    doc({ summary: "A signed link (5 minutes) the browser can follow to download a finished export", tags, response: linkView, activity: { action: "privacy.export.link", target: targetParam("export", "jobId") } }),
    validate("param", idParam("jobId")),
    async (c) => {
      const job = await getJob(c.var.db, c.var.auth.userId, c.req.valid("param").jobId);
      if (job.status !== "ready") throw new ApiError("CONFLICT", `This export is ${job.status}; download it once it is ready`);
      const token = await signDownloadLink(c.var.config, { userId: c.var.auth.userId, jobId: job.id, sessionId: c.var.auth.sessionId });
      return c.json({ url: `/api/privacy/download/${token}`, expiresIn: LINK_TTL_SECONDS });
    },
  )
  .get(
    "/download/:token",
    doc({ summary: "Follow a signed export link (no bearer token: the link is the credential, for 5 minutes, while the session lives)", tags, public: true, response: exportView, media: "application/zip" }),
    validate("param", z.object({ token: z.string().min(20).max(2000) })),
    validate("query", downloadQuery),
    async (c) => {
      const claims = await verifyDownloadLink(c.var.config, c.req.valid("param").token);
      if (!claims) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
      const live = await c.env.DB.prepare(
        `SELECT 1 AS ok FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.deleted_at IS NULL`,
      ).bind(claims.sessionId, claims.userId, Date.now()).first();
      if (!live) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
      const [u] = await c.var.db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, claims.userId)).limit(1);
      c.set("auth", { userId: claims.userId, sessionId: claims.sessionId, email: u?.email ?? "", name: u?.name ?? "" });
      return downloadJob(c, await getJob(c.var.db, claims.userId, claims.jobId), c.req.valid("query").format);
    },
  );
