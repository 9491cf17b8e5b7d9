import { and, eq, inArray, ne, or, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiJobs, generatedContent, type AiProviderId, type JobStep } from "../../db/schema";
import { AiError } from "../../connectors/ai/types";
import { backoffMs } from "../../connectors/http";
import { processingAllowed } from "../../core/restrictions";
import { buildContext, DEFAULT_VOICE } from "./context";
import { generateImage, generateText, type Call, type Generated } from "./generate";
import { containsSecret, storedSecrets } from "./guard";
import { networks as NETWORKS, type JobInput, type KindOutput, type Network } from "./kinds";
import type { AiContext } from "./context";
import type { Candidate } from "./providers";
import { buildPrompt } from "./prompt";
import { candidates } from "./providers";
import { getSettings, openKeys } from "./settings";
import { insertUsage, usageRow } from "./usage";
import { warnOnBudget } from "./budget";
import { titleOf } from "./titles";
import type { Ctx } from "../../core/context";

type Job = typeof aiJobs.$inferSelect;
export type RunOutcome = { retryAfterSeconds?: number };

const TERMINAL = ["succeeded", "failed", "cancelled"] as const;
export const imageKey = (job: Pick<Job, "orgId" | "workspaceId" | "id">, variant: number) => `ai/${job.orgId}/${job.workspaceId}/${job.id}-${variant}.png`;

/** Full-jitter backoff that never comes sooner than the provider's Retry-After. */
export const retryDelaySeconds = (attempt: number, retryAfterMs?: number) => Math.min(43_200, Math.ceil(Math.max(retryAfterMs ?? 0, backoffMs(attempt, 2_000, 300_000)) / 1000));

async function fail(db: Database, job: Job, error: string, now: number, steps: JobStep[]) {
  await db.update(aiJobs).set({ status: "failed", error, stage: null, steps, finishedAt: now, updatedAt: now }).where(and(eq(aiJobs.id, job.id), ne(aiJobs.status, "cancelled")));
}

/**
 * The ai-jobs consumer's work for one delivery (attempt = the queue's attempt number). Loads the
 * job, checks processing flags and the prompt guard, calls the providers, validates, then stores
 * content, usage and the job's outcome in one D1 batch, so a redelivery finds the job done and
 * changes nothing; usage keys are job:attempt:call, so a duplicate delivery cannot double them.
 */
export async function runJob({ ctx: base, input: { jobId, attempt, clock } }: { ctx: Ctx; input: { jobId: string; attempt: number; clock?: () => number } }): Promise<RunOutcome> {
  const { env, db } = base;
  // A job runs for seconds: its steps and call durations read a live clock (the consumer's), not the frozen ctx.now.
  const now = clock ?? (() => base.now);
  const [job] = await db.select().from(aiJobs).where(eq(aiJobs.id, jobId)).limit(1);
  if (!job || (TERMINAL as readonly string[]).includes(job.status)) return {};
  const scope = { orgId: job.orgId, workspaceId: job.workspaceId };
  const steps: JobStep[] = [];
  const step = (name: string, detail?: string, status: JobStep["status"] = "done") => steps.push({ name, status, at: now(), detail });

  if (!(await processingAllowed(db, { userId: job.requestedBy, orgId: job.orgId }, "ai"))) {
    step("Privacy check", "processing restricted", "failed");
    await fail(db, job, "Not run: AI processing is switched off because the person who asked (or the organization) restricted or objected to processing in the privacy center.", now(), steps);
    return {};
  }
  await db.update(aiJobs).set({ status: "running", attempts: attempt, startedAt: job.startedAt ?? now(), stage: "Reading brand voice and figures", progress: 15, updatedAt: now() }).where(eq(aiJobs.id, job.id));

  const input = job.input as unknown as JobInput;
  const [ctx, settings, keys, secrets] = await Promise.all([buildContext(db, scope, now()), getSettings(env, db, job.orgId), openKeys(env, db, job.orgId), storedSecrets(env, db, scope)]);
  step("Context", `${ctx.performance.topProducts.length} top products, ${ctx.performance.lastMonth.orders} orders last month`);
  const { system, prompt } = buildPrompt(job.kind, input, ctx, job.agent);

  const calls: Call[] = [];
  const usageOf = (c: Call, i: number) => usageRow({ ...scope, jobId: job.id, agent: job.agent, provider: c.provider, model: c.model, usage: c.usage, durationMs: c.durationMs, outcome: c.outcome, key: `${job.id}:${attempt}:${i}`, now: now() });

  if (containsSecret(`${system}\n${prompt}`, secrets)) {
    step("Prompt check", "a stored credential was found in the prompt", "failed");
    const refused = usageOf({ provider: settings.textProvider, model: settings.textModel, usage: { inputTokens: 0, outputTokens: 0, images: 0 }, durationMs: 0, outcome: "error" }, 0);
    await db.batch([...insertUsage(db, [{ ...refused, outcome: "refused" }]), db.update(aiJobs).set({ status: "failed", error: "Refused: the prompt contained a stored integration credential or API key, so it was not sent to any AI provider. Remove it from the brief or brand voice.", steps, finishedAt: now(), updatedAt: now() }).where(eq(aiJobs.id, job.id))] as unknown as [never]);
    return {};
  }
  step("Prompt check", "no stored credential in the prompt");

  let text: Generated;
  let drafts: Drafts = { items: [], provider: "local", model: "", prompt: "" };
  const contents: (typeof generatedContent.$inferInsert)[] = [];
  const images: { key: string; png: Uint8Array }[] = [];
  try {
    const textCands = candidates(env, settings, keys, "text", now);
    text = await generateText(textCands, { system, prompt, maxTokens: 4096, local: { kind: job.kind, input: job.input, context: ctx as unknown as Record<string, unknown>, variants: input.variants } }, calls);
    step("Generated", `${text.variants.length} variant(s) with ${text.provider} ${text.model}`);
    if (job.kind === "image") {
      const colors = (ctx.brandVoice ?? DEFAULT_VOICE).colors;
      for (const [v, brief] of text.variants.entries()) {
        const b = brief as { headline: string; tagline: string; prompt: string };
        const img = await generateImage(candidates(env, settings, keys, "image", now), { prompt: b.prompt, card: { headline: b.headline, tagline: b.tagline, brand: ctx.workspace.name, colors } }, calls);
        images.push({ key: imageKey(job, v), png: img.png });
        (brief as Record<string, unknown>).image = { provider: img.provider, model: img.model };
      }
      step("Image", `rendered ${images.length} PNG(s)`);
    }
    if (job.agent === "content_strategist" && job.kind === "strategy") {
      drafts = await strategistDrafts(text.variants[0] as KindOutput<"strategy">, ctx, job.agent, textCands, calls);
      step("Drafts", `${drafts.items.length} draft post(s) for week 1`);
    }
  } catch (err) {
    const e = err instanceof AiError ? err : new AiError("retryable", String(err));
    const failedUsage = calls.map(usageOf);
    if (e.kind === "retryable") {
      await db.batch([...insertUsage(db, failedUsage), db.update(aiJobs).set({ status: "retrying", stage: "Waiting to retry", error: e.message, updatedAt: now() }).where(eq(aiJobs.id, job.id))] as unknown as [never]);
      return { retryAfterSeconds: retryDelaySeconds(attempt, e.opts.retryAfterMs) };
    }
    step("Generate", e.message, "failed");
    const reason = e.kind === "quota" ? `${e.message}. Not retried.` : e.kind === "malformed" ? `${e.message}, even after asking again.` : e.message;
    await db.batch([...insertUsage(db, failedUsage), db.update(aiJobs).set({ status: "failed", error: reason, steps, finishedAt: now(), updatedAt: now() }).where(eq(aiJobs.id, job.id))] as unknown as [never]);
    return {};
  }

  for (const img of images) await env.FILES.put(img.key, img.png, { httpMetadata: { contentType: "image/png" } });
  text.variants.forEach((body, v) => {
    contents.push({
      id: crypto.randomUUID(),
      orgId: job.orgId,
      workspaceId: job.workspaceId,
      jobId: job.id,
      variant: v,
      kind: job.kind,
      title: titleOf(job.kind, body, input.brief),
      body,
      provider: text.provider as AiProviderId,
      model: text.model,
      prompt: `${system}\n\n---\n\n${prompt}`,
      context: ctx as unknown as Record<string, unknown>,
      status: "draft",
      imageKey: job.kind === "image" ? imageKey(job, v) : null,
      createdBy: job.requestedBy,
      createdAt: now(),
      updatedAt: now(),
    });
  });
  drafts.items.forEach((body, i) => {
    contents.push({
      id: crypto.randomUUID(), orgId: job.orgId, workspaceId: job.workspaceId, jobId: job.id, variant: text.variants.length + i, kind: "social_post",
      title: titleOf("social_post", body, "Draft from the monthly plan"), body, provider: drafts.provider, model: drafts.model, prompt: drafts.prompt,
      context: ctx as unknown as Record<string, unknown>, status: "draft", imageKey: null, createdBy: job.requestedBy, createdAt: now(), updatedAt: now(),
    });
  });
  step("Stored", `${contents.length} item(s)`);
  // 18 columns a row: 5 rows per statement stays under D1's 100 bound parameters.
  const contentStmts = [];
  for (let i = 0; i < contents.length; i += 5) contentStmts.push(db.insert(generatedContent).values(contents.slice(i, i + 5)).onConflictDoNothing());
  await db.batch([
    ...contentStmts,
    ...insertUsage(db, calls.map(usageOf)),
    db
      .update(aiJobs)
      .set({ status: "succeeded", progress: 100, stage: null, error: null, steps, contentIds: contents.map((c) => c.id!), finishedAt: now(), updatedAt: now() })
      .where(and(eq(aiJobs.id, job.id), or(isNull(aiJobs.finishedAt), inArray(aiJobs.status, ["running", "retrying", "queued"])))),
  ] as unknown as [never]);
  await warnOnBudget(env, db, job.orgId, now());
  return {};
}

/** The dead-letter consumer: the job ran out of retries; it fails with the last reason. */
export async function deadLetter({ ctx, input: { jobId } }: { ctx: Ctx; input: { jobId: string } }) {
  const { db, now } = ctx;
  const [job] = await db.select().from(aiJobs).where(eq(aiJobs.id, jobId)).limit(1);
  if (!job || (TERMINAL as readonly string[]).includes(job.status)) return;
  const reason = `Gave up after ${job.attempts} attempts: ${job.error ?? "the provider kept failing"}. Try again later.`;
  await db.update(aiJobs).set({ status: "failed", error: reason, stage: null, finishedAt: now, updatedAt: now }).where(and(eq(aiJobs.id, jobId), ne(aiJobs.status, "cancelled")));
}

type Drafts = { items: Record<string, unknown>[]; provider: AiProviderId; model: string; prompt: string };

/** The Content Strategist's second step: draft posts for the plan's first week, in one call. */
async function strategistDrafts(plan: KindOutput<"strategy">, ctx: AiContext, agent: "content_strategist", cands: Candidate[], calls: Call[]): Promise<Drafts> {
  const week = plan.weeks[0]!;
  const nets = [...new Set(week.posts.map((p) => p.network.toLowerCase()))].filter((n): n is Network => (NETWORKS as string[]).includes(n));
  const input: JobInput = { brief: `${week.focus}: ${week.posts[0]?.idea ?? ""}`.slice(0, 2000), networks: nets.length ? nets : ["instagram"], variants: 1 };
  const { system, prompt } = buildPrompt("social_post", input, ctx, agent);
  const out = await generateText(cands, { system, prompt, maxTokens: 2048, local: { kind: "social_post", input: input as unknown as Record<string, unknown>, context: ctx as unknown as Record<string, unknown>, variants: 1 } }, calls);
  return { items: out.variants, provider: out.provider, model: out.model, prompt: `${system}\n\n---\n\n${prompt}` };
}
