// Resend's email API (POST /emails), enough to test delivery: Bearer keys re_sandbox_<x>, its
// validation errors (422/400), attachments ({ filename, content: base64, content_type }, at most
// 40 MB per email after base64) and, through injected faults, 429 with retry-after and 500.
import { randomUUID } from "node:crypto";
import { header, json, readJson, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";

type Attachment = { filename?: string; content?: string; path?: string; content_type?: string };
type Sent = { id: string; from: string; to: string[]; subject: string; text: string; idempotencyKey?: string; attachments: { filename: string; content_type: string | null; content: string }[] };
const MAX_EMAIL_BYTES = 40 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const sent: Sent[] = [];
const byKey = new Map<string, string>();

const error = (statusCode: number, name: string, message: string, headers: Record<string, string> = {}) => json(statusCode, { statusCode, name, message }, headers);
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function send(req: SandboxRequest): SandboxResponse {
  const key = /^Bearer (re_sandbox_\w{4,})$/.exec(header(req, "authorization") ?? "")?.[1];
  if (!key) return error(401, "missing_api_key", "Missing API key in the authorization header.");
  const body = readJson<Partial<Omit<Sent, "attachments">> & { to?: string | string[]; attachments?: Attachment[] }>(req);
  if (!body) return error(400, "invalid_request", "Request body is not valid JSON.");
  const to = typeof body.to === "string" ? [body.to] : body.to;
  if (!body.from || !to?.length || !body.subject) return error(422, "missing_required_field", "The `from`, `to` and `subject` fields are required.");
  if (!to.every((a) => EMAIL.test(a))) return error(422, "validation_error", "Invalid `to` field. The email address needs to follow the `email@example.com` format.");
  const attachments = body.attachments ?? [];
  if (!Array.isArray(attachments)) return error(422, "validation_error", "The `attachments` field must be an array.");
  for (const a of attachments) {
    if (!a || typeof a !== "object" || (typeof a.content !== "string" && typeof a.path !== "string")) return error(422, "validation_error", "Attachment must have either `content` or `path`.");
    if (typeof a.content === "string" && (a.content.length % 4 !== 0 || !BASE64.test(a.content))) return error(422, "validation_error", "Attachment `content` must be a base64 string.");
    if (typeof a.content === "string" && !a.filename) return error(422, "validation_error", "Attachment with `content` must have a `filename`.");
  }
  if (attachments.reduce((n, a) => n + (a.content?.length ?? 0), 0) > MAX_EMAIL_BYTES) return error(422, "validation_error", "Attachments exceed the 40MB limit per email.");
  const idem = header(req, "idempotency-key");
  const seen = idem && byKey.get(`${key}:${idem}`);
  if (seen) return json(200, { id: seen });
  const id = randomUUID();
  sent.push({ id, from: body.from, to, subject: body.subject, text: body.text ?? "", idempotencyKey: idem, attachments: attachments.map((a) => ({ filename: a.filename ?? a.path!.split("/").pop()!, content_type: a.content_type ?? null, content: a.content ?? "" })) });
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
