import type { AiProviderId } from "../../db/schema/ai";
import type { Usage } from "./types";

/**
 * USD per million tokens (input, cached input, output) and per image, from the providers'
 * pricing pages (see provider-contracts §9). The one place a price lives; unknown models cost
 * what the provider's default model costs, so a usage row is never priced at zero by mistake.
 */
type Price = { input: number; cachedInput?: number; output: number; perImage?: number };
export const PRICES: Record<AiProviderId, Record<string, Price>> = {
  local: { "qweb-local-1": { input: 0, output: 0, perImage: 0 } },
  anthropic: {
    "claude-opus-4-6": { input: 5, cachedInput: 0.5, output: 25 },
    "claude-sonnet-4-6": { input: 3, cachedInput: 0.3, output: 15 },
    "claude-sonnet-4-5": { input: 3, cachedInput: 0.3, output: 15 },
    "claude-haiku-4-5": { input: 1, cachedInput: 0.1, output: 5 },
  },
  openai: {
    "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
    "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
    "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
    "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
    // Medium quality 1024×1024: about $0.042 an image.
    "gpt-image-1": { input: 5, output: 40, perImage: 0.042 },
  },
  gemini: {
    "gemini-2.5-pro": { input: 1.25, cachedInput: 0.31, output: 10 },
    "gemini-2.5-flash": { input: 0.3, cachedInput: 0.075, output: 2.5 },
    "gemini-2.5-flash-lite": { input: 0.1, cachedInput: 0.025, output: 0.4 },
    "gemini-2.5-flash-image": { input: 0.3, output: 30, perImage: 0.039 },
  },
};

export const DEFAULT_MODELS: Record<AiProviderId, { text: string; image: string | null }> = {
  local: { text: "qweb-local-1", image: "qweb-local-1" },
  anthropic: { text: "claude-sonnet-4-5", image: null },
  openai: { text: "gpt-5-mini", image: "gpt-image-1" },
  gemini: { text: "gemini-2.5-flash", image: "gemini-2.5-flash-image" },
};

export const priceOf = (provider: AiProviderId, model: string): Price => {
  const table = PRICES[provider];
  // Dated ids ("claude-sonnet-4-5-20250929") price as their alias.
  const hit = table[model] ?? Object.entries(table).find(([id]) => model.startsWith(id))?.[1];
  return hit ?? table[DEFAULT_MODELS[provider].text]!;
};

/**
 * Cost in micro-USD, rounded up once at the end: tokens × USD per million = micro-USD exactly.
 * An image is charged its per-image price (which covers its output tokens) plus its prompt's input tokens.
 */
export function costMicros(provider: AiProviderId, model: string, usage: Usage): number {
  const p = priceOf(provider, model);
  const cached = usage.cachedInputTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cached);
  const tokens = uncached * p.input + cached * (p.cachedInput ?? p.input) + (usage.images > 0 && p.perImage !== undefined ? 0 : usage.outputTokens * p.output);
  const images = usage.images * (p.perImage ?? 0) * 1_000_000;
  return Math.max(0, Math.ceil(tokens + images - 1e-9));
}
