// Anthropic Messages API sandbox: POST /v1/messages with the real response and error shapes.
import { header, json, randomToken, readJson, seedOf, type ProviderModule, type SandboxRequest } from "../lib.ts";
import { faultKind, fromSchema, recordPrompt, sandboxKey, tokens, withDelay } from "./ai.ts";

const err = (status: number, type: string, message: string, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
  json(status, { type: "error", error: { type, message, ...extra }, request_id: randomToken("req_") }, { "request-id": randomToken("req_"), ...headers });

type Body = { model?: string; max_tokens?: number; system?: string | { text: string }[]; messages?: { role: string; content: string | { type: string; text?: string }[] }[]; tools?: { name: string; input_schema: Record<string, unknown> }[]; tool_choice?: { type: string; name?: string } };

const textOf = (b: Body) => {
  const system = typeof b.system === "string" ? b.system : (b.system ?? []).map((s) => s.text).join("\n");
  const msgs = (b.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : m.content.map((c) => c.text ?? "").join("\n"))).join("\n");
  return `${system}\n${msgs}`;
};

function messages(req: SandboxRequest, malformed = false) {
  // The API takes the key as x-api-key; SDK 1.x sends it as a bearer token, which the API accepts too.
  if (!sandboxKey(header(req, "x-api-key") ?? header(req, "authorization")?.replace(/^Bearer\s+/i, ""))) return err(401, "authentication_error", "invalid x-api-key");
  if (!header(req, "anthropic-version")) return err(400, "invalid_request_error", "anthropic-version header is required");
  const b = readJson<Body>(req);
  if (!b?.model || !b.max_tokens || !Array.isArray(b.messages)) return err(400, "invalid_request_error", "model, max_tokens and messages are required");
  const prompt = textOf(b);
  recordPrompt("anthropic", req, b.model, prompt);
  const tool = b.tools?.find((t) => t.name === b.tool_choice?.name) ?? b.tools?.[0];
  const seed = seedOf(prompt);
  const content = malformed || !tool
    ? [{ type: "text", text: malformed ? "Sure! Here is a lovely post for you:" : JSON.stringify(fromSchema({ type: "object" }, seed)) }]
    : [{ type: "tool_use", id: randomToken("toolu_"), name: tool.name, input: fromSchema(tool.input_schema, seed) }];
  const out = JSON.stringify(content);
  return json(
    200,
    {
      id: randomToken("msg_"), type: "message", role: "assistant", model: b.model.match(/-\d{8}$/) ? b.model : `${b.model}-20250929`, content,
      stop_reason: tool && !malformed ? "tool_use" : "end_turn", stop_sequence: null,
      usage: { input_tokens: tokens(prompt + JSON.stringify(b.tools ?? [])), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: tokens(out), service_tier: "standard" },
    },
    { "request-id": randomToken("req_"), "anthropic-ratelimit-requests-limit": "4000", "anthropic-ratelimit-requests-remaining": "3999" },
  );
}

export const anthropic: ProviderModule = {
  id: "anthropic",
  handle(req) {
    if (req.method === "POST" && req.path === "/v1/messages") return messages(req);
    return null;
  },
  renderFault(f, req) {
    switch (faultKind(f)) {
      case "429":
        return err(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", { "retry-after": String(f.retryAfter ?? 1) });
      case "quota":
        return err(429, "rate_limit_error", "You have reached your specified workspace API usage limits", {}, { details: { error_code: "enforced_spend_limit_reached" } });
      case "529":
        return err(529, "overloaded_error", "Overloaded");
      case "500":
        return err(500, "api_error", "Internal server error");
      case "slow":
        return withDelay(messages(req), f);
      case "malformed":
        return messages(req, true);
      default:
        return null;
    }
  },
};
