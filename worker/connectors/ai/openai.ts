import OpenAI from "openai";
import { parseJson } from "./anthropic";
import { classifySdkError } from "./classify";
import { AiError, type AiProvider, type ProviderConfig } from "./types";
import { fromBase64 } from "../../lib/hash";

/** OpenAI: Chat Completions with a json_schema response format; gpt-image models for images (always b64_json). */
export function openaiProvider(cfg: ProviderConfig): AiProvider {
  const client = new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseURL, maxRetries: 0, timeout: cfg.timeoutMs, fetch: cfg.fetch });
  return {
    id: "openai",
    async text(req) {
      let res;
      try {
        res = await client.chat.completions.create({
          model: req.model,
          max_completion_tokens: req.maxTokens,
          messages: [
            { role: "system", content: req.system },
            { role: "user", content: req.prompt },
          ],
          response_format: { type: "json_schema", json_schema: { name: req.schemaName, schema: req.schema, strict: false } },
        });
      } catch (err) {
        throw classifySdkError("openai", err);
      }
      const u = res.usage;
      const usage = { inputTokens: u?.prompt_tokens ?? 0, cachedInputTokens: u?.prompt_tokens_details?.cached_tokens ?? 0, outputTokens: u?.completion_tokens ?? 0, images: 0 };
      const data = parseJson(res.choices[0]?.message?.content ?? "");
      if (data === undefined) throw Object.assign(new AiError("malformed", "openai: the answer was not valid JSON"), { usage, model: res.model });
      return { data, usage, model: res.model };
    },
    async image(req) {
      let res;
      try {
        res = await client.images.generate({ model: req.model, prompt: req.prompt, size: "1024x1024", quality: "medium", n: 1, output_format: "png" });
      } catch (err) {
        throw classifySdkError("openai", err);
      }
      const b64 = res.data?.[0]?.b64_json;
      if (!b64) throw new AiError("malformed", "openai: the image answer carried no image");
      const u = res.usage;
      return { png: fromBase64(b64), usage: { inputTokens: u?.input_tokens ?? 0, outputTokens: u?.output_tokens ?? 0, images: 1 }, model: req.model };
    },
  };
}
