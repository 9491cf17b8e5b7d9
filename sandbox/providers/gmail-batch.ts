// Google's batch endpoint for Gmail (POST https://gmail.googleapis.com/batch/gmail/v1): a
// multipart/mixed body of up to 100 `application/http` parts, each one API call; the answer is a
// multipart/mixed body with one `application/http` response per part (Content-ID "response-<id>"),
// in order. The outer request's headers (Authorization) apply to every part; each part is its own
// call for quota and faults, so one part can be rate limited (429) while the others answer.
import { header, logRequest, takeFault, type Fault, type SandboxRequest, type SandboxResponse } from "../lib.ts";

export const BATCH_PATH = "/batch/gmail/v1";
export const BATCH_MAX = 100;

const STATUS_TEXT: Record<number, string> = { 200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable" };

type Part = { contentId: string | null; method: string; target: string; headers: Record<string, string>; body: string };

/** The parts of a multipart/mixed batch body, each an HTTP request ("GET /gmail/v1/users/me/messages/x?format=raw"). */
export function parseBatch(body: string, boundary: string): Part[] | null {
  const parts: Part[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const text = chunk.replace(/^\r?\n/, "");
    const sep = /\r?\n\r?\n/.exec(text);
    if (!sep) return null;
    const outer = text.slice(0, sep.index);
    const inner = text.slice(sep.index + sep[0].length);
    const contentId = /^content-id:\s*(.+)$/im.exec(outer)?.[1]?.trim() ?? null;
    const innerSep = /\r?\n\r?\n/.exec(inner);
    const head = (innerSep ? inner.slice(0, innerSep.index) : inner).split(/\r?\n/);
    const request = /^([A-Z]+) (\S+)(?: HTTP\/1\.[01])?$/.exec(head[0]?.trim() ?? "");
    if (!request) return null;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    parts.push({ contentId, method: request[1]!, target: request[2]!, headers, body: innerSep ? inner.slice(innerSep.index + innerSep[0].length).replace(/\r?\n$/, "") : "" });
  }
  return parts;
}

const errorPart = (code: number, message: string): SandboxResponse => ({
  status: code,
  headers: { "content-type": "application/json; charset=UTF-8" },
  body: JSON.stringify({ error: { code, message, errors: [{ message, domain: "global", reason: code === 400 ? "badRequest" : "notFound" }], status: code === 400 ? "INVALID_ARGUMENT" : "NOT_FOUND" } }),
});

/**
 * Answers a batch: `one` answers a part as an ordinary request (auth, quota, the API), `fault`
 * renders an injected fault as the provider's error. Faults and the request log see each part.
 */
export function handleBatch(req: SandboxRequest, one: (sub: SandboxRequest) => SandboxResponse | null, fault: (f: Fault) => SandboxResponse | null): SandboxResponse {
  const boundary = /boundary="?([^";]+)"?/i.exec(header(req, "content-type") ?? "")?.[1];
  const parts = boundary ? parseBatch(req.body.toString("utf8"), boundary) : null;
  if (!parts || !parts.length) return errorPart(400, "Failed to parse batch request, error: Failed in parsing HTTP headers: no parts");
  if (parts.length > BATCH_MAX) return errorPart(400, `Too many requests in batch (${parts.length}); at most ${BATCH_MAX} are allowed`);
  const out = `batch_${Math.random().toString(36).slice(2, 14)}`;
  const answers: string[] = [];
  for (const [i, p] of parts.entries()) {
    const url = new URL(p.target, req.origin);
    const sub: SandboxRequest = { ...req, method: p.method, url, path: url.pathname, headers: { ...req.headers, ...p.headers, "content-type": p.headers["content-type"] ?? "" }, body: Buffer.from(p.body, "utf8") };
    logRequest("gmail", sub);
    const f = takeFault("gmail", sub);
    const res = (f && fault(f)) || (url.pathname.startsWith("/gmail/v1/users/") ? one(sub) : null) || errorPart(404, `Method not found: ${p.method} ${url.pathname}`);
    const headers = Object.entries(res.headers ?? {}).map(([k, v]) => `${k}: ${v}`);
    const id = p.contentId?.replace(/^<|>$/g, "") ?? `item${i + 1}`;
    answers.push(`--${out}\r\nContent-Type: application/http\r\nContent-ID: <response-${id}>\r\n\r\nHTTP/1.1 ${res.status} ${STATUS_TEXT[res.status] ?? ""}\r\n${headers.join("\r\n")}\r\n\r\n${res.body ?? ""}\r\n`);
  }
  return { status: 200, headers: { "content-type": `multipart/mixed; boundary=${out}` }, body: `${answers.join("")}--${out}--\r\n` };
}
