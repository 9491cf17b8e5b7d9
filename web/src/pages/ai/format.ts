import type { ProviderId } from "../../lib/api/ai";

export const PROVIDER_LABELS: Record<ProviderId, string> = { local: "Built-in (offline)", anthropic: "Anthropic Claude", openai: "OpenAI", gemini: "Google Gemini" };
export const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)}`;
