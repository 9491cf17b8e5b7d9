import { GoogleGenAI } from "@google/genai";
import { parseJson } from "./anthropic";
import { classifySdkError } from "./classify";
import { AiError, type AiProvider, type ProviderConfig } from "./types";
import { fromBase64 } from "../../lib/hash";

type Meta = { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number; cachedContentTokenCount?: number } | undefined;
// promptTokenCount includes cached tokens; thoughts are billed as output.
const usageOf = (m: Meta, images = 0) => ({
  inputTokens: m?.promptTokenCount ?? 0,
  cachedInputTokens: m?.cachedContentTokenCount ?? 0,
  outputTokens: (m?.candidatesTokenCount ?? 0) + (m?.thoughtsTokenCount ?? 0),
  images,
});

/** Google Gemini generateContent: JSON through responseMimeType + responseJsonSchema; images as inlineData parts. */
export function geminiProvider(cfg: ProviderConfig): AiProvider {
  const client = new GoogleGenAI({ apiKey: cfg.apiKey, httpOptions: { baseUrl: cfg.baseURL, timeout: cfg.timeoutMs, ...(cfg.fetch ? { fetch: cfg.fetch } : {}) } });
  return {
    id: "gemini",
    async text(req) {
      let res;
      try {
        res = await client.models.generateContent({
          model: req.model,
          contents: [{ role: "user", parts: [{ text: req.prompt }] }],
          config: { systemInstruction: req.system, maxOutputTokens: req.maxTokens, responseMimeType: "application/json", responseJsonSchema: req.schema },
        });
      } catch (err) {
        throw classifySdkError("gemini", err);
      }
      const usage = usageOf(res.usageMetadata);
      const model = res.modelVersion ?? req.model;
      if (res.promptFeedback?.blockReason) throw new AiError("permanent", `gemini: the prompt was blocked (${res.promptFeedback.blockReason})`);
      const data = parseJson(res.text ?? "");
      if (data === undefined) throw Object.assign(new AiError("malformed", "gemini: the answer was not valid JSON"), { usage, model });
      return { data, usage, model };
    },
    async image(req) {
      let res;
      try {
        res = await client.models.generateContent({ model: req.model, contents: [{ role: "user", parts: [{ text: req.prompt }] }], config: { responseModalities: ["IMAGE"] } });
      } catch (err) {
        throw classifySdkError("gemini", err);
      }
      const part = res.candidates?.[0]?.content?.parts?.find((p) => p.inlineData?.data);
      if (!part?.inlineData?.data) throw new AiError("malformed", "gemini: the image answer carried no image");
      return { png: fromBase64(part.inlineData.data), usage: usageOf(res.usageMetadata, 1), model: res.modelVersion ?? req.model };
    },
  };
}
