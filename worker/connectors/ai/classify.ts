import type { AiProviderId } from "../../db/schema/ai";
import { retryAfterMs } from "../http";
import { AiError } from "./types";

type SdkError = { status?: number; headers?: Headers | Record<string, string | null | undefined>; error?: unknown; message?: string; name?: string };

const headerOf = (h: SdkError["headers"], name: string): string | null => {
  if (!h) return null;
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name);
  return ((h as Record<string, string | null | undefined>)[name] ?? null) || null;
};

/** Gemini carries its retry delay in the body: RetryInfo.retryDelay "20s". */
const retryDelayInBody = (text: string) => {
  const m = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(text);
  return m ? Number(m[1]) * 1000 : null;
};

/**
 * Any SDK error → AiError. 429 with a spend/quota code (Anthropic's enforced_spend_limit_reached,
 * OpenAI's insufficient_quota, Gemini's quota text without a retry delay) never retries; other
 * 429s, 529, 5xx, 408 and network faults or timeouts retry; other 4xx are permanent.
 */
export function classifySdkError(provider: AiProviderId, err: unknown): AiError {
  if (err instanceof AiError) return err;
  const e = (err ?? {}) as SdkError;
  const status = typeof e.status === "number" ? e.status : undefined;
  const body = (() => {
    try {
      return `${e.message ?? ""} ${JSON.stringify(e.error ?? "")}`;
    } catch {
      return String(e.message ?? "");
    }
  })();
  const retryAfter = retryAfterMs(headerOf(e.headers, "retry-after")) ?? retryDelayInBody(body) ?? undefined;
  const base = { status, provider, retryAfterMs: retryAfter };
  if (status === undefined) {
    const timedOut = /timeout|timed out|abort/i.test(`${e.name} ${e.message}`);
    return new AiError("retryable", `${provider}: ${timedOut ? "the provider did not answer in time" : "could not reach the provider"}`, base);
  }
  if (status === 429) {
    if (/insufficient_quota|enforced_spend_limit_reached|billing/i.test(body) || (provider === "gemini" && /quota/i.test(body) && retryAfter === undefined)) {
      return new AiError("quota", `${provider}: the account's quota or spend limit is exhausted; raise it with the provider`, base);
    }
    return new AiError("retryable", `${provider}: rate limited`, base);
  }
  if (status >= 500 || status === 408) return new AiError("retryable", `${provider}: ${status === 529 ? "overloaded (529)" : `server error (${status})`}`, base);
  if (status === 401 || status === 403) return new AiError("permanent", `${provider}: the API key was rejected (${status})`, base);
  if (status === 402) return new AiError("quota", `${provider}: billing problem on the provider account (402)`, base);
  return new AiError("permanent", `${provider}: request refused (${status})`, base);
}
