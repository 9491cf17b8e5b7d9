// iCloud Mail for the sandbox: each user's IMAP folders (INBOX, Sent Messages, Drafts, Junk,
// Deleted Messages, with SPECIAL-USE attributes), UIDs, UIDVALIDITY, flags and INTERNALDATE;
// app-specific passwords (xxxx-xxxx-xxxx-xxxx; revocable); the SMTP outbox. Spoken over TCP by
// ../imap-server.ts and ../smtp-server.ts; the controls here (HTTP) deliver mail, move or delete
// (expunge) it as another client would, change a folder's UIDVALIDITY, revoke a password and tell the Worker where the servers listen.
import { json, readJson, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { headersOf } from "./gmail-store.ts";
import { buildMime, generateMailbox } from "./gmail-mail.ts";

export type IMsg = { uid: number; flags: string[]; internalDate: number; raw: string };
export type IFolder = { name: string; special: string | null; uidValidity: number; uidNext: number; messages: IMsg[] };
export type IBox = { user: string; folders: IFolder[] };
export type Outgoing = { user: string; from: string; to: string[]; raw: string; at: number };

const boxes = new Map<string, IBox>();
const revoked = new Map<string, string[]>();
const outbox: Outgoing[] = [];
persisted("icloud", {
  save: () => ({ boxes: entries(boxes), revoked: entries(revoked), outbox }),
  load: (d) => {
    refill(boxes, d.boxes);
    refill(revoked, d.revoked);
    outbox.splice(0, outbox.length, ...(d.outbox ?? []));
  },
});

export const APP_PASSWORD = /^[a-z]{4}-?[a-z]{4}-?[a-z]{4}-?[a-z]{4}$/;
let validitySeq = Math.floor(Date.now() / 1000) % 1_000_000_000;

export function passwordOk(user: string, password: string): boolean {
  return APP_PASSWORD.test(password) && !(revoked.get(user.toLowerCase()) ?? []).includes(password);
}

export function boxOf(user: string): IBox {
  const key = user.toLowerCase();
  const have = boxes.get(key);
  if (have) return have;
  const folder = (name: string, special: string | null): IFolder => ({ name, special, uidValidity: ++validitySeq, uidNext: 1, messages: [] });
  const box: IBox = { user: key, folders: [folder("INBOX", null), folder("Sent Messages", "\\Sent"), folder("Drafts", "\\Drafts"), folder("Junk", "\\Junk"), folder("Deleted Messages", "\\Trash"), folder("Archive", "\\Archive")] };
  const first = new Map<number, string>();
  for (const g of generateMailbox(`icloud:${key}`)) {
    const root = first.get(g.thread);
    const { raw, messageId } = buildMime({ ...g, to: key, inReplyTo: root, references: root }, "icloud.sandbox.test");
    if (!root) first.set(g.thread, messageId);
    const spam = g.from.includes("winner@prizes-");
    appendTo(box.folders[spam ? 3 : 0]!, raw, g.labels.includes("UNREAD") ? [] : ["\\Seen"], g.date);
  }
  boxes.set(key, box);
  changed();
  return box;
}

export const hasBox = (user: string) => boxes.has(user.toLowerCase());
export const folderOf = (box: IBox, name: string) => box.folders.find((f) => f.name.toLowerCase() === name.toLowerCase() || (name.toUpperCase() === "INBOX" && f.name === "INBOX"));

export function appendTo(f: IFolder, raw: string, flags: string[], at = Date.now()): IMsg {
  const m = { uid: f.uidNext++, flags, internalDate: at, raw };
  f.messages.push(m);
  changed();
  return m;
}

export function recordOutgoing(o: Outgoing) {
  outbox.push(o);
  for (const to of o.to) if (hasBox(to)) appendTo(boxOf(to).folders[0]!, o.raw, []);
  changed();
}

// Where the TCP servers listen (set by server.ts when it starts them). `smtpStarttls` is iCloud's
// submission as it really is (STARTTLS required), with the loopback certificate of sandbox/loopback-cert.ts.
export const endpoints = { imap: { hostname: "127.0.0.1", port: 0 }, smtp: { hostname: "127.0.0.1", port: 0 }, smtpStarttls: { hostname: "127.0.0.1", port: 0 } };

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  if (action === "endpoints" && req.method === "GET") return json(200, endpoints);
  const body = readJson<Record<string, any>>(req) ?? {};
  const user = String(body.user ?? req.url.searchParams.get("user") ?? "").toLowerCase();
  if (!user) return json(400, { error: "user required" });
  const box = boxOf(user);
  if (action === "deliver" && req.method === "POST") {
    const inbox = box.folders[0]!;
    let inReplyTo: string | undefined;
    let references: string | undefined;
    if (body.inReplyTo) {
      const parent = box.folders.flatMap((f) => f.messages).find((m) => headersOf(m.raw)["message-id"] === body.inReplyTo);
      const ph = parent ? headersOf(parent.raw) : {};
      inReplyTo = body.inReplyTo;
      references = [ph.references, body.inReplyTo].filter(Boolean).join(" ");
    }
    const { raw, messageId } = buildMime({ from: body.from ?? "Sandbox Sender <sender@example.test>", to: user, subject: body.subject ?? "Hello", text: body.text ?? "", html: body.html, date: Date.now(), inReplyTo, references }, "icloud.sandbox.test");
    const m = appendTo(inbox, raw, []);
    return json(201, { uid: m.uid, messageId, uidValidity: inbox.uidValidity });
  }
  // The server reassigned the folder's UIDs (a rebuilt mailbox): new UIDVALIDITY, UIDs from 1.
  if (action === "uidvalidity" && req.method === "POST") {
    const f = folderOf(box, String(body.folder ?? "INBOX"));
    if (!f) return json(404, { error: "no such folder" });
    f.uidValidity = ++validitySeq + 1000;
    f.uidNext = 1;
    for (const m of f.messages.sort((a, b) => a.internalDate - b.internalDate)) m.uid = f.uidNext++;
    changed();
    return json(200, { uidValidity: f.uidValidity, uidNext: f.uidNext });
  }
  // Another mail client moved a message (a new UID in the target folder; expunged from its own),
  // or deleted it for good (expunged). Found by folder + uid or by Message-ID.
  if ((action === "move" || action === "delete") && req.method === "POST") {
    const from = folderOf(box, String(body.folder ?? "INBOX"));
    if (!from) return json(404, { error: "no such folder" });
    const m = from.messages.find((x) => (body.uid !== undefined ? x.uid === Number(body.uid) : headersOf(x.raw)["message-id"] === body.messageId));
    if (!m) return json(404, { error: "no such message" });
    let moved: { folder: string; uid: number; uidValidity: number } | null = null;
    if (action === "move") {
      const to = folderOf(box, String(body.to ?? ""));
      if (!to || to === from) return json(400, { error: `to must be another folder: ${box.folders.map((f) => f.name).join(", ")}` });
      const copy = appendTo(to, m.raw, m.flags.filter((f) => f !== "\\Recent"), m.internalDate);
      moved = { folder: to.name, uid: copy.uid, uidValidity: to.uidValidity };
    }
    from.messages.splice(from.messages.indexOf(m), 1);
    changed();
    return json(200, { expunged: { folder: from.name, uid: m.uid }, moved });
  }
  if (action === "revoke" && req.method === "POST") {
    revoked.set(user, [...(revoked.get(user) ?? []), String(body.password ?? "")]);
    changed();
    return json(200, { ok: true });
  }
  if (action === "mailbox" && req.method === "GET") {
    return json(200, {
      folders: box.folders.map((f) => ({
        name: f.name, special: f.special, uidValidity: f.uidValidity, uidNext: f.uidNext,
        messages: f.messages.map((m) => {
          const h = headersOf(m.raw);
          return { uid: m.uid, flags: m.flags, internalDate: m.internalDate, subject: h.subject ?? "", from: h.from ?? "", to: h.to ?? "", messageId: h["message-id"] ?? null, inReplyTo: h["in-reply-to"] ?? null, references: h.references ?? null };
        }),
      })),
      outbox: outbox.filter((o) => o.user === user),
    });
  }
  return null;
}

// Nothing of iCloud is HTTP: the provider segment only carries the controls.
export const icloud: ProviderModule = { id: "icloud", handle: () => null, control };
