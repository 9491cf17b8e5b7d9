import type { AiProviderId, ContentKind } from "../../db/schema/ai";

export type Usage = { inputTokens: number; outputTokens: number; cachedInputTokens?: number; images: number };

/** What the local provider writes from: the same task the prompt describes, as data. */
export type LocalTask = { kind: ContentKind; input: Record<string, unknown>; context: Record<string, unknown>; variants: number };

export type TextRequest = {
  model: string;
  system: string;
  prompt: string;
  /** JSON schema of the answer (an object); providers are asked for structured output against it. */
  schema: Record<string, unknown>;
  schemaName: string;
  maxTokens: number;
  local: LocalTask;
};
export type TextResult = { data: unknown; usage: Usage; model: string };

export type ImageRequest = { model: string; prompt: string; card: { headline: string; tagline: string; brand: string; colors: [string, string] } };
export type ImageResult = { png: Uint8Array; usage: Usage; model: string };

export interface AiProvider {
  readonly id: AiProviderId;
  text(req: TextRequest): Promise<TextResult>;
  /** Absent where the provider makes no images (Anthropic). */
  image?(req: ImageRequest): Promise<ImageResult>;
}

export type ProviderConfig = { apiKey: string; baseURL?: string; timeoutMs: number; fetch?: typeof fetch };

export type AiErrorKind = "retryable" | "quota" | "permanent" | "malformed";

/** The one error the AI connectors throw; the job consumer decides from `kind`. */
export class AiError extends Error {
  constructor(
    readonly kind: AiErrorKind,
    message: string,
    readonly opts: { status?: number; retryAfterMs?: number; provider?: AiProviderId } = {},
  ) {
    super(message);
    this.name = "AiError";
  }
}
