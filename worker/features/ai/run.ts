import { and, eq, inArray, ne, notInArray, or, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiJobs, generatedContent, organizations, users, type AiProviderId, type JobStep } from "../../db/schema";
import { chunkRows, columnsOf, inChunks } from "../../db/chunk";
import { AiError } from "../../connectors/ai/types";
import { backoffMs } from "../../connectors/http";
import { contextOf, contextQueries, DEFAULT_VOICE, type ContextRows } from "./context";
import { generateImage, generateText, type Call, type Generated } from "./generate";
import { containsSecret, credentialsQuery, secretsOf } from "./guard";
import { networks as NETWORKS, type JobInput, type KindOutput, type Network } from "./kinds";
import type { AiContext } from "./context";
import type { Candidate } from "./providers";
import { buildPrompt } from "./prompt";
import { candidates } from "./providers";
import { keysQuery, monthOf, openKeyRows, settingsOf, settingsQuery, type Settings } from "./settings";
import { insertUsage, usageRow } from "./usage";
import { announceBudget, budgetWarningClaim } from "./budget";
import { titleOf } from "./titles";
import type { Ctx } from "../../core/context";
import type { Scope } from "./scope";

type Job = typeof aiJobs.$inferSelect;
export type RunOutcome = { retryAfterSeconds?: number };
export type Delivery = { jobId: string; attempt: number };
const TERMINAL = ["succeeded", "failed", "cancelled"] as const;
export const imageKey = (job: Pick<Job, "orgId" | "workspaceId" | "id">, variant: number) => `ai/${job.orgId}/${job.workspaceId}/${job.id}-${variant}.png`;

/** Full-jitter backoff that never comes sooner than the provider's Retry-After. */
export const retryDelaySeconds = (attempt: number, retryAfterMs?: number) => Math.min(43_200, Math.ceil(Math.max(retryAfterMs ?? 0, backoffMs(attempt, 2_000, 300_000)) / 1000));

const RESTRICTED = "Not run: AI processing is switched off because the person who asked (or the organization) restricted or objected to processing in the privacy center.";

/**
 * The jobs of a queue batch with the processing flags of who asked and of the organization (the
 * same Art. 18/21 flags `processingAllowed` reads), in one statement per 90 ids.
 */
async function loadJobs(db: Database, ids: string[]) {
  const chunks = inChunks(ids, 10).map((part) =>
    db
      .select({
        job: aiJobs,
        // Aliased: D1 batches key row values by column name, and users and organizations share these.
        userRestricted: sql<number | null>`${users.restrictedAt}`.as("u_restricted_at"),
        userObjected: sql<number | null>`${users.objectedAt}`.as("u_objected_at"),
        orgRestricted: sql<number | null>`${organizations.restrictedAt}`.as("o_restricted_at"),
        orgObjected: sql<number | null>`${organizations.objectedAt}`.as("o_objected_at"),
      })
      .from(aiJobs)
      .leftJoin(users, eq(users.id, aiJobs.requestedBy))
      .leftJoin(organizations, eq(organizations.id, aiJobs.orgId))
      .where(inArray(aiJobs.id, part)),
  );
  if (chunks.length === 0) return [];
  const results = chunks.length === 1 ? [await chunks[0]!] : await db.batch(chunks as unknown as [(typeof chunks)[number]]);
  return results.flat().map((r) => ({ job: r.job, allowed: !(r.userRestricted || r.userObjected || r.orgRestricted || r.orgObjected) }));
}

/** What the jobs of one workspace share within a queue batch: read and opened once. */
type Shared = { context: AiContext; settings: Settings; keys: Partial<Record<AiProviderId, string>>; secrets: string[] };
type Pending = { index: number; job: Job; attempt: number };

/**
 * The ai-jobs consumer's work for one queue batch (attempt = the queue's attempt number of each
 * delivery). Round trips to D1: one statement loads the jobs with their privacy flags; one batch
 * marks them running (or failed, for restricted processing) and reads everything they need, per
 * workspace and organization of the batch (brand voice, figures, post history, patterns,
 * settings, keys, integration credentials for the P09 guard); then each job writes its content,
 * usage and outcome in one batch of its own (the 80 % budget warning's claim rides in it). So a
 * job costs one round trip of its own, plus its share of two per batch. Usage keys are
 * job:attempt:call and content is unique per job and variant, so a redelivery (also one running
 * at the same time) cannot double them.
 *
 * Returns one settled outcome per delivery, in order: a rejection is a fault of that job's
 * delivery alone (the consumer retries it); a fault of the shared reads rejects the whole call.
 */
export async function runJobs({ ctx: base, input: { deliveries, clock, concurrency = 1 } }: { ctx: Ctx; input: { deliveries: Delivery[]; clock?: () => number; concurrency?: number } }): Promise<PromiseSettledResult<RunOutcome>[]> {
  const { db } = base;
  // A job runs for seconds: its steps and call durations read a live clock (the consumer's), not the frozen ctx.now.
  const now = clock ?? (() => base.now);
  const results: PromiseSettledResult<RunOutcome>[] = deliveries.map(() => ({ status: "fulfilled", value: {} }));
  const loaded = new Map((await loadJobs(db, [...new Set(deliveries.map((d) => d.jobId))])).map((r) => [r.job.id, r]));

  const pending: Pending[] = [];
  const restricted: Job[] = [];
  for (const [index, d] of deliveries.entries()) {
    const r = loaded.get(d.jobId);
    if (!r || (TERMINAL as readonly string[]).includes(r.job.status)) continue;
    if (r.allowed) pending.push({ index, job: r.job, attempt: d.attempt });
    else if (!restricted.includes(r.job)) restricted.push(r.job);
  }
  if (pending.length === 0 && restricted.length === 0) return results;

  const t = now();
  const writes = [];
  for (const job of restricted) {
    const steps: JobStep[] = [{ name: "Privacy check", status: "failed", at: t, detail: "processing restricted" }];
    writes.push(db.update(aiJobs).set({ status: "failed", error: RESTRICTED, stage: null, steps, finishedAt: t, updatedAt: t }).where(and(eq(aiJobs.id, job.id), ne(aiJobs.status, "cancelled"))));
  }
  for (const attempt of new Set(pending.map((p) => p.attempt))) {
    const ids = [...new Set(pending.filter((p) => p.attempt === attempt).map((p) => p.job.id))];
    for (const part of inChunks(ids, 10)) {
      writes.push(db.update(aiJobs).set({ status: "running", attempts: attempt, stage: "Writing", progress: 30, updatedAt: t }).where(and(inArray(aiJobs.id, part), notInArray(aiJobs.status, [...TERMINAL]))));
    }
  }
  const scopes = new Map<string, Scope>();
  for (const { job } of pending) scopes.set(`${job.orgId}/${job.workspaceId}`, { orgId: job.orgId, workspaceId: job.workspaceId });
  const orgIds = [...new Set([...scopes.values()].map((s) => s.orgId))];
  const reads = [
    ...[...scopes.values()].flatMap((scope) => [...contextQueries(db, scope, t), credentialsQuery(db, scope)]),
    ...orgIds.flatMap((orgId) => [settingsQuery(db, orgId), keysQuery(db, orgId)]),
  ];
  const rows = (await db.batch([...writes, ...reads] as unknown as [never])) as unknown[];
  if (pending.length === 0) return results;

  // Per organization: settings and opened keys; per workspace: its context and stored secrets.
  let at = writes.length;
  const take = <T>(n: number) => rows.slice(at, (at += n)) as T;
  const perScope = [...scopes.entries()].map(([key, scope]) => ({ key, scope, context: take<ContextRows>(8), creds: take<[Awaited<ReturnType<typeof credentialsQuery>>]>(1)[0] }));
  const perOrg = new Map<string, { settings: Settings; keys: Shared["keys"] }>();
  for (const orgId of orgIds) {
    const [settingsRows, keyRows] = take<[Awaited<ReturnType<typeof settingsQuery>>, Awaited<ReturnType<typeof keysQuery>>]>(2);
    perOrg.set(orgId, { settings: settingsOf(base.env, settingsRows), keys: await openKeyRows(base.env, orgId, keyRows) });
  }
  const shared = new Map<string, Shared>();
  for (const s of perScope) {
    const org = perOrg.get(s.scope.orgId)!;
    shared.set(s.key, { context: contextOf(s.context, t), settings: org.settings, keys: org.keys, secrets: await secretsOf(base.env, s.scope, s.creds, org.keys) });
  }

  // Lanes overlap the provider calls of a few jobs; a lane does not wait for a job's write before the next job.
  const queue = [...pending];
  const done: Promise<void>[] = [];
  const lane = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      const { index, job, attempt } = p;
      const settle = (outcome: Promise<RunOutcome>) =>
        outcome.then(
          (value) => void (results[index] = { status: "fulfilled", value }),
          (reason: unknown) => void (results[index] = { status: "rejected", reason }),
        );
      try {
        const { outcome, write } = await execute(base, now, job, attempt, shared.get(`${job.orgId}/${job.workspaceId}`)!);
        done.push(settle(write.then(() => outcome)));
      } catch (err) {
        done.push(settle(Promise.reject(err)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, lane));
  await Promise.all(done);
  return results;
}

/** One delivery (tests and callers outside the queue): the batch path with a single message. */
export async function runJob({ ctx, input: { jobId, attempt, clock } }: { ctx: Ctx; input: { jobId: string; attempt: number; clock?: () => number } }): Promise<RunOutcome> {
  const [r] = await runJobs({ ctx, input: { deliveries: [{ jobId, attempt }], clock } });
  if (r!.status === "rejected") throw r!.reason;
  return r!.value;
}

/**
 * One job from its shared reads: the prompt, the P09 guard, the provider calls and validation,
 * images to R2, then its one write batch (returned unawaited, with the outcome it leads to).
 * `startedAt` is the moment this job's own work began (kept from the first attempt).
 */
async function execute(base: Ctx, now: () => number, job: Job, attempt: number, shared: Shared): Promise<{ outcome: RunOutcome; write: Promise<unknown> }> {
  const { env, db } = base;
  const { context: ctx, settings, keys, secrets } = shared;
  const began = now();
  const startedAt = sql`coalesce(${aiJobs.startedAt}, ${began})`;
  const scope = { orgId: job.orgId, workspaceId: job.workspaceId };
  const steps: JobStep[] = [];
  const step = (name: string, detail?: string, status: JobStep["status"] = "done") => steps.push({ name, status, at: now(), detail });
  const input = job.input as unknown as JobInput;
  step("Context", `${ctx.performance.topProducts.length} top products, ${ctx.performance.lastMonth.orders} orders last month`);
  const { system, prompt } = buildPrompt(job.kind, input, ctx, job.agent);

  const calls: Call[] = [];
  const usageOf = (c: Call, i: number) => usageRow({ ...scope, jobId: job.id, agent: job.agent, provider: c.provider, model: c.model, usage: c.usage, durationMs: c.durationMs, outcome: c.outcome, key: `${job.id}:${attempt}:${i}`, now: now() });
  const batch = (stmts: unknown[]) => db.batch(stmts as unknown as [never]) as Promise<unknown[]>;

  if (containsSecret(`${system}\n${prompt}`, secrets)) {
    step("Prompt check", "a stored credential was found in the prompt", "failed");
    const refused = usageOf({ provider: settings.textProvider, model: settings.textModel, usage: { inputTokens: 0, outputTokens: 0, images: 0 }, durationMs: 0, outcome: "error" }, 0);
    const error = "Refused: the prompt contained a stored integration credential or API key, so it was not sent to any AI provider. Remove it from the brief or brand voice.";
    return { outcome: {}, write: batch([...insertUsage(db, [{ ...refused, outcome: "refused" }]), db.update(aiJobs).set({ status: "failed", error, stage: null, steps, startedAt, finishedAt: now(), updatedAt: now() }).where(and(eq(aiJobs.id, job.id), ne(aiJobs.status, "cancelled")))]) };
  }
  step("Prompt check", "no stored credential in the prompt");

  let text: Generated;
  let drafts: Drafts = { items: [], provider: "local", model: "", prompt: "" };
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
      const write = batch([...insertUsage(db, failedUsage), db.update(aiJobs).set({ status: "retrying", stage: "Waiting to retry", error: e.message, startedAt, updatedAt: now() }).where(and(eq(aiJobs.id, job.id), notInArray(aiJobs.status, [...TERMINAL])))]);
      return { outcome: { retryAfterSeconds: retryDelaySeconds(attempt, e.opts.retryAfterMs) }, write };
    }
    step("Generate", e.message, "failed");
    const reason = e.kind === "quota" ? `${e.message}. Not retried.` : e.kind === "malformed" ? `${e.message}, even after asking again.` : e.message;
    return { outcome: {}, write: batch([...insertUsage(db, failedUsage), db.update(aiJobs).set({ status: "failed", error: reason, stage: null, steps, startedAt, finishedAt: now(), updatedAt: now() }).where(and(eq(aiJobs.id, job.id), ne(aiJobs.status, "cancelled")))]) };
  }

  await Promise.all(images.map((img) => env.FILES.put(img.key, img.png, { httpMetadata: { contentType: "image/png" } })));
  const at = now();
  const item = (variant: number, kind: Job["kind"], title: string, body: Record<string, unknown>, made: { provider: AiProviderId; model: string; prompt: string }, imageKey: string | null): typeof generatedContent.$inferInsert => ({
    id: crypto.randomUUID(), orgId: job.orgId, workspaceId: job.workspaceId, jobId: job.id, variant, kind, title, body, provider: made.provider, model: made.model, prompt: made.prompt,
    context: ctx as unknown as Record<string, unknown>, status: "draft", imageKey, createdBy: job.requestedBy, createdAt: at, updatedAt: at,
  });
  const made = { provider: text.provider, model: text.model, prompt: `${system}\n\n---\n\n${prompt}` };
  const contents = [
    ...text.variants.map((body, v) => item(v, job.kind, titleOf(job.kind, body, input.brief), body, made, job.kind === "image" ? imageKey(job, v) : null)),
    ...drafts.items.map((body, i) => item(text.variants.length + i, "social_post", titleOf("social_post", body, "Draft from the monthly plan"), body, drafts, null)),
  ];
  step("Stored", `${contents.length} item(s)`);
  // The warning's claim is only worth a statement while a budget is set and this month is not yet warned (as of the batch's read).
  const watch = settings.budgetMicros !== null && settings.budgetMicros > 0 && settings.warnedMonth !== monthOf(at);
  const finished = now();
  const write = batch([
    ...chunkRows(contents, columnsOf(generatedContent)).map((rows) => db.insert(generatedContent).values(rows).onConflictDoNothing()),
    ...insertUsage(db, calls.map(usageOf)),
    db
      .update(aiJobs)
      .set({ status: "succeeded", progress: 100, stage: null, error: null, steps, contentIds: contents.map((c) => c.id!), startedAt, finishedAt: finished, updatedAt: finished })
      .where(and(eq(aiJobs.id, job.id), or(isNull(aiJobs.finishedAt), inArray(aiJobs.status, ["running", "retrying", "queued"])))),
    ...(watch ? [budgetWarningClaim(db, job.orgId, finished)] : []),
  ]).then(async (res) => {
    const claimed = watch ? (res.at(-1) as { budgetMicros: number | null; spent: number }[])[0] : undefined;
    if (claimed) await announceBudget(env, db, job.orgId, claimed, finished);
  });
  return { outcome: {}, write };
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
