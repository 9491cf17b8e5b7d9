import { and, eq, gt, isNull } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { sessions, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { recordRequest } from "./dsr";
import { isSmall, prepareExport } from "./export/build";
import { getJob, jobView, startExport } from "./export/jobs";
import { LINK_TTL_SECONDS, signDownloadLink, verifyDownloadLink } from "./export/link";

type Me = { userId: string; email: string };
type Format = "json" | "zip";
type Job = Awaited<ReturnType<typeof getJob>>;

/** P19/P20 access and portability: every self-serve download is a completed request on record. */
const logExport = (ctx: Ctx, me: Me, format: Format, rows: number) =>
  recordRequest({ ctx, input: {
    userId: me.userId, email: me.email, regime: "gdpr", kind: format === "zip" ? "portability" : "access",
    source: "self-serve", status: "completed", verification: "session",
    actions: [`Export delivered (${format.toUpperCase()}, about ${rows} rows)`],
    by: { actor: "user" },
  } });

/**
 * GET /export: a small account's export is prepared for download at once (after its request is
 * on record, so the archive and its manifest include it); a large one starts a background job.
 */
export async function exportNow({ ctx, input: { me, format } }: { ctx: Ctx; input: { me: Me; format: Format } }) {
  const prepared = await prepareExport(ctx.env, me.userId, ctx.now);
  if (!isSmall(prepared)) return { job: jobView(await startExport({ ctx, input: { userId: me.userId, prepared } })), prepared: null };
  await logExport(ctx, me, format, prepared.rowsTotal);
  return { job: null, prepared: await prepareExport(ctx.env, me.userId, ctx.now) };
}

/** POST /exports: a background export with progress (or the one already running). */
export async function startBackgroundExport({ ctx, input: { userId } }: { ctx: Ctx; input: { userId: string } }) {
  const prepared = await prepareExport(ctx.env, userId, ctx.now);
  return { job: jobView(await startExport({ ctx, input: { userId, prepared } })) };
}

const ready = (job: Job) => {
  if (job.status !== "ready") throw new ApiError("CONFLICT", `This export is ${job.status}; download it once it is ready`);
  return job;
};

/** A finished export of the user's about to be downloaded: the download is on record first. */
export async function exportForDownload({ ctx, input: { me, jobId, format } }: { ctx: Ctx; input: { me: Me; jobId: string; format: Format } }) {
  const job = ready(await getJob({ ctx, input: { userId: me.userId, jobId } }));
  await logExport(ctx, me, format, job.rowsDone);
  return job;
}

/** A signed link (5 minutes, bound to the session) the browser can follow to download a finished export. */
export async function exportLink({ ctx, input: { userId, sessionId, jobId } }: { ctx: Ctx; input: { userId: string; sessionId: string; jobId: string } }) {
  const job = ready(await getJob({ ctx, input: { userId, jobId } }));
  const token = await signDownloadLink(ctx.config, { userId, jobId: job.id, sessionId });
  return { url: `/api/privacy/download/${token}`, expiresIn: LINK_TTL_SECONDS };
}

/**
 * A followed download link: valid only while its session lives and the account is not deleted.
 * Returns who it acts for (the download's request is theirs) and the export's id.
 */
export async function followDownloadLink({ ctx, input: { token } }: { ctx: Ctx; input: { token: string } }) {
  const { db } = ctx;
  const claims = await verifyDownloadLink(ctx.config, token);
  if (!claims) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
  const [live] = await db
    .select({ email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, claims.sessionId), eq(sessions.userId, claims.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, ctx.now), isNull(users.deletedAt)))
    .limit(1);
  if (!live) throw new ApiError("UNAUTHORIZED", "This download link is invalid or has expired");
  return { auth: { userId: claims.userId, sessionId: claims.sessionId, email: live.email, name: live.name }, jobId: claims.jobId };
}
