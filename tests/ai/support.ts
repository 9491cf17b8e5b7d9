// Helpers for the AI tests: a tenant with a workspace, provider keys through the API, jobs run by
// the real ai-jobs queue (polled until they finish) or driven through queue() directly, the
// sandbox's prompt log.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../worker/index";
import { ctxFromEnv } from "../../worker/core/context";
import { createJob } from "../../worker/features/ai";
import { QUEUES } from "../../worker/lib/queues";
import { call, expectStatus, newTenant, newWorkspace, type Json, type Tenant } from "../support/harness";
import { sandboxControl } from "../support/connectors";

export const PROVIDERS = ["local", "anthropic", "openai", "gemini"] as const;
export type Provider = (typeof PROVIDERS)[number];
export const KINDS = ["social_post", "ad_copy", "email_campaign", "image", "strategy", "insight"] as const;
export const KEYS = { anthropic: "sk-ant-sandbox-key-0001", openai: "sk-sandbox-openai-0001", gemini: "AIza-sandbox-gemini-0001" } as const;

export async function owner(name = "Bistro Test") {
  const t = await newTenant({ name: "Olivia" });
  const ws = await newWorkspace(t, name);
  return { t, ws };
}

/** Stores sandbox keys and points text (and images, where the provider makes them) at `provider`, with the given fallback. */
export async function useProvider(t: Tenant, provider: Provider, opts: { fallback?: Provider[]; budgetMicros?: number | null; tag?: string } = {}) {
  // A tag in the keys (and Gemini's model id) lets a fault match only this tenant's calls.
  const tag = opts.tag ?? "";
  for (const [p, key] of Object.entries(KEYS)) expectStatus(await call("PUT", `/api/orgs/${t.orgId}/ai/keys/${p}`, { token: t.token, body: { apiKey: `${key}${tag}` } }), 204);
  const image = provider === "anthropic" ? "openai" : provider;
  const models = { local: ["qweb-local-1", "qweb-local-1"], anthropic: ["claude-sonnet-4-5", "gpt-image-1"], openai: ["gpt-5-mini", "gpt-image-1"], gemini: [`gemini-2.5-flash${tag}`, "gemini-2.5-flash-image"] }[provider];
  const res = await call("PUT", `/api/orgs/${t.orgId}/ai/settings`, {
    token: t.token,
    body: { textProvider: provider, textModel: models[0], imageProvider: image, imageModel: models[1], fallback: opts.fallback ?? [], budgetMicros: opts.budgetMicros ?? null },
  });
  expectStatus(res, 200);
}

export async function startJob(t: { token: string }, workspaceId: string, kind: string, input: Json = {}) {
  const res = await call("POST", `/api/workspaces/${workspaceId}/ai/jobs`, { token: t.token, body: { kind, input: { brief: "Our new autumn menu launches Friday", ...input } } });
  expectStatus(res, 202);
  return res.json.jobId as string;
}

/** Polls the job (the real queue runs it) until it leaves queued/running/retrying. */
export async function waitForJob(t: { token: string }, jobId: string, timeoutMs = 20_000): Promise<Json> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/ai/jobs/${jobId}`, { token: t.token });
    expectStatus(res, 200);
    if (!["queued", "running", "retrying"].includes(res.json.job.status)) return res.json.job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${res.json.job.status}: ${res.json.job.error ?? ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates a job without sending it to the queue, so a test drives every delivery itself. */
export async function jobWithoutQueue(t: Tenant, workspaceId: string, kind: (typeof KINDS)[number], input: Json = {}) {
  const quiet = { ...env, AI_JOBS: { send: async () => {}, sendBatch: async () => {} } } as unknown as Env;
  const ctx = { ...ctxFromEnv(quiet), tenant: { orgId: t.orgId, workspaceId, userId: t.userId } };
  const job = await createJob({ ctx, input: { kind, input: { brief: "Our new autumn menu launches Friday", ...input } } });
  return job.id;
}

/** One delivery of an ai-jobs (or DLQ) message through the Worker's real queue() handler. */
export async function deliver(jobId: string, attempts = 1, queue: string = QUEUES.AI_JOBS, messageId = `msg-${jobId}-${attempts}`) {
  const batch = createMessageBatch(queue, [{ id: messageId, timestamp: new Date(), attempts, body: { kind: "ai-job", jobId } }]);
  // getQueueResult does not report a retry's delay: record what the consumer asked for.
  const delays: (number | undefined)[] = [];
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    Object.defineProperty(m, "retry", { value: (o?: QueueRetryOptions) => (delays.push(o?.delaySeconds), retry(o)) });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch as never, env, ctx);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

export const job = async (t: { token: string }, jobId: string) => (await call("GET", `/api/ai/jobs/${jobId}`, { token: t.token })).json.job as Json;

export async function usageRows(jobId: string) {
  return (await env.DB.prepare("SELECT provider, model, input_tokens, output_tokens, images, cost_micros, currency, duration_ms, outcome, agent FROM ai_usage WHERE job_id = ? ORDER BY created_at").bind(jobId).all<Json>()).results;
}
export const contentCount = async (jobId: string) => (await env.DB.prepare("SELECT COUNT(*) AS n FROM generated_content WHERE job_id = ?").bind(jobId).first<{ n: number }>())!.n;

export type Prompt = { provider: string; path: string; model: string; text: string };
export const sandboxPrompts = async (provider?: string) => (await sandboxControl<{ prompts: Prompt[] }>(`ai/prompts${provider ? `?provider=${provider}` : ""}`)).prompts;
export const aiFault = (f: { provider: string; kind: string; count?: number; retryAfter?: number; match?: string }) => sandboxControl("faults", f);
export const clearFaults = () => sandboxControl("faults", undefined, "DELETE");

export { call, expect, expectStatus, env };
