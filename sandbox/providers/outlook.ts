// Microsoft Graph mail (graph.microsoft.com/v1.0/me/…) for sandbox Outlook users: /me, message
// delta per folder (inbox, sentitems, drafts) with Prefer odata.maxpagesize, @odata.nextLink
// ($skiptoken) and @odata.deltaLink ($deltatoken), $select, the receivedDateTime $filter,
// @removed tombstones, 410 syncStateNotFound once a token is older than the kept state;
// /messages/{id}/$value (MIME), createReply (201), PATCH, send (202, the draft moves to Sent
// Items keeping its immutable id); Graph's error envelope and 429 ApplicationThrottled +
// Retry-After. Identity platform OAuth under /outlook/ is answered by ./microsoft.ts.
import { randomBytes, randomUUID } from "node:crypto";
import { json, readJson, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { headersOf } from "./gmail-store.ts";
import { buildMime, generateMailbox } from "./gmail-mail.ts";
import { expireMicrosoftTokens, handleMicrosoftOAuth, microsoftUser, mintMicrosoftTokens } from "./microsoft.ts";

const GRAPH = "https://graph.microsoft.com/v1.0";
type Folder = "inbox" | "sentitems" | "drafts" | "archive" | "deleteditems";
const FOLDERS: Folder[] = ["inbox", "sentitems", "drafts", "archive", "deleteditems"];
const DISPLAY: Record<Folder, string> = { inbox: "Inbox", sentitems: "Sent Items", drafts: "Drafts", archive: "Archive", deleteditems: "Deleted Items" };
/** Graph folder ids are opaque; these stay the same for every sandbox user. */
const folderId = (f: Folder) => `AAMkADfldr${Buffer.from(f).toString("base64url")}AAA=`;
const folderById = (id: string): Folder | undefined => FOLDERS.find((f) => f === id.toLowerCase() || folderId(f) === id);
type GMsg = { id: string; folder: Folder; conversationId: string; receivedAt: number; isRead: boolean; isDraft: boolean; raw: string; seq: number };
type Tomb = { id: string; folder: Folder; seq: number };
type Box = { user: string; seq: number; horizon: number; messages: GMsg[]; tombs: Tomb[] };

const boxes = new Map<string, Box>();
persisted("outlook", { save: () => ({ boxes: entries(boxes) }), load: (d) => refill(boxes, d.boxes) });

const graphId = (prefix: string) => `${prefix}${randomBytes(33).toString("base64url")}`;

function graphError(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return json(status, { error: { code, message, innerError: { date: new Date().toISOString().slice(0, 19), "request-id": randomUUID(), "client-request-id": randomUUID() } } }, headers);
}

function touch(box: Box, m: GMsg) {
  m.seq = ++box.seq;
  changed();
}

function boxOf(user: string): Box {
  const key = user.toLowerCase();
  const have = boxes.get(key);
  if (have) return have;
  const box: Box = { user: key, seq: 0, horizon: 0, messages: [], tombs: [] };
  const conv = new Map<number, { id: string; messageId: string }>();
  for (const g of generateMailbox(`outlook:${key}`)) {
    const first = conv.get(g.thread);
    const { raw, messageId } = buildMime({ ...g, to: key, inReplyTo: first?.messageId, references: first?.messageId }, "outlook.sandbox.test");
    const conversationId = first?.id ?? graphId("AAQkAD");
    if (!first) conv.set(g.thread, { id: conversationId, messageId });
    box.messages.push({ id: graphId("AAkALg"), folder: "inbox", conversationId, receivedAt: g.date, isRead: !g.labels.includes("UNREAD"), isDraft: false, raw, seq: ++box.seq });
  }
  boxes.set(key, box);
  changed();
  return box;
}

const addr = (v: string | undefined) => {
  if (!v) return null;
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(v);
  return m ? { name: m[1]!.trim() || m[2]!, address: m[2]!.toLowerCase() } : { name: v.trim(), address: v.trim().toLowerCase() };
};
const decodeWord = (s: string) => s.replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b) => Buffer.from(b, "base64").toString("utf8"));

/** The message as Graph's JSON (every property, then cut to $select). */
function view(m: GMsg, select: string[] | null) {
  const h = headersOf(m.raw);
  const text = bodyText(m.raw);
  const full: Record<string, unknown> = {
    "@odata.etag": `W/"CQAAABYAAA${m.seq.toString(36)}"`,
    id: m.id,
    createdDateTime: new Date(m.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    lastModifiedDateTime: new Date(m.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    receivedDateTime: new Date(m.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    sentDateTime: new Date(m.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
    hasAttachments: /Content-Disposition: attachment/i.test(m.raw),
    internetMessageId: h["message-id"] ?? null,
    subject: decodeWord(h.subject ?? ""),
    bodyPreview: text.replace(/\s+/g, " ").trim().slice(0, 255),
    isRead: m.isRead,
    isDraft: m.isDraft,
    conversationId: m.conversationId,
    parentFolderId: folderId(m.folder),
    from: h.from ? { emailAddress: addr(h.from) } : null,
    toRecipients: (h.to ?? "").split(",").map((x) => addr(x)).filter(Boolean).map((emailAddress) => ({ emailAddress })),
    body: { contentType: "text", content: text },
  };
  if (!select) return full;
  return Object.fromEntries(Object.entries(full).filter(([k]) => k === "@odata.etag" || k === "id" || select.includes(k)));
}

function bodyText(raw: string): string {
  const b64 = /Content-Type: text\/plain[^\r\n]*\r?\nContent-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(raw)?.[1];
  return b64 ? Buffer.from(b64.replace(/\s+/g, ""), "base64").toString("utf8") : raw.split(/\r?\n\r?\n/).slice(1).join("\n");
}

// ---------------------------------------------------------------- delta

type Skip = { f: Folder; upto: number; from: number; since: number; off: number; size: number };
type DeltaTok = { f: Folder; s: number; since: number };
const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
const dec = <T>(s: string): T | null => {
  try {
    return JSON.parse(Buffer.from(s, "base64url").toString("utf8")) as T;
  } catch {
    return null;
  }
};

const FOLDER_OF: Record<string, Folder> = Object.fromEntries(FOLDERS.flatMap((f) => [[f, f], [`('${f}')`, f], [folderId(f).toLowerCase(), f]]));

function delta(req: SandboxRequest, box: Box, folderName: string): SandboxResponse {
  const f = FOLDER_OF[folderName.toLowerCase()];
  if (!f) return graphError(404, "ErrorInvalidIdMalformed", "Id is malformed.");
  const q = req.url.searchParams;
  const prefer = String(req.headers.prefer ?? "");
  const size = Math.min(1000, Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? 10) || 10);
  const select = q.get("$select")?.split(",").map((s) => s.trim()) ?? null;
  let sk: Skip;
  const skiptoken = q.get("$skiptoken");
  const deltatoken = q.get("$deltatoken");
  if (skiptoken) {
    const s = dec<Skip>(skiptoken);
    if (!s || s.f !== f) return graphError(400, "ErrorInvalidUrlQuery", "The skip token is invalid.");
    if (s.upto < box.horizon) return graphError(410, "SyncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    sk = s;
  } else if (deltatoken) {
    const d = dec<DeltaTok>(deltatoken);
    if (!d || d.f !== f) return graphError(400, "ErrorInvalidUrlQuery", "The delta token is invalid.");
    if (d.s < box.horizon) return graphError(410, "SyncStateNotFound", "The sync state generation is not found. The delta token is expired and data must be synchronized again.");
    sk = { f, upto: box.seq, from: d.s, since: d.since, off: 0, size };
  } else {
    const filter = q.get("$filter") ?? "";
    let since = 0;
    if (filter) {
      const m = /^receivedDateTime (ge|gt) (\S+)$/.exec(filter.trim());
      if (!m || Number.isNaN(Date.parse(m[2]!))) return graphError(400, "ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes.");
      since = Date.parse(m[2]!) + (m[1] === "gt" ? 1 : 0);
    }
    sk = { f, upto: box.seq, from: 0, since, off: 0, size };
  }
  sk.size = size;
  const live = box.messages.filter((m) => m.folder === f && m.seq > sk.from && m.seq <= sk.upto && m.receivedAt >= sk.since).map((m) => ({ seq: m.seq, item: view(m, select) }));
  const gone = sk.from > 0 ? box.tombs.filter((t) => t.folder === f && t.seq > sk.from && t.seq <= sk.upto).map((t) => ({ seq: t.seq, item: { "@odata.type": "#microsoft.graph.message", id: t.id, "@removed": { reason: "deleted" } } })) : [];
  const all = [...live, ...gone].sort((a, b) => a.seq - b.seq);
  const page = all.slice(sk.off, sk.off + size).map((x) => x.item);
  const base = `${GRAPH}/me/mailfolders('${f}')/messages/delta`;
  const more = sk.off + size < all.length;
  const link = more
    ? { "@odata.nextLink": `${base}?$skiptoken=${enc({ ...sk, off: sk.off + size })}` }
    : { "@odata.deltaLink": `${base}?$deltatoken=${enc({ f, s: sk.upto, since: sk.since } satisfies DeltaTok)}` };
  return json(200, { "@odata.context": `${GRAPH}/$metadata#Collection(message)`, value: page, ...link });
}

// ---------------------------------------------------------------- moves and deletions

/** Moved out of a folder: a tombstone there (its delta says @removed), the message in the other. */
function moveTo(box: Box, m: GMsg, to: Folder) {
  if (m.folder === to) return;
  box.tombs.push({ id: m.id, folder: m.folder, seq: ++box.seq });
  m.folder = to;
  touch(box, m);
}

/** Permanently deleted (or emptied from Deleted Items): gone, a tombstone in its folder. */
function destroy(box: Box, m: GMsg) {
  box.tombs.push({ id: m.id, folder: m.folder, seq: ++box.seq });
  box.messages = box.messages.filter((x) => x !== m);
  changed();
}

// ---------------------------------------------------------------- drafts and send

function createReply(box: Box, orig: GMsg): GMsg {
  const h = headersOf(orig.raw);
  const to = h["reply-to"] ?? h.from ?? "";
  const subject = decodeWord(h.subject ?? "");
  const mid = h["message-id"];
  const spec = { from: box.user, to, subject: /^re:/i.test(subject) ? subject : `RE: ${subject}`, text: "", date: Date.now(), inReplyTo: mid, references: [h.references, mid].filter(Boolean).join(" ") || undefined };
  const draft: GMsg = { id: graphId("AAkALg"), folder: "drafts", conversationId: orig.conversationId, receivedAt: Date.now(), isRead: true, isDraft: true, raw: buildMime(spec, "outlook.sandbox.test").raw, seq: 0 };
  (draft as GMsg & { spec?: unknown }).spec = spec;
  box.messages.push(draft);
  touch(box, draft);
  return draft;
}

function setBody(box: Box, m: GMsg, text: string) {
  const h = headersOf(m.raw);
  const spec = { from: box.user, to: h.to ?? "", subject: decodeWord(h.subject ?? ""), text, date: Date.now(), messageId: h["message-id"], inReplyTo: h["in-reply-to"], references: h.references };
  m.raw = buildMime(spec, "outlook.sandbox.test").raw;
  touch(box, m);
}

const sent: { user: string; id: string; to: string; subject: string; at: number }[] = [];

function api(req: SandboxRequest, box: Box, scopes: string[]): SandboxResponse {
  const path = decodeURIComponent(req.path.replace(/^\/v1\.0/, ""));
  const get = req.method === "GET";
  const byId = (id: string) => box.messages.find((m) => m.id === id);
  const notFound = () => graphError(404, "ErrorItemNotFound", "The specified object was not found in the store.");
  const needs = (scope: string) => (scopes.includes(scope) || (scope === "Mail.Read" && scopes.includes("Mail.ReadWrite")) ? null : graphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again."));
  let m: RegExpExecArray | null;
  if (get && (path === "/me" || path.startsWith("/me?"))) {
    const denied = needs("User.Read");
    if (denied) return denied;
    const local = box.user.split("@")[0]!;
    return json(200, { "@odata.context": `${GRAPH}/$metadata#users/$entity`, id: randomUUID(), displayName: local.replace(/[._-]+/g, " "), mail: box.user, userPrincipalName: box.user });
  }
  if (get && (m = /^\/me\/mailFolders(?:\/([^/(]+)|\('([^']+)'\))\/messages\/delta$/i.exec(path))) return needs("Mail.Read") ?? delta(req, box, m[1] ?? m[2]!);
  if (get && (m = /^\/me\/mailFolders(?:\/([^/(]+)|\('([^']+)'\))$/i.exec(path))) {
    const f = folderById(m[1] ?? m[2]!);
    if (!f) return notFound();
    return needs("Mail.Read") ?? json(200, { id: folderId(f), displayName: DISPLAY[f], parentFolderId: "AAMkADroot", childFolderCount: 0, unreadItemCount: box.messages.filter((x) => x.folder === f && !x.isRead).length, totalItemCount: box.messages.filter((x) => x.folder === f).length });
  }
  if (req.method === "POST" && (m = /^\/me\/messages\/([^/]+)\/move$/.exec(path))) {
    const denied = needs("Mail.ReadWrite");
    if (denied) return denied;
    const found = byId(m[1]!);
    if (!found) return notFound();
    const to = folderById(String(readJson<{ destinationId?: string }>(req)?.destinationId ?? ""));
    if (!to) return graphError(400, "ErrorInvalidIdMalformed", "Id is malformed.");
    moveTo(box, found, to);
    return json(201, view(found, null));
  }
  if (req.method === "DELETE" && (m = /^\/me\/messages\/([^/]+)$/.exec(path))) {
    const denied = needs("Mail.ReadWrite");
    if (denied) return denied;
    const found = byId(m[1]!);
    if (!found) return notFound();
    // Graph's DELETE moves the message to Deleted Items (deleted there, it is gone).
    if (found.folder === "deleteditems") destroy(box, found);
    else moveTo(box, found, "deleteditems");
    return { status: 204, headers: {}, body: "" };
  }
  if (get && (m = /^\/me\/messages\/([^/]+)\/\$value$/.exec(path))) {
    const found = byId(m[1]!);
    return needs("Mail.Read") ?? (found ? { status: 200, headers: { "content-type": "text/plain" }, body: found.raw } : notFound());
  }
  if (get && (m = /^\/me\/messages\/([^/]+)$/.exec(path))) {
    const found = byId(m[1]!);
    return needs("Mail.Read") ?? (found ? json(200, view(found, req.url.searchParams.get("$select")?.split(",") ?? null)) : notFound());
  }
  if (req.method === "POST" && (m = /^\/me\/messages\/([^/]+)\/createReply$/.exec(path))) {
    const denied = needs("Mail.ReadWrite");
    if (denied) return denied;
    const found = byId(m[1]!);
    if (!found) return notFound();
    const body = readJson<{ comment?: string; message?: { body?: { content?: string } } }>(req) ?? {};
    if (body.comment !== undefined && body.message?.body) return graphError(400, "ErrorInvalidRequest", "Specify either comment or the body property of the message parameter, not both.");
    const draft = createReply(box, found);
    const text = body.comment ?? body.message?.body?.content;
    if (text) setBody(box, draft, text);
    return json(201, view(draft, null));
  }
  if (req.method === "PATCH" && (m = /^\/me\/messages\/([^/]+)$/.exec(path))) {
    const denied = needs("Mail.ReadWrite");
    if (denied) return denied;
    const found = byId(m[1]!);
    if (!found) return notFound();
    const body = readJson<{ body?: { contentType?: string; content?: string }; isRead?: boolean }>(req);
    if (!body) return graphError(400, "RequestBodyRead", "Empty Payload. JSON content expected.");
    if (body.body) {
      if (!found.isDraft) return graphError(400, "ErrorInvalidPropertyUpdateSentMessage", "Update operation is invalid for property of a sent message.");
      setBody(box, found, String(body.body.content ?? ""));
    }
    if (typeof body.isRead === "boolean" && body.isRead !== found.isRead) {
      found.isRead = body.isRead;
      touch(box, found);
    }
    return json(200, view(found, null));
  }
  if (req.method === "POST" && (m = /^\/me\/messages\/([^/]+)\/send$/.exec(path))) {
    const denied = needs("Mail.Send");
    if (denied) return denied;
    const found = byId(m[1]!);
    if (!found) return notFound();
    if (!found.isDraft) return graphError(400, "ErrorInvalidRequest", "Only draft messages can be sent.");
    const h = headersOf(found.raw);
    if (!h.to) return graphError(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.");
    box.tombs.push({ id: found.id, folder: "drafts", seq: ++box.seq });
    found.folder = "sentitems";
    found.isDraft = false;
    found.receivedAt = Date.now();
    touch(box, found);
    sent.push({ user: box.user, id: found.id, to: h.to, subject: decodeWord(h.subject ?? ""), at: Date.now() });
    return { status: 202, headers: {}, body: "" };
  }
  return graphError(400, "BadRequest", `Resource not found for the segment '${path.split("/").filter(Boolean).at(-1) ?? ""}'.`);
}

function handle(req: SandboxRequest): SandboxResponse | null {
  const oauth = handleMicrosoftOAuth(req);
  if (oauth) return oauth;
  if (req.host !== "graph.microsoft.com" || !req.path.startsWith("/v1.0/")) return null;
  const who = microsoftUser(req);
  if (!who) return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.", { "www-authenticate": 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' });
  return api(req, boxOf(who.user), who.scopes);
}

function renderFault(f: Fault): SandboxResponse | null {
  if (f.kind === "429" || f.kind === "throttled") return graphError(429, "ApplicationThrottled", "Application is over its MailboxConcurrency limit.", { "retry-after": String(f.retryAfter ?? 1) });
  if (f.kind === "500") return graphError(500, "ErrorInternalServerError", "An internal server error occurred. The operation failed.");
  if (f.kind === "503") return graphError(503, "ServiceUnavailable", "Service Unavailable", { "retry-after": String(f.retryAfter ?? 1) });
  if (f.kind === "token-expired") return graphError(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
  return null;
}

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  const body = readJson<Record<string, any>>(req) ?? {};
  const user = String(body.user ?? req.url.searchParams.get("user") ?? "").toLowerCase();
  if (!user) return json(400, { error: "user required" });
  const box = boxOf(user);
  if (action === "deliver" && req.method === "POST") {
    const parent = body.conversationId ? [...box.messages].reverse().find((m) => m.conversationId === body.conversationId) : undefined;
    const ph = parent ? headersOf(parent.raw) : undefined;
    const { raw } = buildMime({ from: body.from ?? "Sandbox Sender <sender@example.test>", to: user, subject: body.subject ?? "Hello", text: body.text ?? "", html: body.html, date: Date.now(),
      inReplyTo: ph?.["message-id"], references: ph ? [ph.references, ph["message-id"]].filter(Boolean).join(" ") : undefined }, "outlook.sandbox.test");
    const m: GMsg = { id: graphId("AAkALg"), folder: "inbox", conversationId: parent?.conversationId ?? graphId("AAQkAD"), receivedAt: Date.now(), isRead: false, isDraft: false, raw, seq: 0 };
    box.messages.push(m);
    touch(box, m);
    return json(201, { id: m.id, conversationId: m.conversationId });
  }
  if (action === "read" && req.method === "POST") {
    const m = box.messages.find((x) => x.id === body.id);
    if (!m) return json(404, { error: "no such message" });
    m.isRead = true;
    touch(box, m);
    return json(200, { ok: true });
  }
  // The user moved a message in Outlook (to "archive", "deleteditems", "inbox", …).
  if (action === "move" && req.method === "POST") {
    const m = box.messages.find((x) => x.id === body.id);
    const to = folderById(String(body.folder ?? ""));
    if (!m) return json(404, { error: "no such message" });
    if (!to) return json(400, { error: `folder must be one of ${FOLDERS.join(", ")}` });
    moveTo(box, m, to);
    return json(200, { id: m.id, folder: m.folder });
  }
  // The user deleted a message for good (permanent: true), or to Deleted Items.
  if (action === "delete" && req.method === "POST") {
    const m = box.messages.find((x) => x.id === body.id);
    if (!m) return json(404, { error: "no such message" });
    if (body.permanent) destroy(box, m);
    else moveTo(box, m, "deleteditems");
    return json(200, { ok: true });
  }
  // Graph forgets delta state (its token cache overflowed): every older token answers 410.
  if (action === "expire-delta" && req.method === "POST") {
    box.horizon = box.seq + 1;
    box.seq += 1;
    changed();
    return json(200, { ok: true });
  }
  if (action === "expire" && req.method === "POST") {
    expireMicrosoftTokens(user);
    return json(200, { ok: true });
  }
  if (action === "token" && req.method === "POST") {
    const t = mintMicrosoftTokens(user, body.scopes ?? ["offline_access", "User.Read", "Mail.ReadWrite", "Mail.Send"]);
    return json(200, { access_token: t.accessToken, refresh_token: t.refreshToken, expires_in: t.expiresIn });
  }
  if (action === "mailbox" && req.method === "GET") {
    return json(200, {
      messages: box.messages.map((m) => {
        const h = headersOf(m.raw);
        return { id: m.id, folder: m.folder, conversationId: m.conversationId, isRead: m.isRead, isDraft: m.isDraft, receivedAt: m.receivedAt, subject: decodeWord(h.subject ?? ""), from: h.from ?? "", to: h.to ?? "", messageId: h["message-id"] ?? null, inReplyTo: h["in-reply-to"] ?? null, text: bodyText(m.raw) };
      }),
      sent: sent.filter((s) => s.user === user),
    });
  }
  return null;
}

export const outlook: ProviderModule = { id: "outlook", handle, control, renderFault: (f) => renderFault(f) };
