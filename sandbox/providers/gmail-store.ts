// The sandbox Gmail users' mailboxes: messages (raw RFC 5322), threads, labels, drafts, and the
// history log that history.list reads (with a horizon: older start ids are "not found", as in Gmail).
import { randomBytes } from "node:crypto";
import { changed, entries, persisted, refill } from "../state.ts";
import { buildMime, generateMailbox, type MailSpec } from "./gmail-mail.ts";

export type Msg = { id: string; threadId: string; labelIds: string[]; internalDate: number; historyId: number; raw: string };
export type HistoryRecord = {
  id: number;
  added?: { id: string; threadId: string; labelIds: string[] };
  labelsRemoved?: { id: string; threadId: string; labelIds: string[]; removed: string[] };
  labelsAdded?: { id: string; threadId: string; labelIds: string[]; added: string[] };
  deleted?: { id: string; threadId: string };
};
export type Box = { user: string; historyId: number; horizon: number; messages: Msg[]; history: HistoryRecord[]; drafts: { id: string; messageId: string }[] };

const boxes = new Map<string, Box>();
persisted("gmail", { save: () => ({ boxes: entries(boxes) }), load: (d) => refill(boxes, d.boxes) });

let seq = 0;
/** Gmail-like ids: 16 hex digits that grow with time. */
const newId = (at: number) => (at.toString(16) + (seq++ % 0x10000).toString(16).padStart(4, "0") + randomBytes(1).toString("hex")).slice(-16).padStart(16, "0");

/** Splits an RFC 5322 text into its header map (lower-case names, unfolded) and body. */
export function headersOf(raw: string): Record<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

/**
 * Lookups a large mailbox needs fast (a 50,000-message benchmark mailbox is read message by
 * message): by id, and the list order. Rebuilt when the store changes a box (`touch`).
 */
type Index = { version: number; messages: Msg[]; byId: Map<string, Msg>; newestFirst: Msg[] };
const indexes = new WeakMap<Box, Index>();
const versions = new WeakMap<Box, number>();
const touch = (box: Box) => versions.set(box, (versions.get(box) ?? 0) + 1);

function indexOf(box: Box): Index {
  const version = versions.get(box) ?? 0;
  const have = indexes.get(box);
  if (have && have.version === version && have.messages === box.messages && box.messages.length === have.byId.size) return have;
  const newestFirst = [...box.messages].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
  const idx = { version, messages: box.messages, byId: new Map(box.messages.map((m) => [m.id, m])), newestFirst };
  indexes.set(box, idx);
  return idx;
}
export const messageById = (box: Box, id: string): Msg | undefined => indexOf(box).byId.get(id);
/** Gmail's list order: newest first (ties by id, descending). */
export const newestFirst = (box: Box): readonly Msg[] => indexOf(box).newestFirst;

function append(box: Box, msg: Omit<Msg, "historyId">): Msg {
  touch(box);
  box.historyId += 1 + Math.floor(Math.random() * 3);
  const m = { ...msg, historyId: box.historyId };
  box.messages.push(m);
  box.history.push({ id: box.historyId, added: { id: m.id, threadId: m.threadId, labelIds: m.labelIds } });
  changed();
  return m;
}

/**
 * A large mailbox for benchmarks: an address with "-messages-N@" holds N messages (at most
 * 200,000) of the usual kinds (leads, client requests, invoices, newsletters, spam), the demo
 * mailbox's mail repeated as new threads and spread over the last 80 days.
 */
function bulkOf(key: string) {
  const n = Number(/-messages-(\d+)@/.exec(key)?.[1] ?? 0);
  if (!n) return null;
  const base = generateMailbox(key);
  const span = 80 * 86_400_000;
  const now = Date.now();
  const out = [];
  for (let i = 0; i < Math.min(n, 200_000); i++) {
    const g = base[i % base.length]!;
    const round = Math.floor(i / base.length);
    out.push({ ...g, thread: g.thread + round * 1000, date: now - 60_000 - Math.floor(((n - i) / n) * span) + (g.date % 60_000), subject: round ? `${g.subject} #${round}` : g.subject });
  }
  return out;
}

export function boxOf(user: string): Box {
  const key = user.toLowerCase();
  const have = boxes.get(key);
  if (have) return have;
  const box: Box = { user: key, historyId: 100_000 + (key.length * 7919) % 50_000, horizon: 0, messages: [], history: [], drafts: [] };
  const firstOfThread = new Map<number, { id: string; messageId: string }>();
  for (const g of bulkOf(key) ?? generateMailbox(key)) {
    const first = firstOfThread.get(g.thread);
    const spec: MailSpec = { ...g, inReplyTo: first ? first.messageId : undefined, references: first ? first.messageId : undefined };
    const { raw, messageId } = buildMime(spec);
    const id = newId(g.date);
    append(box, { id, threadId: first?.id ?? id, labelIds: g.labels, internalDate: g.date, raw });
    if (!first) firstOfThread.set(g.thread, { id, messageId });
  }
  // The generated past is not history a client could have followed: it starts after it.
  box.horizon = box.historyId;
  box.history = [];
  boxes.set(key, box);
  changed();
  return box;
}

/** Adds a message as if it arrived (or was sent/drafted); threads it onto `threadId` when given. */
export function addMessage(box: Box, p: { raw: string; labelIds: string[]; threadId?: string; at?: number }): Msg {
  const at = p.at ?? Date.now();
  const id = newId(at);
  return append(box, { id, threadId: p.threadId ?? id, labelIds: p.labelIds, internalDate: at, raw: p.raw });
}

/** Delivers a new message to the user's inbox (the test/demo control). */
export function deliver(user: string, p: MailSpec & { threadId?: string }): Msg {
  const box = boxOf(user);
  let spec: MailSpec = p;
  if (p.threadId) {
    const parent = [...box.messages].reverse().find((m) => m.threadId === p.threadId);
    const mid = parent ? headersOf(parent.raw)["message-id"] : undefined;
    if (mid) spec = { ...p, inReplyTo: mid, references: [headersOf(parent!.raw).references, mid].filter(Boolean).join(" ") };
  }
  return addMessage(box, { raw: buildMime(spec).raw, labelIds: ["INBOX", "UNREAD", "CATEGORY_PERSONAL"], threadId: p.threadId });
}

export function removeLabels(box: Box, m: Msg, labels: string[]) {
  const removed = m.labelIds.filter((l) => labels.includes(l));
  if (!removed.length) return;
  m.labelIds = m.labelIds.filter((l) => !labels.includes(l));
  touch(box);
  box.historyId += 1;
  box.history.push({ id: box.historyId, labelsRemoved: { id: m.id, threadId: m.threadId, labelIds: m.labelIds, removed } });
  changed();
}

export function addLabels(box: Box, m: Msg, labels: string[]) {
  const added = labels.filter((l) => !m.labelIds.includes(l));
  if (!added.length) return;
  m.labelIds = [...m.labelIds, ...added];
  touch(box);
  box.historyId += 1;
  box.history.push({ id: box.historyId, labelsAdded: { id: m.id, threadId: m.threadId, labelIds: m.labelIds, added } });
  changed();
}

/** messages.trash: TRASH added, INBOX (and the other user labels Gmail keeps) stays off the inbox. */
export function trashMessage(box: Box, m: Msg) {
  addLabels(box, m, ["TRASH"]);
  removeLabels(box, m, ["INBOX", "UNREAD"]);
}

/** messages.delete: gone for good (history says messagesDeleted). */
export function deleteMessage(box: Box, m: Msg) {
  box.messages = box.messages.filter((x) => x !== m);
  box.drafts = box.drafts.filter((d) => d.messageId !== m.id);
  touch(box);
  box.historyId += 1;
  box.history.push({ id: box.historyId, deleted: { id: m.id, threadId: m.threadId } });
  changed();
}

/** History before now is forgotten: any earlier startHistoryId gets 404 (Gmail keeps about a week). */
export function expireHistory(user: string) {
  const box = boxOf(user);
  box.horizon = box.historyId;
  box.history = [];
  changed();
}

export const allBoxes = () => [...boxes.values()];
