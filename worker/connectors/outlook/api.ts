// Microsoft Graph mail (v1.0): /me, per-folder message delta (inbox, sentitems) with
// @odata.nextLink / @odata.deltaLink, the MIME of a message ($value), createReply + PATCH
// (the draft), send. Immutable ids are asked for, so a message keeps its id when it moves
// (a sent draft into Sent Items). 429 + Retry-After → rate-limited (providerFetch); an expired
// delta token (410 Gone, syncStateNotFound/resyncRequired) → DeltaExpired.
import { ProviderError, providerFetch, readJson } from "../http";
import type { ConnectorRuntime, Secrets } from "../types";

export const GRAPH_BASE = "https://graph.microsoft.com/v1.0";
export const DELTA_SELECT = "id,conversationId,internetMessageId,receivedDateTime,isRead,isDraft,subject,from";
export const PAGE_SIZE = 25;

export class DeltaExpired extends Error {
  constructor(readonly folder: string) {
    super(`Graph no longer has the delta state of ${folder}`);
    this.name = "DeltaExpired";
  }
}

export type DeltaItem = {
  id: string;
  conversationId?: string;
  internetMessageId?: string;
  receivedDateTime?: string;
  isRead?: boolean;
  isDraft?: boolean;
  subject?: string;
  "@removed"?: { reason: string };
};
export type DeltaPage = { value: DeltaItem[]; "@odata.nextLink"?: string; "@odata.deltaLink"?: string };
export type GraphMessage = { id: string; conversationId: string; isDraft?: boolean; subject?: string; toRecipients?: { emailAddress: { address: string; name?: string } }[] };

const headersOf = (secrets: Secrets, extra: Record<string, string> = {}) => {
  if (!secrets.accessToken) throw new ProviderError("unauthorized", "outlook: no access token stored", { provider: "outlook" });
  return { authorization: `Bearer ${secrets.accessToken}`, accept: "application/json", prefer: 'IdType="ImmutableId"', ...extra };
};

async function call(rt: ConnectorRuntime, secrets: Secrets, url: string, init: { method?: string; body?: unknown; prefer?: string; onGone?: () => Error } = {}): Promise<Response> {
  const headers: Record<string, string> = headersOf(secrets);
  if (init.prefer) headers.prefer = `${headers.prefer}, ${init.prefer}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await providerFetch(rt, url.startsWith("https://") ? url : `${GRAPH_BASE}${url}`, { provider: "outlook", method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  } catch (err) {
    if (err instanceof ProviderError && err.opts.status === 410 && init.onGone) throw init.onGone();
    throw err;
  }
}

/** A link Graph handed out, checked to stay on Graph (it is followed with the bearer token). */
function graphLink(link: string): string {
  const u = new URL(link);
  if (u.origin !== new URL(GRAPH_BASE).origin) throw new ProviderError("permanent", "outlook: a delta link pointed away from Graph", { provider: "outlook" });
  return u.toString();
}

export const outlookApi = {
  me: async (rt: ConnectorRuntime, s: Secrets) => readJson<{ id: string; mail: string | null; userPrincipalName: string; displayName?: string }>(await call(rt, s, "/me?$select=id,mail,userPrincipalName,displayName"), "outlook"),
  /** The first delta request of a folder (messages received since `since`), or a next/delta link. */
  delta: async (rt: ConnectorRuntime, s: Secrets, p: { folder: string; link: string | null; since: number }) => {
    const first = `${GRAPH_BASE}/me/mailFolders/${p.folder}/messages/delta?${new URLSearchParams({ $select: DELTA_SELECT, $filter: `receivedDateTime ge ${new Date(p.since).toISOString().replace(/\.\d{3}Z$/, "Z")}` })}`;
    const res = await call(rt, s, p.link ? graphLink(p.link) : first, { prefer: `odata.maxpagesize=${PAGE_SIZE}`, onGone: () => new DeltaExpired(p.folder) });
    return readJson<DeltaPage>(res, "outlook");
  },
  /** A well-known folder's opaque id (inbox, sentitems, archive, deleteditems). */
  folderId: async (rt: ConnectorRuntime, s: Secrets, wellKnown: string) => (await readJson<{ id: string }>(await call(rt, s, `/me/mailFolders/${encodeURIComponent(wellKnown)}?$select=id`), "outlook")).id,
  /** Where a message is now (its folder's id), or null when it no longer exists. */
  whereIs: async (rt: ConnectorRuntime, s: Secrets, id: string): Promise<{ id: string; parentFolderId: string } | null> => {
    try {
      return await readJson<{ id: string; parentFolderId: string }>(await call(rt, s, `/me/messages/${encodeURIComponent(id)}?$select=id,parentFolderId`), "outlook");
    } catch (err) {
      if (err instanceof ProviderError && err.opts.status === 404) return null;
      throw err;
    }
  },
  /** The message as RFC 5322 bytes. */
  mime: async (rt: ConnectorRuntime, s: Secrets, id: string) => new Uint8Array(await (await call(rt, s, `/me/messages/${encodeURIComponent(id)}/$value`)).arrayBuffer()),
  createReply: async (rt: ConnectorRuntime, s: Secrets, id: string) => {
    const res = await call(rt, s, `/me/messages/${encodeURIComponent(id)}/createReply`, { method: "POST", body: {} });
    return readJson<GraphMessage>(res, "outlook");
  },
  setBody: async (rt: ConnectorRuntime, s: Secrets, draftId: string, text: string) => {
    const res = await call(rt, s, `/me/messages/${encodeURIComponent(draftId)}`, { method: "PATCH", body: { body: { contentType: "Text", content: text } } });
    return readJson<GraphMessage>(res, "outlook");
  },
  send: async (rt: ConnectorRuntime, s: Secrets, draftId: string) => {
    const res = await call(rt, s, `/me/messages/${encodeURIComponent(draftId)}/send`, { method: "POST" });
    await res.body?.cancel();
  },
};
