// Gmail API v1 client: profile, messages.list (pageToken), messages.get (raw, one by one or
// several in one batch request), history.list
// (startHistoryId; 404 = the id is too old), drafts.create, messages.send. Errors become
// ProviderError; Gmail's 403 rateLimitExceeded/userRateLimitExceeded are rate limits like 429.
import { ProviderError, providerFetch, readJson, retryAfterMs, statusError } from "../http";
import { googleAuthHeaders } from "../google/oauth";
import type { ConnectorRuntime, Secrets } from "../types";

export const GMAIL_BASE = "https://gmail.googleapis.com/gmail/v1/users/me";

/** history.list answered 404: the stored historyId is older than Gmail's kept history. */
export class HistoryExpired extends Error {
  constructor() {
    super("Gmail no longer has history from the stored historyId");
    this.name = "HistoryExpired";
  }
}

type GmailErrorBody = { error?: { code?: number; message?: string; errors?: { reason?: string }[] } };

async function call<T>(rt: ConnectorRuntime, secrets: Secrets, path: string, init: { method?: string; body?: unknown; notFound?: () => Error } = {}): Promise<T> {
  const url = `${GMAIL_BASE}${path}`;
  const headers: Record<string, string> = googleAuthHeaders("gmail", secrets);
  if (init.body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await providerFetch(rt, url, { provider: "gmail", method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (err) {
    if (err instanceof ProviderError && err.opts.status === 404 && init.notFound) throw init.notFound();
    throw err;
  }
  return readJson<T>(res, "gmail");
}

/** Gmail's 403 rateLimitExceeded/userRateLimitExceeded as the rate limits they are (single calls and batch parts). */
const asRateLimit = (rt: ConnectorRuntime, err: ProviderError) =>
  err.kind === "permanent" && err.opts.status === 403 && /RateLimitExceeded|rateLimitExceeded/i.test(err.message)
    ? new ProviderError("rate-limited", err.message, { status: 403, provider: "gmail", retryAfterMs: retryAfterMs("60", rt.now()) ?? 60_000 })
    : err;

/**
 * providerFetch classifies by status; Gmail also answers rate limits as 403 with a reason, which
 * it would call permanent. This peeks at such a 403 first.
 */
export async function rateLimitAware<T>(rt: ConnectorRuntime, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof ProviderError ? asRateLimit(rt, err) : err;
  }
}

export type ListPage = { messages?: { id: string; threadId: string }[]; nextPageToken?: string; resultSizeEstimate?: number };
export type RawMessage = { id: string; threadId: string; labelIds?: string[]; snippet?: string; historyId: string; internalDate: string; raw: string };
export type HistoryPage = {
  history?: {
    id: string;
    messagesAdded?: { message: { id: string; threadId: string; labelIds?: string[] } }[];
    labelsRemoved?: { message: { id: string; threadId: string; labelIds?: string[] }; labelIds: string[] }[];
    labelsAdded?: { message: { id: string; threadId: string; labelIds?: string[] }; labelIds: string[] }[];
    messagesDeleted?: { message: { id: string; threadId: string } }[];
  }[];
  nextPageToken?: string;
  historyId: string;
};

/** Google's batch endpoint for Gmail: up to 100 calls per request; Gmail advises at most 50. */
export const GMAIL_BATCH_URL = "https://gmail.googleapis.com/batch/gmail/v1";
export const GMAIL_BATCH_MAX = 50;

/** One part of a multipart/mixed batch answer: its Content-ID and the HTTP response inside. */
function batchParts(body: string, boundary: string): { id: string | null; status: number; headers: Headers; body: string }[] {
  const out = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const text = chunk.replace(/^\r?\n/, "");
    const sep = /\r?\n\r?\n/.exec(text);
    if (!sep) continue;
    const id = /^content-id:\s*<?([^>\r\n]+)>?/im.exec(text.slice(0, sep.index))?.[1]?.replace(/^response-/, "") ?? null;
    const inner = text.slice(sep.index + sep[0].length);
    const innerSep = /\r?\n\r?\n/.exec(inner);
    const head = (innerSep ? inner.slice(0, innerSep.index) : inner).split(/\r?\n/);
    const status = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0);
    const headers = new Headers();
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    out.push({ id, status, headers, body: innerSep ? inner.slice(innerSep.index + innerSep[0].length).replace(/\r?\n$/, "") : "" });
  }
  return out;
}

/**
 * GETs of several API paths (e.g. "/messages/<id>?format=raw") in one batch request. Each
 * answer is the part's JSON or the ProviderError its status means, in the paths' order; a part
 * the answer lacks is a transient error. A failure of the whole batch throws.
 */
async function batchGet<T>(rt: ConnectorRuntime, secrets: Secrets, paths: string[]): Promise<(T | ProviderError)[]> {
  if (paths.length > GMAIL_BATCH_MAX) throw new Error(`at most ${GMAIL_BATCH_MAX} calls per Gmail batch`);
  const boundary = `batch_${crypto.randomUUID().replace(/-/g, "")}`;
  const prefix = new URL(GMAIL_BASE).pathname;
  const body = paths.map((p, i) => `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <item${i}>\r\n\r\nGET ${prefix}${p}\r\n\r\n`).join("") + `--${boundary}--\r\n`;
  const res = await rateLimitAware(rt, () =>
    providerFetch(rt, GMAIL_BATCH_URL, { provider: "gmail", method: "POST", headers: { ...googleAuthHeaders("gmail", secrets), "content-type": `multipart/mixed; boundary=${boundary}` }, body, describe: `batch of ${paths.length} GETs` }),
  );
  const answerBoundary = /boundary="?([^";]+)"?/i.exec(res.headers.get("content-type") ?? "")?.[1];
  // As bytes: workerd warns on .text() of a multipart body (the parts are UTF-8 JSON).
  const text = new TextDecoder().decode(await res.arrayBuffer());
  if (!answerBoundary) throw new ProviderError("transient", "gmail batch: the answer is not multipart", { status: res.status, provider: "gmail" });
  const byId = new Map(batchParts(text, answerBoundary).map((p) => [p.id, p]));
  return paths.map((p, i) => {
    const part = byId.get(`item${i}`);
    const what = `GET ${prefix}${p.split("?")[0]}`;
    if (!part) return new ProviderError("transient", `gmail ${what}: missing from the batch answer`, { provider: "gmail" });
    if (part.status < 200 || part.status >= 300) return asRateLimit(rt, statusError("gmail", what, part.status, retryAfterMs(part.headers.get("retry-after"), rt.now()), part.body.slice(0, 300)));
    try {
      return JSON.parse(part.body) as T;
    } catch {
      return new ProviderError("transient", "gmail: malformed JSON response", { status: part.status, provider: "gmail" });
    }
  });
}

export const gmailApi = {
  profile: (rt: ConnectorRuntime, s: Secrets) => rateLimitAware(rt, () => call<{ emailAddress: string; historyId: string; messagesTotal: number }>(rt, s, "/profile")),
  list: (rt: ConnectorRuntime, s: Secrets, p: { q: string; pageToken?: string; maxResults: number }) => {
    const q = new URLSearchParams({ q: p.q, maxResults: String(p.maxResults) });
    if (p.pageToken) q.set("pageToken", p.pageToken);
    return rateLimitAware(rt, () => call<ListPage>(rt, s, `/messages?${q}`));
  },
  getRaw: (rt: ConnectorRuntime, s: Secrets, id: string) => rateLimitAware(rt, () => call<RawMessage>(rt, s, `/messages/${encodeURIComponent(id)}?format=raw`)),
  /** messages.get format=raw of up to GMAIL_BATCH_MAX ids in one batch request: each the message or its error. */
  getRawMany: (rt: ConnectorRuntime, s: Secrets, ids: string[]) => batchGet<RawMessage>(rt, s, ids.map((id) => `/messages/${encodeURIComponent(id)}?format=raw`)),
  history: (rt: ConnectorRuntime, s: Secrets, p: { startHistoryId: string; pageToken?: string }) => {
    const q = new URLSearchParams({ startHistoryId: p.startHistoryId, maxResults: "500" });
    q.append("historyTypes", "messageAdded");
    q.append("historyTypes", "labelRemoved");
    q.append("historyTypes", "labelAdded");
    q.append("historyTypes", "messageDeleted");
    if (p.pageToken) q.set("pageToken", p.pageToken);
    return rateLimitAware(rt, () => call<HistoryPage>(rt, s, `/history?${q}`, { notFound: () => new HistoryExpired() }));
  },
  createDraft: (rt: ConnectorRuntime, s: Secrets, p: { raw: string; threadId: string }) =>
    rateLimitAware(rt, () => call<{ id: string; message: { id: string; threadId: string } }>(rt, s, "/drafts", { method: "POST", body: { message: p } })),
  sendDraft: (rt: ConnectorRuntime, s: Secrets, draftId: string) =>
    rateLimitAware(rt, () => call<{ id: string; threadId: string; labelIds?: string[] }>(rt, s, "/drafts/send", { method: "POST", body: { id: draftId } })),
  send: (rt: ConnectorRuntime, s: Secrets, p: { raw: string; threadId: string }) =>
    rateLimitAware(rt, () => call<{ id: string; threadId: string; labelIds?: string[] }>(rt, s, "/messages/send", { method: "POST", body: p })),
};
