import type { AiProviderId } from "../../db/schema";
import { anthropicProvider } from "../../connectors/ai/anthropic";
import { geminiProvider } from "../../connectors/ai/gemini";
import { openaiProvider } from "../../connectors/ai/openai";
import { DEFAULT_MODELS } from "../../connectors/ai/prices";
import type { AiProvider } from "../../connectors/ai/types";
import { sandboxUrlOf } from "../../connectors/runtime";
import { localProvider } from "./local/provider";
import { readConfig } from "../../env";
import { envKeyOf, type Settings } from "./settings";

const HOSTS: Record<Exclude<AiProviderId, "local">, { host: string; path: string }> = {
  anthropic: { host: "api.anthropic.com", path: "" },
  openai: { host: "api.openai.com", path: "/v1" },
  gemini: { host: "generativelanguage.googleapis.com", path: "" },
};

const timeoutOf = (env: Env) => readConfig(env).PROVIDER_TIMEOUT_MS;

/** The SDK's base URL: the provider's own, or its sandbox stand-in outside production. */
export function baseUrlOf(env: Env, p: Exclude<AiProviderId, "local">): string | undefined {
  const sandbox = sandboxUrlOf(env);
  return sandbox ? `${sandbox}/${p}/${HOSTS[p].host}${HOSTS[p].path}` : undefined;
}

export type Candidate = { provider: AiProvider; model: string };

function build(env: Env, id: AiProviderId, key: string | undefined, now: () => number): AiProvider | null {
  if (id === "local") return localProvider(now);
  if (!key) return null;
  const cfg = { apiKey: key, baseURL: baseUrlOf(env, id), timeoutMs: timeoutOf(env) };
  return id === "anthropic" ? anthropicProvider(cfg) : id === "openai" ? openaiProvider(cfg) : geminiProvider(cfg);
}

/**
 * The providers to try for text or images, in order: the chosen one, then the fallback order.
 * A provider without a key (the organization's, else the deployment's) is skipped; local always works.
 */
export function candidates(env: Env, s: Settings, keys: Partial<Record<AiProviderId, string>>, purpose: "text" | "image", now: () => number): Candidate[] {
  const first = purpose === "text" ? s.textProvider : s.imageProvider;
  const order = [first, ...s.fallback.filter((p) => p !== first)];
  const out: Candidate[] = [];
  for (const id of order) {
    const provider = build(env, id, keys[id] ?? envKeyOf(env, id), now);
    if (!provider || (purpose === "image" && !provider.image)) continue;
    const model = id === first ? (purpose === "text" ? s.textModel : s.imageModel) : (purpose === "text" ? DEFAULT_MODELS[id].text : DEFAULT_MODELS[id].image!);
    out.push({ provider, model });
  }
  if (out.length === 0) out.push({ provider: localProvider(now), model: "qweb-local-1" });
  return out;
}
