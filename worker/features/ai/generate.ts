import type { AiProviderId, ContentKind } from "../../db/schema";
import type { AiProvider, TextRequest, Usage } from "../../connectors/ai/types";
import { AiError } from "../../connectors/ai/types";
import type { Candidate } from "./providers";
import { answerJsonSchema, answerSchema, limitProblems } from "./kinds";

export type Call = { provider: AiProviderId; model: string; usage: Usage; durationMs: number; outcome: "ok" | "error" | "malformed"; error?: string };
export type Generated = { provider: AiProviderId; model: string; variants: Record<string, unknown>[] };

const zeroUsage: Usage = { inputTokens: 0, outputTokens: 0, images: 0 };

/** Shape check: the kind's schema, then each network's length limit. */
function validate(kind: ContentKind, variants: number, data: unknown): Record<string, unknown>[] | string {
  const parsed = answerSchema(kind, variants).safeParse(data);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "wrong shape";
  const problems = parsed.data.variants.flatMap((v) => limitProblems(kind, v));
  return problems.length ? problems.join("; ") : (parsed.data.variants as Record<string, unknown>[]);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

/**
 * Text through the candidates in order. Each answer is validated; a malformed one is asked for
 * once more of the same provider, then the next candidate is tried. Every call is reported in
 * `calls` (for usage rows), failed ones too. Throws the last error when no candidate succeeded:
 * retryable if any failure was transient.
 */
export async function generateText(cands: Candidate[], req: Omit<TextRequest, "model" | "schema" | "schemaName">, calls: Call[]): Promise<Generated> {
  const { kind, variants } = req.local;
  const schema = answerJsonSchema(kind, variants);
  let retryable: AiError | null = null;
  let last: AiError | null = null;
  for (const { provider, model } of cands) {
    for (let tries = 0; tries < 2; tries++) {
      const r = await timed(() => provider.text({ ...req, model, schema, schemaName: `${kind}_answer` }));
      if (r.value) {
        const ok = validate(kind, variants, r.value.data);
        if (typeof ok !== "string") {
          calls.push({ provider: provider.id, model: r.value.model, usage: r.value.usage, durationMs: r.ms, outcome: "ok" });
          return { provider: provider.id, model: r.value.model, variants: ok };
        }
        calls.push({ provider: provider.id, model: r.value.model, usage: r.value.usage, durationMs: r.ms, outcome: "malformed", error: ok });
        last = new AiError("malformed", `${provider.id}: the answer did not have the expected shape (${ok})`);
        continue;
      }
      const err = r.error instanceof AiError ? r.error : new AiError("retryable", `${provider.id}: ${String((r.error as Error)?.message ?? r.error)}`);
      const partial = r.error as { usage?: Usage; model?: string };
      calls.push({ provider: provider.id, model: partial?.model ?? model, usage: partial?.usage ?? zeroUsage, durationMs: r.ms, outcome: err.kind === "malformed" ? "malformed" : "error", error: err.message });
      last = err;
      if (err.kind === "retryable") retryable = pickLonger(retryable, err);
      if (err.kind !== "malformed") break;
    }
  }
  throw retryable ?? last ?? new AiError("permanent", "No AI provider is available");
}

const pickLonger = (a: AiError | null, b: AiError) => (!a || (b.opts.retryAfterMs ?? 0) > (a.opts.retryAfterMs ?? 0) ? b : a);

export type GeneratedImage = { provider: AiProviderId; model: string; png: Uint8Array };

export async function generateImage(cands: Candidate[], req: { prompt: string; card: Parameters<NonNullable<AiProvider["image"]>>[0]["card"] }, calls: Call[]): Promise<GeneratedImage> {
  let retryable: AiError | null = null;
  let last: AiError | null = null;
  for (const { provider, model } of cands) {
    const r = await timed(() => provider.image!({ model, ...req }));
    if (r.value) {
      calls.push({ provider: provider.id, model: r.value.model, usage: r.value.usage, durationMs: r.ms, outcome: "ok" });
      return { provider: provider.id, model: r.value.model, png: r.value.png };
    }
    const err = r.error instanceof AiError ? r.error : new AiError("retryable", `${provider.id}: ${String((r.error as Error)?.message ?? r.error)}`);
    calls.push({ provider: provider.id, model, usage: { ...zeroUsage }, durationMs: r.ms, outcome: "error", error: err.message });
    last = err;
    if (err.kind === "retryable") retryable = pickLonger(retryable, err);
  }
  throw retryable ?? last ?? new AiError("permanent", "No image provider is available");
}
