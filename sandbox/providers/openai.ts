// OpenAI sandbox: Chat Completions (json_schema response format), Responses and Images with their real shapes.
import { header, json, randomToken, readJson, seedOf, type ProviderModule, type SandboxRequest } from "../lib.ts";
import { faultKind, fromSchema, recordPrompt, samplePng, sandboxKey, tokens, withDelay } from "./ai.ts";

const err = (status: number, type: string, code: string | null, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { message, type, param: null, code } }, { "x-request-id": randomToken("req_"), ...headers });

const authed = (req: SandboxRequest) => sandboxKey(header(req, "authorization")?.replace(/^Bearer\s+/i, ""));
const now = () => Math.floor(Date.now() / 1000);

type ChatBody = { model?: string; messages?: { role: string; content: string | { type: string; text?: string }[] }[]; response_format?: { type: string; json_schema?: { name: string; schema: Record<string, unknown> } } };

function chat(req: SandboxRequest, malformed = false) {
  const b = readJson<ChatBody>(req);
  if (!b?.model || !Array.isArray(b.messages)) return err(400, "invalid_request_error", null, "model and messages are required");
  if (/^dall-e/.test(b.model)) return err(404, "invalid_request_error", "model_not_found", `The model \`${b.model}\` does not exist or you do not have access to it.`);
  const prompt = b.messages.map((m) => (typeof m.content === "string" ? m.content : m.content.map((c) => c.text ?? "").join("\n"))).join("\n");
  recordPrompt("openai", req, b.model, prompt);
  const schema = b.response_format?.json_schema?.schema;
  const content = malformed ? "Here you go! (not JSON)" : JSON.stringify(schema ? fromSchema(schema, seedOf(prompt)) : { text: "Sandbox reply" });
  const p = tokens(prompt);
  const c = tokens(content);
  return json(
    200,
    {
      id: randomToken("chatcmpl-"), object: "chat.completion", created: now(), model: `${b.model}-2025-08-07`,
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } },
      service_tier: "default", system_fingerprint: "fp_sandbox",
    },
    { "x-request-id": randomToken("req_"), "openai-processing-ms": "42", "x-ratelimit-remaining-requests": "499" },
  );
}

function images(req: SandboxRequest) {
  const b = readJson<{ model?: string; prompt?: string; n?: number; response_format?: string }>(req);
  if (!b?.prompt) return err(400, "invalid_request_error", null, "prompt is required");
  const model = b.model ?? "dall-e-2";
  if (/^dall-e/.test(model)) return err(404, "invalid_request_error", "model_not_found", `The model \`${model}\` does not exist or you do not have access to it.`);
  if (b.response_format) return err(400, "invalid_request_error", "unknown_parameter", "Unknown parameter: 'response_format'.");
  recordPrompt("openai", req, model, b.prompt);
  const p = tokens(b.prompt);
  return json(200, { created: now(), data: [{ b64_json: samplePng(b.prompt).toString("base64") }], usage: { input_tokens: p, input_tokens_details: { text_tokens: p, image_tokens: 0 }, output_tokens: 4160, total_tokens: p + 4160 } });
}

export const openai: ProviderModule = {
  id: "openai",
  handle(req) {
    if (req.method !== "POST") return null;
    if (req.path === "/v1/chat/completions" || req.path === "/v1/images/generations") {
      if (!authed(req)) return err(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
      return req.path === "/v1/chat/completions" ? chat(req) : images(req);
    }
    return null;
  },
  renderFault(f, req) {
    switch (faultKind(f)) {
      case "429":
        return err(429, "requests", "rate_limit_exceeded", "Rate limit reached for requests", { "retry-after": String(f.retryAfter ?? 1) });
      case "quota":
        return err(429, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.");
      case "529":
      case "500":
        return err(500, "server_error", null, "The server had an error while processing your request.");
      case "slow":
        return withDelay(req.path.endsWith("/images/generations") ? images(req) : chat(req), f);
      case "malformed":
        return chat(req, true);
      default:
        return null;
    }
  },
};
