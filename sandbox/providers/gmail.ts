// Gmail API v1 (gmail.googleapis.com/gmail/v1/users/me/…): profile, labels, messages.list with
// pageToken, messages.get (raw | full | metadata | minimal), threads.get, history.list from
// startHistoryId (404 once the id is older than the kept history), drafts.create/list/send,
// messages.send, messages.modify, and the batch endpoint (gmail-batch.ts); per-user quota units (429 rateLimitExceeded + Retry-After).
// Google OAuth under /gmail/ is answered by the shared Google module.
import { header, json, readJson, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed } from "../state.ts";
import { googleUser, handleGoogleOAuth } from "./google.ts";
import { BATCH_PATH, handleBatch } from "./gmail-batch.ts";
import { addLabels, addMessage, boxOf, deleteMessage, deliver, expireHistory, headersOf, messageById, newestFirst, removeLabels, trashMessage, type Box, type Msg } from "./gmail-store.ts";

export const GMAIL_SCOPES = [
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.send",
  "https://www.googleapis.com/auth/gmail.modify",
  "https://mail.google.com/",
];
const READ = GMAIL_SCOPES.filter((s) => !s.endsWith("gmail.send"));
const COMPOSE = GMAIL_SCOPES.filter((s) => !s.endsWith("gmail.readonly"));
const REASON: Record<number, [string, string, string]> = {
  400: ["INVALID_ARGUMENT", "global", "invalidArgument"],
  401: ["UNAUTHENTICATED", "global", "authError"],
  403: ["PERMISSION_DENIED", "global", "insufficientPermissions"],
  404: ["NOT_FOUND", "global", "notFound"],
  429: ["RESOURCE_EXHAUSTED", "usageLimits", "rateLimitExceeded"],
  500: ["INTERNAL", "global", "backendError"],
  503: ["UNAVAILABLE", "global", "backendError"],
};

/** Gmail's error envelope, with the `errors[]` array its clients read the reason from. */
export function gmailError(code: number, message: string, headers: Record<string, string> = {}, reason?: string) {
  const [status, domain, r] = REASON[code] ?? ["UNKNOWN", "global", "unknown"];
  return json(code, { error: { code, message, errors: [{ message, domain, reason: reason ?? r }], status } }, headers);
}

function gmailFault(f: Fault): SandboxResponse | null {
  if (f.kind === "429" || f.kind === "throttled") return gmailError(429, "Rate Limit Exceeded", { "retry-after": String(f.retryAfter ?? 1) });
  if (f.kind === "500") return gmailError(500, "Backend Error");
  if (f.kind === "503") return gmailError(503, "The service is currently unavailable.", { "retry-after": String(f.retryAfter ?? 1) });
  if (f.kind === "token-expired") return gmailError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", {}, "authError");
  return null;
}

// ---------------------------------------------------------------- quota (units per user per minute)

const UNITS: Record<string, number> = { list: 5, get: 5, history: 2, drafts: 10, send: 100, labels: 1, profile: 1, threads: 10, modify: 5 };
const DEFAULT_QUOTA = 15_000;
const quota = new Map<string, { limit: number; used: { at: number; units: number }[]; head: number; total: number }>();
const newQuota = (limit: number) => ({ limit, used: [], head: 0, total: 0 });
function spend(user: string, units: number): SandboxResponse | null {
  const q = quota.get(user) ?? newQuota(DEFAULT_QUOTA);
  quota.set(user, q);
  const now = Date.now();
  // A sliding minute: spent units leave the window from its head (no rescan per request).
  while (q.head < q.used.length && q.used[q.head]!.at <= now - 60_000) q.total -= q.used[q.head++]!.units;
  if (q.head > 1024 && q.head * 2 > q.used.length) {
    q.used = q.used.slice(q.head);
    q.head = 0;
  }
  if (q.total + units > q.limit) {
    const wait = Math.max(1, Math.ceil((q.used[q.head]!.at + 60_000 - now) / 1000));
    return gmailError(429, `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:000000000000'.`, { "retry-after": String(wait) }, "rateLimitExceeded");
  }
  q.used.push({ at: now, units });
  q.total += units;
  return null;
}

// ---------------------------------------------------------------- message representations

const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");
const snippetOf = (m: Msg) => {
  const text = Buffer.from(m.raw.split(/\r?\n\r?\n/).slice(1).join("\n")).toString("utf8");
  const b64 = /base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(m.raw)?.[1];
  const plain = b64 ? Buffer.from(b64.replace(/\s+/g, ""), "base64").toString("utf8") : text;
  return plain.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 200);
};

type Part = { partId: string; mimeType: string; filename: string; headers: { name: string; value: string }[]; body: { size: number; data?: string; attachmentId?: string }; parts?: Part[] };

/** The MIME tree of a raw message as Gmail's `payload` (format=full). */
function partOf(text: string, partId: string, msgId: string): Part {
  const sep = /\r?\n\r?\n/.exec(text);
  const head = sep ? text.slice(0, sep.index) : text;
  const body = sep ? text.slice(sep.index + sep[0].length) : "";
  const headerList = head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/).filter((l) => l.includes(":")).map((l) => ({ name: l.slice(0, l.indexOf(":")), value: l.slice(l.indexOf(":") + 1).trim() }));
  const h = (n: string) => headerList.find((x) => x.name.toLowerCase() === n)?.value ?? "";
  const ctype = h("content-type") || "text/plain";
  const mimeType = ctype.split(";")[0]!.trim().toLowerCase();
  const filename = /filename="([^"]+)"/.exec(h("content-disposition"))?.[1] ?? "";
  const boundary = /boundary="?([^";]+)"?/.exec(ctype)?.[1];
  if (mimeType.startsWith("multipart/") && boundary) {
    const chunks = body.split(`--${boundary}`).slice(1).filter((c) => !c.startsWith("--"));
    const parts = chunks.map((c, i) => partOf(c.replace(/^\r?\n/, ""), partId ? `${partId}.${i}` : String(i), msgId));
    return { partId, mimeType, filename, headers: headerList, body: { size: 0 }, parts };
  }
  const bytes = /base64/i.test(h("content-transfer-encoding")) ? Buffer.from(body.replace(/\s+/g, ""), "base64") : Buffer.from(body, "utf8");
  if (filename) return { partId, mimeType, filename, headers: headerList, body: { size: bytes.length, attachmentId: `${msgId}.${partId}` } };
  return { partId, mimeType, filename, headers: headerList, body: { size: bytes.length, data: b64url(bytes) } };
}

/** format=raw answers of a large mailbox are read once each but built from the whole text: kept per message until its labels change. */
const rawViews = new WeakMap<Msg, { labelIds: string[]; body: string }>();
function rawView(m: Msg): string {
  const have = rawViews.get(m);
  if (have && have.labelIds === m.labelIds) return have.body;
  const body = JSON.stringify(view(m, "raw"));
  rawViews.set(m, { labelIds: m.labelIds, body });
  return body;
}

function view(m: Msg, format: string, metadataHeaders: string[] = []) {
  const base = { id: m.id, threadId: m.threadId, labelIds: m.labelIds, snippet: snippetOf(m), sizeEstimate: Buffer.byteLength(m.raw), historyId: String(m.historyId), internalDate: String(m.internalDate) };
  if (format === "minimal") return { id: m.id, threadId: m.threadId, labelIds: m.labelIds, snippet: base.snippet, sizeEstimate: base.sizeEstimate, historyId: base.historyId, internalDate: base.internalDate };
  if (format === "raw") return { ...base, raw: b64url(m.raw) };
  const full = partOf(m.raw, "", m.id);
  if (format === "metadata") {
    const wanted = metadataHeaders.map((x) => x.toLowerCase());
    return { ...base, payload: { mimeType: full.mimeType, headers: full.headers.filter((x) => !wanted.length || wanted.includes(x.name.toLowerCase())) } };
  }
  return { ...base, payload: full };
}

// ---------------------------------------------------------------- endpoints

const PAGE_MAX = 500;
const token = (offset: number) => Buffer.from(`o:${offset}`).toString("base64url");
const offsetOf = (t: string | null) => {
  if (!t) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(t, "base64url").toString("utf8"));
  return m ? Number(m[1]) : -1;
};
const visible = (m: Msg, includeSpamTrash: boolean) => includeSpamTrash || !m.labelIds.some((l) => l === "SPAM" || l === "TRASH");

/** The subset of Gmail search the connector and tests use: newer_than:Nd, after:<secs|Y/M/D>, in:<label>, -in:<label>. */
function matcher(q: string): (m: Msg) => boolean {
  const tests: ((m: Msg) => boolean)[] = [];
  for (const term of q.split(/\s+/).filter(Boolean)) {
    const neg = term.startsWith("-");
    const t = neg ? term.slice(1) : term;
    let mm: RegExpExecArray | null;
    let ok: ((m: Msg) => boolean) | null = null;
    if ((mm = /^newer_than:(\d+)([dmy])$/.exec(t))) {
      const since = Date.now() - Number(mm[1]) * { d: 1, m: 31, y: 366 }[mm[2] as "d"]! * 86_400_000;
      ok = (m) => m.internalDate >= since;
    } else if ((mm = /^after:(\d+)$/.exec(t))) {
      const since = Number(mm[1]) * 1000;
      ok = (m) => m.internalDate >= since;
    } else if ((mm = /^in:(\w+)$/.exec(t))) {
      const label = mm[1]!;
      ok = label === "chats" ? () => false : (m) => m.labelIds.includes(label.toUpperCase());
    }
    if (ok) tests.push(neg ? (m) => !ok(m) : ok);
  }
  return (m) => tests.every((f) => f(m));
}

function listMessages(req: SandboxRequest, box: Box) {
  const p = req.url.searchParams;
  const max = Math.min(PAGE_MAX, Number(p.get("maxResults") ?? 100) || 100);
  const offset = offsetOf(p.get("pageToken"));
  if (offset < 0) return gmailError(400, "Invalid pageToken");
  const labels = p.getAll("labelIds");
  const matches = matcher(p.get("q") ?? "");
  const all = newestFirst(box).filter((m) => visible(m, p.get("includeSpamTrash") === "true") && labels.every((l) => m.labelIds.includes(l)) && matches(m));
  const page = all.slice(offset, offset + max);
  if (!all.length) return json(200, { resultSizeEstimate: 0 });
  return json(200, { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })), ...(offset + max < all.length ? { nextPageToken: token(offset + max) } : {}), resultSizeEstimate: all.length });
}

function listHistory(req: SandboxRequest, box: Box) {
  const p = req.url.searchParams;
  const start = Number(p.get("startHistoryId"));
  if (!p.get("startHistoryId") || !Number.isFinite(start)) return gmailError(400, "Invalid startHistoryId");
  // Gmail keeps history for a limited time: a start id from before it is not found.
  if (start < box.horizon) return gmailError(404, "Requested entity was not found.");
  const types = p.getAll("historyTypes");
  const label = p.get("labelId");
  const max = Math.min(PAGE_MAX, Number(p.get("maxResults") ?? 100) || 100);
  const offset = offsetOf(p.get("pageToken"));
  if (offset < 0) return gmailError(400, "Invalid pageToken");
  const recs = box.history
    .filter((h) => h.id > start)
    .filter((h) => !types.length || (h.added && types.includes("messageAdded")) || (h.labelsRemoved && types.includes("labelRemoved")) || (h.labelsAdded && types.includes("labelAdded")) || (h.deleted && types.includes("messageDeleted")))
    .filter((h) => !label || Boolean((h.added ?? h.labelsRemoved ?? h.labelsAdded)?.labelIds.includes(label)) || Boolean(h.labelsRemoved?.removed.includes(label)) || Boolean(h.labelsAdded?.added.includes(label)));
  const page = recs.slice(offset, offset + max).map((h) => {
    const m = (h.added ?? h.labelsRemoved ?? h.labelsAdded ?? h.deleted)!;
    return {
      id: String(h.id),
      messages: [{ id: m.id, threadId: m.threadId }],
      ...(h.added ? { messagesAdded: [{ message: h.added }] } : {}),
      ...(h.labelsRemoved ? { labelsRemoved: [{ message: { id: m.id, threadId: m.threadId, labelIds: h.labelsRemoved.labelIds }, labelIds: h.labelsRemoved.removed }] } : {}),
      ...(h.labelsAdded ? { labelsAdded: [{ message: { id: m.id, threadId: m.threadId, labelIds: h.labelsAdded.labelIds }, labelIds: h.labelsAdded.added }] } : {}),
      ...(h.deleted ? { messagesDeleted: [{ message: { id: m.id, threadId: m.threadId } }] } : {}),
    };
  });
  return json(200, { ...(page.length ? { history: page } : {}), ...(offset + max < recs.length ? { nextPageToken: token(offset + max) } : {}), historyId: String(box.historyId) });
}

const LABELS = ["INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CATEGORY_PERSONAL", "CATEGORY_UPDATES", "CATEGORY_PROMOTIONS"];

/** A message a client wants sent or drafted: base64url RFC 5322 with a recipient; threadId must exist. */
function outgoing(box: Box, body: { raw?: string; threadId?: string } | undefined): { raw: string; threadId?: string } | SandboxResponse {
  if (!body?.raw) return gmailError(400, "'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  const raw = Buffer.from(body.raw, "base64url").toString("utf8");
  const h = headersOf(raw);
  if (!h.to && !h.cc && !h.bcc) return gmailError(400, "Recipient address required");
  if (body.threadId && !box.messages.some((m) => m.threadId === body.threadId)) return gmailError(404, "Requested entity was not found.");
  // Gmail keeps the message in the thread only when the subject matches; the client sends Re: …
  return { raw: raw.replace(/^From:.*$/im, `From: ${box.user}`), threadId: body.threadId };
}

function api(req: SandboxRequest, box: Box): SandboxResponse {
  const path = req.path.replace(/^\/gmail\/v1\/users\/(me|[^/]+)/, "");
  const get = req.method === "GET";
  const msg = (id: string) => messageById(box, id);
  let m: RegExpExecArray | null;
  if (get && path === "/profile") return json(200, { emailAddress: box.user, messagesTotal: box.messages.length, threadsTotal: new Set(box.messages.map((x) => x.threadId)).size, historyId: String(box.historyId) });
  if (get && path === "/labels") return json(200, { labels: LABELS.map((id) => ({ id, name: id, type: "system" })) });
  if (get && path === "/messages") return listMessages(req, box);
  if (get && path === "/history") return listHistory(req, box);
  if (get && (m = /^\/messages\/([^/]+)$/.exec(path))) {
    const found = msg(m[1]!);
    if (!found) return gmailError(404, "Requested entity was not found.");
    const format = req.url.searchParams.get("format") ?? "full";
    return format === "raw" ? { status: 200, headers: { "content-type": "application/json" }, body: rawView(found) } : json(200, view(found, format, req.url.searchParams.getAll("metadataHeaders")));
  }
  if (get && (m = /^\/threads\/([^/]+)$/.exec(path))) {
    const msgs = box.messages.filter((x) => x.threadId === m![1]).sort((a, b) => a.internalDate - b.internalDate);
    if (!msgs.length) return gmailError(404, "Requested entity was not found.");
    const format = req.url.searchParams.get("format") ?? "full";
    return json(200, { id: m[1], historyId: String(Math.max(...msgs.map((x) => x.historyId))), messages: msgs.map((x) => view(x, format)) });
  }
  if (req.method === "POST" && (m = /^\/messages\/([^/]+)\/modify$/.exec(path))) {
    const found = msg(m[1]!);
    if (!found) return gmailError(404, "Requested entity was not found.");
    const body = readJson<{ addLabelIds?: string[]; removeLabelIds?: string[] }>(req) ?? {};
    removeLabels(box, found, body.removeLabelIds ?? []);
    addLabels(box, found, body.addLabelIds ?? []);
    return json(200, view(found, "minimal"));
  }
  if (req.method === "POST" && (m = /^\/messages\/([^/]+)\/(trash|untrash)$/.exec(path))) {
    const found = msg(m[1]!);
    if (!found) return gmailError(404, "Requested entity was not found.");
    if (m[2] === "trash") trashMessage(box, found);
    else removeLabels(box, found, ["TRASH"]);
    return json(200, view(found, "minimal"));
  }
  if (req.method === "DELETE" && (m = /^\/messages\/([^/]+)$/.exec(path))) {
    const found = msg(m[1]!);
    if (!found) return gmailError(404, "Requested entity was not found.");
    deleteMessage(box, found);
    return { status: 204, headers: {}, body: "" };
  }
  if (req.method === "POST" && path === "/drafts") {
    const out = outgoing(box, readJson<{ message?: { raw?: string; threadId?: string } }>(req)?.message);
    if ("status" in out) return out;
    const added = addMessage(box, { raw: out.raw, labelIds: ["DRAFT"], threadId: out.threadId });
    const id = `r-${BigInt("0x" + added.id) % 10n ** 19n}`;
    box.drafts.push({ id, messageId: added.id });
    changed();
    return json(200, { id, message: { id: added.id, threadId: added.threadId, labelIds: added.labelIds } });
  }
  if (get && path === "/drafts") return json(200, { drafts: box.drafts.map((d) => ({ id: d.id, message: { id: d.messageId, threadId: msg(d.messageId)?.threadId } })), resultSizeEstimate: box.drafts.length });
  if (req.method === "POST" && (path === "/messages/send" || path === "/drafts/send")) {
    let body = readJson<{ raw?: string; threadId?: string; id?: string }>(req) ?? {};
    let draftOf: string | null = null;
    if (path === "/drafts/send") {
      const d = box.drafts.find((x) => x.id === body.id);
      const dm = d && msg(d.messageId);
      if (!d || !dm) return gmailError(404, "Requested entity was not found.");
      body = { raw: b64url(dm.raw), threadId: dm.threadId };
      draftOf = d.id;
    }
    const out = outgoing(box, body);
    if ("status" in out) return out;
    if (draftOf) {
      const d = box.drafts.find((x) => x.id === draftOf)!;
      box.drafts = box.drafts.filter((x) => x !== d);
      box.messages = box.messages.filter((x) => x.id !== d.messageId);
    }
    const sent = addMessage(box, { raw: out.raw, labelIds: ["SENT"], threadId: out.threadId });
    return json(200, { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds });
  }
  return gmailError(404, `Method not found: ${req.method} ${req.path}`);
}

const unitsOf = (req: SandboxRequest) => {
  const p = req.path;
  if (p.endsWith("/send")) return UNITS.send!;
  if (p.includes("/drafts")) return UNITS.drafts!;
  if (p.endsWith("/history")) return UNITS.history!;
  if (p.includes("/threads/")) return UNITS.threads!;
  if (p.endsWith("/modify")) return UNITS.modify!;
  if (p.endsWith("/messages")) return UNITS.list!;
  return UNITS.get!;
};

function handle(req: SandboxRequest): SandboxResponse | null {
  const oauth = handleGoogleOAuth(req);
  if (oauth) return oauth;
  if (req.host === "gmail.googleapis.com" && req.path === BATCH_PATH && req.method === "POST") return handleBatch(req, handle, gmailFault);
  if (req.host !== "gmail.googleapis.com" || !req.path.startsWith("/gmail/v1/users/")) return null;
  const needs = req.method === "GET" ? READ : /\/(send|drafts)/.test(req.path) ? COMPOSE : READ;
  const who = googleUser(req, needs);
  if ("error" in who) {
    const status = who.error.status;
    return status === 401
      ? gmailError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", {}, "authError")
      : gmailError(403, "Request had insufficient authentication scopes.", {}, "insufficientPermissions");
  }
  const over = spend(who.user, unitsOf(req));
  if (over) return over;
  return api(req, boxOf(who.user));
}

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  const body = readJson<Record<string, any>>(req) ?? {};
  const user = String(body.user ?? body.to ?? req.url.searchParams.get("user") ?? "").toLowerCase();
  if (!user) return json(400, { error: "user required" });
  if (action === "deliver" && req.method === "POST") {
    const m = deliver(user, { from: body.from ?? "Sandbox Sender <sender@example.test>", to: user, subject: body.subject ?? "Hello", text: body.text ?? "", html: body.html, date: Date.now(), threadId: body.threadId,
      attachments: (body.attachments ?? []).map((a: { filename: string; contentType: string; base64: string }) => ({ filename: a.filename, contentType: a.contentType, data: Buffer.from(a.base64, "base64") })) });
    return json(201, { id: m.id, threadId: m.threadId, historyId: String(m.historyId) });
  }
  // The user archived, trashed or moved back a message in Gmail: to "archive" (INBOX removed),
  // "trash" (TRASH added, INBOX removed) or "inbox" (INBOX added, out of the trash).
  if (action === "move" && req.method === "POST") {
    const box = boxOf(user);
    const m = box.messages.find((x) => x.id === body.id);
    if (!m) return json(404, { error: "no such message" });
    if (body.to === "archive") removeLabels(box, m, ["INBOX"]);
    else if (body.to === "trash") trashMessage(box, m);
    else if (body.to === "inbox") {
      removeLabels(box, m, ["TRASH"]);
      addLabels(box, m, ["INBOX"]);
    } else return json(400, { error: "to must be archive, trash or inbox" });
    return json(200, { id: m.id, labelIds: m.labelIds, historyId: String(box.historyId) });
  }
  // The user deleted a message for good (emptied the trash).
  if (action === "delete" && req.method === "POST") {
    const box = boxOf(user);
    const m = box.messages.find((x) => x.id === body.id);
    if (!m) return json(404, { error: "no such message" });
    deleteMessage(box, m);
    return json(200, { ok: true, historyId: String(box.historyId) });
  }
  if (action === "expire-history" && req.method === "POST") {
    expireHistory(user);
    return json(200, { ok: true });
  }
  if (action === "quota" && req.method === "POST") {
    quota.set(user, newQuota(Number(body.unitsPerMinute ?? DEFAULT_QUOTA)));
    return json(200, { ok: true });
  }
  if (action === "mailbox" && req.method === "GET") {
    const box = boxOf(user);
    return json(200, {
      historyId: String(box.historyId),
      drafts: box.drafts,
      messages: box.messages.map((x) => {
        const h = headersOf(x.raw);
        return { id: x.id, threadId: x.threadId, labelIds: x.labelIds, internalDate: x.internalDate, subject: h.subject ?? "", from: h.from ?? "", to: h.to ?? "", messageId: h["message-id"] ?? null, inReplyTo: h["in-reply-to"] ?? null, references: h.references ?? null, raw: x.raw };
      }),
    });
  }
  return null;
}

export const gmail: ProviderModule = { id: "gmail", handle, control, renderFault: (f) => gmailFault(f) };
