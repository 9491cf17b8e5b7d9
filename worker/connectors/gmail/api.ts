// Gmail API v1 client: profile, messages.list (pageToken), messages.get (raw), history.list
// (startHistoryId; 404 = the id is too old), drafts.create, messages.send. Errors become
// ProviderError; Gmail's 403 rateLimitExceeded/userRateLimitExceeded are rate limits like 429.
import { ProviderError, providerFetch, readJson, retryAfterMs } from "../http";
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

/**
 * providerFetch classifies by status; Gmail also answers rate limits as 403 with a reason, which
 * it would call permanent. This peeks at such a 403 first.
 */
export async function rateLimitAware<T>(rt: ConnectorRuntime, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "permanent" && err.opts.status === 403 && /RateLimitExceeded|rateLimitExceeded/i.test(err.message)) {
      throw new ProviderError("rate-limited", err.message, { status: 403, provider: "gmail", retryAfterMs: retryAfterMs("60", rt.now()) ?? 60_000 });
    }
    throw err;
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

export const gmailApi = {
  profile: (rt: ConnectorRuntime, s: Secrets) => rateLimitAware(rt, () => call<{ emailAddress: string; historyId: string; messagesTotal: number }>(rt, s, "/profile")),
  list: (rt: ConnectorRuntime, s: Secrets, p: { q: string; pageToken?: string; maxResults: number }) => {
    const q = new URLSearchParams({ q: p.q, maxResults: String(p.maxResults) });
    if (p.pageToken) q.set("pageToken", p.pageToken);
    return rateLimitAware(rt, () => call<ListPage>(rt, s, `/messages?${q}`));
  },
  getRaw: (rt: ConnectorRuntime, s: Secrets, id: string) => rateLimitAware(rt, () => call<RawMessage>(rt, s, `/messages/${encodeURIComponent(id)}?format=raw`)),
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
