// A small structured task through the AI engine for other features (inbox classification and
// reply drafts): the organization's provider choice and fallbacks, the P09 secret guard, the
// monthly budget, and one ai_usage row per provider call (agent = the task's name, job id = the
// caller's key, so a repeated task never doubles its usage).
import { z } from "zod";
import type { Database } from "../../db/client";
import type { AiProviderId } from "../../db/schema";
import { AiError, type Usage } from "../../connectors/ai/types";
import { keysQuery, monthSpendQuery, openKeyRows, settingsOf, settingsQuery } from "./settings";
import { candidates } from "./providers";
import { containsSecret, credentialsQuery, secretsOf } from "./guard";
import { insertUsage, usageRow } from "./usage";
import type { Scope } from "./scope";

export type StructuredTask<T> = {
  /** Recorded as ai_usage.agent (e.g. "inbox_classify"). */
  task: string;
  /** Recorded as ai_usage.job_id; usage keys are key:call. */
  key: string;
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  maxTokens: number;
  /** What the built-in local provider answers (no network, deterministic). */
  local: () => T;
};
/** `providerMs`: the time spent in provider calls (every candidate tried), apart from QWEB's own work. */
export type StructuredResult<T> = { data: T; provider: AiProviderId; model: string; providerMs: number };

/** The JSON Schema of a task's zod schema, built once per schema (a synced page classifies hundreds with one). */
const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let out = jsonSchemas.get(schema);
  if (!out) {
    out = z.toJSONSchema(schema, { target: "draft-7" }) as Record<string, unknown>;
    delete out.$schema;
    jsonSchemas.set(schema, out);
  }
  return out;
}

const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));

type Prepared = { settings: ReturnType<typeof settingsOf>; keys: Awaited<ReturnType<typeof openKeyRows>>; secrets: string[]; spent: number };

/** Everything a scope's tasks need in one round trip: settings, keys, credentials for the guard, this month's spend. */
async function prepare(env: Env, db: Database, scope: Scope, now: () => number): Promise<Prepared> {
  const [settingsRows, keyRows, creds, [spend]] = await db.batch([settingsQuery(db, scope.orgId), keysQuery(db, scope.orgId), credentialsQuery(db, scope), monthSpendQuery(db, scope.orgId, now())]);
  const settings = settingsOf(env, settingsRows);
  const keys = await openKeyRows(env, scope.orgId, keyRows);
  return { settings, keys, secrets: await secretsOf(env, scope, creds, keys), spent: Number(spend?.total ?? 0) };
}

type Outcome<T> = { result: StructuredResult<T> | null; error: AiError | null; rows: ReturnType<typeof usageRow>[] };

/** One task over the prepared scope: the budget and P09 guard first, then the providers in order. */
async function runTask<T>(env: Env, p: Prepared, scope: Scope, t: StructuredTask<T>, now: () => number): Promise<Outcome<T>> {
  const { settings, keys } = p;
  if (settings.budgetMicros !== null && p.spent >= settings.budgetMicros) return { result: null, error: new AiError("quota", "This month's AI budget is used up"), rows: [] };
  if (containsSecret(`${t.system}\n${t.prompt}`, p.secrets)) {
    return {
      result: null, error: new AiError("permanent", "The text held a stored credential, so it was not sent to any AI provider"),
      rows: [usageRow({ ...scope, jobId: t.key, agent: t.task, provider: settings.textProvider, model: settings.textModel, usage: { inputTokens: 0, outputTokens: 0, images: 0 }, durationMs: 0, outcome: "refused", key: `${t.key}:refused`, now: now() })],
    };
  }
  const schema = jsonSchemaOf(t.schema);
  const rows = [];
  let providerMs = 0;
  let last: AiError | null = null;
  let result: StructuredResult<T> | null = null;
  for (const [i, { provider, model }] of candidates(env, settings, keys, "text", now).entries()) {
    const t0 = performance.now();
    let usage: Usage = { inputTokens: 0, outputTokens: 0, images: 0 };
    let outcome: "ok" | "error" | "malformed" = "error";
    let usedModel = model;
    try {
      let data: unknown;
      if (provider.id === "local") {
        data = t.local();
        usage = { inputTokens: tokensOf(t.system.length + t.prompt.length), outputTokens: tokensOf(JSON.stringify(data).length), images: 0 };
        usedModel = "qweb-local-1";
      } else {
        const r = await provider.text({ model, system: t.system, prompt: t.prompt, schema, schemaName: `${t.task}_answer`, maxTokens: t.maxTokens, local: { kind: "insight", input: {}, context: {}, variants: 1 } });
        data = r.data;
        usage = r.usage;
        usedModel = r.model;
      }
      const parsed = t.schema.safeParse(data);
      if (parsed.success) {
        outcome = "ok";
        result = { data: parsed.data, provider: provider.id, model: usedModel, providerMs: 0 };
      } else {
        outcome = "malformed";
        last = new AiError("malformed", `${provider.id}: the answer did not have the expected shape`);
      }
    } catch (err) {
      last = err instanceof AiError ? err : new AiError("retryable", `${provider.id}: ${String((err as Error)?.message ?? err)}`);
    }
    const durationMs = performance.now() - t0;
    providerMs += durationMs;
    const row = usageRow({ ...scope, jobId: t.key, agent: t.task, provider: provider.id, model: usedModel, usage, durationMs, outcome, key: `${t.key}:${i}`, now: now() });
    p.spent += row.costMicros;
    rows.push(row);
    if (result) break;
  }
  if (result) result.providerMs = providerMs;
  return { result, error: result ? null : (last ?? new AiError("permanent", "No AI provider is available")), rows };
}

export async function generateStructured<T>(env: Env, db: Database, scope: Scope, t: StructuredTask<T>, now: () => number): Promise<StructuredResult<T>> {
  const p = await prepare(env, db, scope, now);
  const o = await runTask(env, p, scope, t, now);
  if (o.rows.length) await db.batch(insertUsage(db, o.rows) as unknown as [never]);
  if (!o.result) throw o.error!;
  return o.result;
}

/**
 * Several structured tasks of one scope (a synced page of inbox mail to classify): one read of
 * settings, keys, guard credentials and spend for all of them, the tasks `concurrency` at a time
 * (the budget counts what the earlier ones spent), one usage write. Each answer is the task's
 * result or its error, in the tasks' order. (bench/inbox.bench.mjs: the per-task spend sum over a
 * month of usage rows made classification grow with every message.)
 */
export async function generateStructuredMany<T>(env: Env, db: Database, scope: Scope, tasks: StructuredTask<T>[], now: () => number, concurrency = 8): Promise<(StructuredResult<T> | AiError)[]> {
  if (!tasks.length) return [];
  const p = await prepare(env, db, scope, now);
  const outcomes = new Array<Outcome<T>>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      outcomes[i] = await runTask(env, p, scope, tasks[i]!, now);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  const rows = outcomes.flatMap((o) => o.rows);
  if (rows.length) await db.batch(insertUsage(db, rows) as unknown as [never]);
  return outcomes.map((o) => o.result ?? o.error!);
}
