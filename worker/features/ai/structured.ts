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
export type StructuredResult<T> = { data: T; provider: AiProviderId; model: string };

const tokensOf = (chars: number) => Math.max(1, Math.ceil(chars / 4));

export async function generateStructured<T>(env: Env, db: Database, scope: Scope, t: StructuredTask<T>, now: () => number): Promise<StructuredResult<T>> {
  // Everything the task needs in one round trip: settings, keys, credentials for the guard, this month's spend.
  const [settingsRows, keyRows, creds, [spend]] = await db.batch([settingsQuery(db, scope.orgId), keysQuery(db, scope.orgId), credentialsQuery(db, scope), monthSpendQuery(db, scope.orgId, now())]);
  const settings = settingsOf(env, settingsRows);
  const keys = await openKeyRows(env, scope.orgId, keyRows);
  const secrets = await secretsOf(env, scope, creds, keys);
  if (settings.budgetMicros !== null && Number(spend?.total ?? 0) >= settings.budgetMicros) throw new AiError("quota", "This month's AI budget is used up");
  if (containsSecret(`${t.system}\n${t.prompt}`, secrets)) {
    await db.batch(insertUsage(db, [{ ...usageRow({ ...scope, jobId: t.key, agent: t.task, provider: settings.textProvider, model: settings.textModel, usage: { inputTokens: 0, outputTokens: 0, images: 0 }, durationMs: 0, outcome: "refused", key: `${t.key}:refused`, now: now() }) }]) as unknown as [never]);
    throw new AiError("permanent", "The text held a stored credential, so it was not sent to any AI provider");
  }
  const schema = z.toJSONSchema(t.schema, { target: "draft-7" }) as Record<string, unknown>;
  delete schema.$schema;
  const rows = [];
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
        result = { data: parsed.data, provider: provider.id, model: usedModel };
      } else {
        outcome = "malformed";
        last = new AiError("malformed", `${provider.id}: the answer did not have the expected shape`);
      }
    } catch (err) {
      last = err instanceof AiError ? err : new AiError("retryable", `${provider.id}: ${String((err as Error)?.message ?? err)}`);
    }
    rows.push(usageRow({ ...scope, jobId: t.key, agent: t.task, provider: provider.id, model: usedModel, usage, durationMs: performance.now() - t0, outcome, key: `${t.key}:${i}`, now: now() }));
    if (result) break;
  }
  if (rows.length) await db.batch(insertUsage(db, rows) as unknown as [never]);
  if (!result) throw last ?? new AiError("permanent", "No AI provider is available");
  return result;
}
