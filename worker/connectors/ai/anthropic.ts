import Anthropic from "@anthropic-ai/sdk";
import { classifySdkError } from "./classify";
import { AiError, type AiProvider, type ProviderConfig, type TextRequest } from "./types";

/**
 * Anthropic Messages API. Structured output through one forced tool whose input_schema is the
 * answer's JSON schema: the answer arrives as the tool_use block's `input`.
 */
export function anthropicProvider(cfg: ProviderConfig): AiProvider {
  const client = new Anthropic({ apiKey: cfg.apiKey, baseURL: cfg.baseURL, maxRetries: 0, timeout: cfg.timeoutMs, fetch: cfg.fetch });
  return {
    id: "anthropic",
    async text(req: TextRequest) {
      let msg;
      try {
        msg = await client.messages.create({
          model: req.model,
          max_tokens: req.maxTokens,
          system: req.system,
          messages: [{ role: "user", content: req.prompt }],
          tools: [{ name: req.schemaName, description: "Return the answer", input_schema: req.schema as Anthropic.Tool.InputSchema }],
          tool_choice: { type: "tool", name: req.schemaName },
        });
      } catch (err) {
        throw classifySdkError("anthropic", err);
      }
      const usage = { inputTokens: msg.usage.input_tokens + (msg.usage.cache_read_input_tokens ?? 0) + (msg.usage.cache_creation_input_tokens ?? 0), cachedInputTokens: msg.usage.cache_read_input_tokens ?? 0, outputTokens: msg.usage.output_tokens, images: 0 };
      const block = msg.content.find((b) => b.type === "tool_use");
      const text = msg.content.find((b) => b.type === "text");
      let data: unknown = block && "input" in block ? block.input : undefined;
      if (data === undefined && text && "text" in text) data = parseJson(text.text);
      if (data === undefined) throw Object.assign(new AiError("malformed", "anthropic: the answer was not the requested structure"), { usage, model: msg.model });
      return { data, usage, model: msg.model };
    },
  };
}

export function parseJson(text: string): unknown {
  const trimmed = text.trim().replace(/^```(?:json)?\s*|\s*```$/g, "");
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}
