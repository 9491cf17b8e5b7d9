// Resend's email API (POST /emails), enough to test delivery: Bearer keys re_sandbox_<x>, its
// validation errors (422/400) and, through injected faults, 429 with retry-after and 500.
import { randomUUID } from "node:crypto";
import { header, json, readJson, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";

type Sent = { id: string; from: string; to: string[]; subject: string; text: string; idempotencyKey?: string };
const sent: Sent[] = [];
const byKey = new Map<string, string>();

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) => json(statusCode, { statusCode, name, message }, headers);
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function send(req: SandboxRequest): SandboxResponse {
  const key = /^Bearer (re_sandbox_\w{4,})$/.exec(header(req, "authorization") ?? "")?.[1];
  if (!key) return error(401, "missing_api_key", "Missing API key in the authorization header.");
  const body = readJson<Partial<Sent> & { to?: string | string[] }>(req);
  if (!body) return error(400, "invalid_request", "Request body is not valid JSON.");
  const to = typeof body.to === "string" ? [body.to] : body.to;
  if (!body.from || !to?.length || !body.subject) return error(422, "missing_required_field", "The `from`, `to` and `subject` fields are required.");
  if (!to.every((a) => EMAIL.test(a))) return error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` format.");
  const idem = header(req, "idempotency-key");
  const seen = idem && byKey.get(`${key}:${idem}`);
  if (seen) return json(200, { id: seen });
  const id = randomUUID();
  sent.push({ id, from: body.from, to, subject: body.subject, text: body.text ?? "", idempotencyKey: idem });
  if (idem) byKey.set(`${key}:${idem}`, id);
  return json(200, { id });
}

export const resend: ProviderModule = {
  id: "resend",
  handle: (req) => (req.method === "POST" && req.path === "/emails" ? send(req) : null),
  control(req, action) {
    if (action !== "sent") return null;
    const to = req.url.searchParams.get("to");
    return json(200, { sent: sent.filter((s) => !to || s.to.includes(to)) });
  },
  renderFault(f: Fault) {
    if (f.kind === "429") return error(429, "rate_limit_exceeded", "Too many requests.", { "retry-after": String(f.retryAfter ?? 1) });
    if (f.kind === "500" || f.kind === "503") return error(f.kind === "500" ? 500 : 503, "application_error", "An unexpected error occurred.");
    return null;
  },
};
