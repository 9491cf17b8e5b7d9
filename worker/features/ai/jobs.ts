import { and, desc, eq, inArray, isNotNull, lt, or } from "drizzle-orm";
import { aiJobs, type AgentId, type ContentKind } from "../../db/schema";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Ctx, TenantCtx } from "../../core/context";
import { atLeast, getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { assertWithinBudget } from "./budget";
import { jobInputSchemas } from "./kinds";
import type { AiJobMessage } from "../../core/messages";

type Job = typeof aiJobs.$inferSelect;

/** Who a job is for: a request's tenant, or the person who scheduled an agent (cron). */
export type JobCtx = Ctx & { tenant: Pick<TenantContext, "orgId" | "workspaceId" | "userId"> };

/** POST …/ai/jobs: validates the input for its kind, checks the budget, stores the job and queues it. */
export async function createJob({ ctx, input: req }: { ctx: JobCtx; input: { kind: ContentKind; input: unknown; agent?: AgentId | null; trigger?: "user" | "schedule" } }) {
  const { db, env, now, tenant: t } = ctx;
  const parsed = jobInputSchemas[req.kind].safeParse(req.input ?? {});
  if (!parsed.success) {
    throw new ApiError("VALIDATION_FAILED", `Invalid input for ${req.kind}: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
      details: parsed.error.issues.map((i) => ({ path: ["input", ...i.path].join("."), message: i.message, code: i.code })),
    });
  }
  await assertWithinBudget(env, db, t.orgId, now);
  const job = {
    id: newId(), orgId: t.orgId, workspaceId: t.workspaceId, requestedBy: t.userId, kind: req.kind, agent: req.agent ?? null, trigger: req.trigger ?? "user",
    input: parsed.data as Record<string, unknown>, status: "queued" as const, progress: 0, stage: "Queued", steps: [], attempts: 0, contentIds: [], createdAt: now, updatedAt: now,
  };
  await db.insert(aiJobs).values(job);
  await env.AI_JOBS.send({ kind: "ai-job", jobId: job.id } satisfies AiJobMessage);
  return job;
}

/** The caller's access to a job's workspace, or NOT_FOUND (another tenant's job does not exist for them). */
export async function jobAccess({ ctx, input: { userId, jobId } }: { ctx: Ctx; input: { userId: string; jobId: string } }): Promise<{ job: Job; tenant: TenantContext }> {
  const { db } = ctx;
  const [job] = await db.select().from(aiJobs).where(eq(aiJobs.id, jobId)).limit(1);
  if (!job) throw notFound("Job");
  try {
    const tenant = await getWorkspaceAccess(db, userId, job.workspaceId);
    return { job, tenant };
  } catch {
    throw notFound("Job");
  }
}

/**
 * Newest first, a page at a time: the next page is `before` = the last job's createdAt and `beforeId` = its id
 * (jobs created in the same millisecond are told apart by id, so paging never skips one).
 */
export async function listJobs({ ctx, input: q }: { ctx: TenantCtx; input: { agents?: boolean; before?: number; beforeId?: string; limit: number } }) {
  const { db, tenant: t } = ctx;
  const after = q.before ? (q.beforeId ? or(lt(aiJobs.createdAt, q.before), and(eq(aiJobs.createdAt, q.before), lt(aiJobs.id, q.beforeId))) : lt(aiJobs.createdAt, q.before)) : undefined;
  const rows = await db
    .select()
    .from(aiJobs)
    .where(and(eq(aiJobs.orgId, t.orgId), eq(aiJobs.workspaceId, t.workspaceId), q.agents ? isNotNull(aiJobs.agent) : undefined, after))
    .orderBy(desc(aiJobs.createdAt), desc(aiJobs.id))
    .limit(q.limit);
  return { jobs: rows.map(jobView) };
}

/** GET /api/ai/jobs/:id: the caller's job (NOT_FOUND for another tenant's). */
export async function getJob({ ctx, input }: { ctx: Ctx; input: { userId: string; jobId: string } }) {
  const { job } = await jobAccess({ ctx, input });
  return { job: jobView(job) };
}

/** Cancels a job that has not finished (editors and up); a finished one answers 409. */
export async function cancelJob({ ctx, input }: { ctx: Ctx; input: { userId: string; jobId: string } }) {
  const { db, now } = ctx;
  const { job, tenant } = await jobAccess({ ctx, input });
  if (!atLeast(tenant.role, "editor")) throw forbidden();
  const rows = await db
    .update(aiJobs)
    .set({ status: "cancelled", stage: null, finishedAt: now, updatedAt: now, error: "Cancelled" })
    .where(and(eq(aiJobs.id, job.id), eq(aiJobs.orgId, job.orgId), inArray(aiJobs.status, ["queued", "running", "retrying"])))
    .returning({ id: aiJobs.id });
  if (rows.length === 0) throw new ApiError("CONFLICT", `The job already ${job.status === "cancelled" ? "was cancelled" : "finished"}`);
  return { ok: true as const };
}

export const jobView = (j: Job) => ({
  id: j.id, workspaceId: j.workspaceId, kind: j.kind, agent: j.agent, trigger: j.trigger, input: j.input, status: j.status, progress: j.progress, stage: j.stage,
  steps: j.steps, attempts: j.attempts, error: j.error, contentIds: j.contentIds, requestedBy: j.requestedBy, createdAt: j.createdAt, startedAt: j.startedAt, finishedAt: j.finishedAt,
});
