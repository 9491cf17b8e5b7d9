// Gemini API sandbox: POST /v1beta (or /v1, as @google/genai 3 calls it) /models/{model}:generateContent with candidates and usageMetadata.
import { header, json, readJson, seedOf, type ProviderModule, type SandboxRequest } from "../lib.ts";
import { faultKind, fromSchema, recordPrompt, samplePng, sandboxKey, tokens, withDelay } from "./ai.ts";

const err = (code: number, status: string, message: string, details: unknown[] = []) => json(code, { error: { code, message, status, details } });

type Body = { contents?: { role?: string; parts?: { text?: string }[] }[]; systemInstruction?: { parts?: { text?: string }[] }; generationConfig?: { responseMimeType?: string; responseJsonSchema?: Record<string, unknown>; responseSchema?: Record<string, unknown>; responseModalities?: string[] } };

function generate(req: SandboxRequest, model: string, malformed = false) {
  const b = readJson<Body>(req);
  if (!b?.contents?.length) return err(400, "INVALID_ARGUMENT", "contents is not specified");
  const prompt = [...(b.systemInstruction?.parts ?? []), ...b.contents.flatMap((c) => c.parts ?? [])].map((p) => p.text ?? "").join("\n");
  recordPrompt("gemini", req, model, prompt);
  const p = tokens(prompt);
  const wantsImage = /image/.test(model) || b.generationConfig?.responseModalities?.includes("IMAGE");
  const schema = b.generationConfig?.responseJsonSchema ?? b.generationConfig?.responseSchema;
  const part = wantsImage ? { inlineData: { mimeType: "image/png", data: samplePng(prompt).toString("base64") } } : { text: malformed ? "I think the answer is: {posts: [" : JSON.stringify(schema ? fromSchema(schema, seedOf(prompt)) : { text: "Sandbox reply" }) };
  const c = wantsImage ? 1290 : tokens(part.text ?? "");
  return json(200, {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: p, candidatesTokenCount: c, thoughtsTokenCount: 0, cachedContentTokenCount: 0, totalTokenCount: p + c, promptTokensDetails: [{ modality: "TEXT", tokenCount: p }], candidatesTokensDetails: [{ modality: wantsImage ? "IMAGE" : "TEXT", tokenCount: c }] },
    modelVersion: model,
    responseId: `sandbox-${seedOf(prompt).toString(36)}`,
  });
}

const modelOf = (req: SandboxRequest) => /^\/v1(?:beta)?\/models\/([^:/]+):generateContent$/.exec(req.path)?.[1];

export const gemini: ProviderModule = {
  id: "gemini",
  handle(req) {
    const model = modelOf(req);
    if (req.method !== "POST" || !model) return null;
    const key = header(req, "x-goog-api-key") ?? req.url.searchParams.get("key") ?? undefined;
    if (!sandboxKey(key)) return err(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID" }]);
    return generate(req, model);
  },
  renderFault(f, req) {
    switch (faultKind(f)) {
      case "429":
        return err(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${f.retryAfter ?? 1}s` }]);
      case "quota":
        return err(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.");
      case "529":
      case "503":
        return err(503, "UNAVAILABLE", "The model is overloaded. Please try again later.");
      case "500":
        return err(500, "INTERNAL", "An internal error has occurred.");
      case "slow":
        return withDelay(generate(req, modelOf(req) ?? "gemini-2.5-flash"), f);
      case "malformed":
        return generate(req, modelOf(req) ?? "gemini-2.5-flash", true);
      default:
        return null;
    }
  },
};
