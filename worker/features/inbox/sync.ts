// One step of a mailbox sync at a time, resumable from its cursor (the Mailbox DO keeps it):
// initial = the last INITIAL_DAYS days, at most INITIAL_MAX messages, a page per step, from a
// historyId taken before listing so nothing arriving meanwhile is lost; then incremental from
// historyId. Gmail's 404 on a stale historyId falls back to the same bounded full sync.
import { and, count, eq, isNull } from "drizzle-orm";
import { inboxMessages, mailboxes, type MailboxSyncSummary } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { decodeBase64Url, gmailApi, GMAIL_BATCH_MAX, HistoryExpired, type HistoryPage, type RawMessage } from "../../connectors/gmail";
import { archiveByProvider, removeByProvider } from "./removals";
import { ProviderError } from "../../connectors/http";
import { ingestMessages, markReadByProvider, type MailboxRow, type ProviderMessage } from "./ingest";
import { mapLimit } from "./concurrency";
import { addTiming, noTiming, type StepTiming } from "./timing";
import { withGmail } from "./tokens";
import { isTransportCursor, type TransportCursor } from "./transport";
import { transportOf } from "./transports";

/** The defaults of INBOX_INITIAL_DAYS / INBOX_INITIAL_MAX (worker/env.ts). */
export const INITIAL_DAYS = 90;
export const INITIAL_MAX = 300;
/**
 * Messages listed per initial-sync step (Gmail allows 500), fetched GMAIL_BATCH_MAX per batch
 * request, BATCHES_IN_FLIGHT batches side by side. (bench/inbox.bench.mjs: one messages.get per
 * message cost more Worker time per message than parsing it.)
 */
const PAGE = 500;
const BATCHES_IN_FLIGHT = 4;
/** Initial-sync pages per step: the next page's listing and fetch overlap with storing the current one. */
const PAGES_PER_STEP = 4;

/** The initial window's bounds (INBOX_INITIAL_MAX / INBOX_INITIAL_DAYS; the benchmark lifts them). */
export const initialBounds = (ctx: Ctx) => ({ max: ctx.config.INBOX_INITIAL_MAX, days: ctx.config.INBOX_INITIAL_DAYS });

/**
 * Deletions and moves made in Gmail, in history order: messagesDeleted and TRASH added → the
 * message goes; INBOX removed → archived; INBOX added → back in the inbox.
 */
async function mirrorGmailRemovals(ctx: Ctx, mailbox: MailboxRow, history: NonNullable<HistoryPage["history"]>) {
  for (const h of history) {
    const deleted = [...(h.messagesDeleted ?? []).map((d) => d.message.id), ...(h.labelsAdded ?? []).filter((a) => a.labelIds.includes("TRASH")).map((a) => a.message.id)];
    if (deleted.length) await removeByProvider({ ctx, input: { mailbox, providerIds: deleted } });
    const archived = (h.labelsRemoved ?? []).filter((r) => r.labelIds.includes("INBOX")).map((r) => r.message.id);
    if (archived.length) await archiveByProvider({ ctx, input: { mailbox, providerIds: archived, archived: true } });
    const back = (h.labelsAdded ?? []).filter((a) => a.labelIds.includes("INBOX")).map((a) => a.message.id);
    if (back.length) await archiveByProvider({ ctx, input: { mailbox, providerIds: back, archived: false } });
  }
}

export type SyncCursor =
  | { phase: "initial"; reason: "initial" | "full-resync"; startHistoryId: string; pageToken: string | null; fetched: number; estimate: number | null }
  | { phase: "incremental"; historyId: string }
  | TransportCursor;

export type StepResult = { cursor: SyncCursor | null; done: boolean; stored: number; stop?: boolean };

export async function activeMailbox(ctx: Ctx, id: string): Promise<MailboxRow | null> {
  const [row] = await ctx.db.select().from(mailboxes).where(and(eq(mailboxes.id, id), isNull(mailboxes.disconnectedAt))).limit(1);
  return row ?? null;
}

type Fetched = { messages: ProviderMessage[]; failure: unknown };

/**
 * Fetches the messages (in batch requests, one credential read for all). A failure (a rate limit,
 * a 5xx) stops fetching more; what was fetched until then comes back with the failure, so that it
 * is stored before the error goes up and a retried page only fetches the rest.
 */
async function fetchMessages(ctx: Ctx, mailbox: MailboxRow, ids: string[], timing?: StepTiming): Promise<Fetched> {
  const got = new Map<string, RawMessage>();
  let failure: unknown = null;
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += GMAIL_BATCH_MAX) batches.push(ids.slice(i, i + GMAIL_BATCH_MAX));
  const t0 = Date.now();
  await withGmail(ctx, mailbox, (rt, s) =>
    mapLimit(batches, BATCHES_IN_FLIGHT, async (batch) => {
      const todo = batch.filter((id) => !got.has(id));
      if (failure || !todo.length) return;
      let answers: (RawMessage | ProviderError)[];
      try {
        answers = await gmailApi.getRawMany(rt, s, todo);
      } catch (err) {
        // A 401 goes up at once so that withGmail refreshes the token and fetches the rest again.
        if (err instanceof ProviderError && err.kind === "unauthorized") throw err;
        failure ??= err;
        return;
      }
      let unauthorized: ProviderError | null = null;
      answers.forEach((a, i) => {
        if (!(a instanceof ProviderError)) got.set(todo[i]!, a);
        // Deleted between the listing and the fetch: nothing to store.
        else if (a.opts.status === 404) return;
        else if (a.kind === "unauthorized") unauthorized ??= a;
        else failure ??= a;
      });
      if (unauthorized) throw unauthorized;
    }),
  );
  if (timing) timing.fetchMs += Date.now() - t0;
  const messages = ids.flatMap((id) => {
    const m = got.get(id);
    return m && !(m.labelIds ?? []).includes("DRAFT") ? [{ id: m.id, threadId: m.threadId, labelIds: m.labelIds ?? [], internalDate: Number(m.internalDate), raw: decodeBase64Url(m.raw) }] : [];
  });
  return { messages, failure };
}

/** Fetches the messages and stores them as one page; a fetch failure goes up after what was fetched is stored. */
async function fetchAndStore(ctx: Ctx, mailbox: MailboxRow, ids: string[], timing?: StepTiming): Promise<number> {
  const { messages, failure } = await fetchMessages(ctx, mailbox, ids, timing);
  const stored = await ingestMessages({ ctx, input: { mailbox, messages, timing } });
  if (failure) throw failure;
  return stored;
}

const fullSync = async (ctx: Ctx, mailbox: MailboxRow, reason: "initial" | "full-resync"): Promise<SyncCursor> => {
  const profile = await withGmail(ctx, mailbox, (rt, s) => gmailApi.profile(rt, s));
  return { phase: "initial", reason, startHistoryId: profile.historyId, pageToken: null, fetched: 0, estimate: null };
};

async function step(ctx: Ctx, mailbox: MailboxRow, cursor: SyncCursor | null, timing: StepTiming): Promise<StepResult> {
  const transport = transportOf(mailbox.provider);
  if (transport) return transport.step(ctx, mailbox, isTransportCursor(cursor) ? cursor : null);
  if (isTransportCursor(cursor)) cursor = null;
  if (!cursor) return { cursor: await fullSync(ctx, mailbox, "initial"), done: false, stored: 0 };
  if (cursor.phase === "initial") {
    const { max, days } = initialBounds(ctx);
    const c = cursor;
    const listed = async (pageToken: string | null, fetched: number) => {
      const t0 = Date.now();
      const page = await withGmail(ctx, mailbox, (rt, s) =>
        gmailApi.list(rt, s, { q: `newer_than:${days}d -in:chats`, pageToken: pageToken ?? undefined, maxResults: Math.min(PAGE, max - fetched) }),
      );
      timing.listMs += Date.now() - t0;
      const ids = (page.messages ?? []).map((m) => m.id);
      return { page, ids, fetched: fetched + ids.length, got: await fetchMessages(ctx, mailbox, ids, timing) };
    };
    // Up to PAGES_PER_STEP pages, the next one listed and fetched while this one is parsed and
    // stored. The cursor moves past a page only once it is stored; the first page's fetch failure
    // goes up (after storing what came), a later page's ends the step at the page before it, so
    // that the next step retries it as its first.
    let current = await listed(c.pageToken, c.fetched);
    let at: SyncCursor & { phase: "initial" } = c;
    let stored = 0;
    for (let n = 1; ; n++) {
      const { page, fetched, got } = current;
      const more = Boolean(page.nextPageToken) && fetched < max;
      const ahead = more && !got.failure && n < PAGES_PER_STEP ? listed(page.nextPageToken!, fetched).catch((err: unknown) => ({ err })) : null;
      if (got.failure && n > 1) {
        await ahead;
        return { cursor: at, done: false, stored };
      }
      stored += await ingestMessages({ ctx, input: { mailbox, messages: got.messages, timing } });
      if (got.failure) throw got.failure;
      const estimate = Math.min(max, page.resultSizeEstimate ?? fetched);
      // Listed all of the window: catch up on what arrived since the listing began.
      if (!more) return { cursor: { phase: "incremental", historyId: c.startHistoryId }, done: false, stored };
      at = { ...c, pageToken: page.nextPageToken!, fetched, estimate };
      const next = ahead && (await ahead);
      if (!next || "err" in next) return { cursor: at, done: false, stored };
      current = next;
    }
  }
  let pageToken: string | undefined;
  let stored = 0;
  let historyId = cursor.historyId;
  try {
    do {
      const page = await withGmail(ctx, mailbox, (rt, s) => gmailApi.history(rt, s, { startHistoryId: cursor.historyId, pageToken }));
      const added = (page.history ?? []).flatMap((h) => (h.messagesAdded ?? []).map((a) => a.message)).filter((m) => !(m.labelIds ?? []).includes("DRAFT"));
      stored += await fetchAndStore(ctx, mailbox, [...new Set(added.map((m) => m.id))], timing);
      for (const h of page.history ?? []) for (const r of h.labelsRemoved ?? []) if (r.labelIds.includes("UNREAD")) await markReadByProvider({ ctx, input: { mailbox, providerId: r.message.id } });
      await mirrorGmailRemovals(ctx, mailbox, page.history ?? []);
      historyId = page.historyId;
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (err) {
    if (err instanceof HistoryExpired) return { cursor: await fullSync(ctx, mailbox, "full-resync"), done: false, stored };
    throw err;
  }
  return { cursor: { phase: "incremental", historyId }, done: true, stored };
}

export function summaryOf(cursor: SyncCursor | null, waitingUntil: number | null = null): MailboxSyncSummary {
  if (!cursor) return { phase: "initial", fetched: 0, estimate: null, historyId: null, waitingUntil };
  if (isTransportCursor(cursor)) return { phase: waitingUntil ? "waiting" : cursor.phase === "initial" ? cursor.reason : "idle", fetched: cursor.fetched, estimate: cursor.estimate, historyId: null, waitingUntil };
  if (cursor.phase === "initial") return { phase: waitingUntil ? "waiting" : cursor.reason, fetched: cursor.fetched, estimate: cursor.estimate, historyId: null, waitingUntil };
  return { phase: waitingUntil ? "waiting" : "idle", fetched: 0, estimate: null, historyId: cursor.historyId, waitingUntil };
}

/** What is stored, counted (a step that failed half-way still stored its first messages). */
const storedCount = async (ctx: Ctx, mailboxId: string) =>
  (await ctx.db.select({ n: count() }).from(inboxMessages).where(eq(inboxMessages.mailboxId, mailboxId)))[0]?.n ?? 0;

/** One resumable step; records progress on the mailbox row. The DO stores the returned cursor. */
export async function syncStep({ ctx, input }: { ctx: Ctx; input: { mailboxId: string; cursor: SyncCursor | null } }): Promise<StepResult> {
  const mailbox = await activeMailbox(ctx, input.mailboxId);
  if (!mailbox || mailbox.status === "needs_reconnect") return { cursor: input.cursor, done: true, stored: 0, stop: true };
  const timing = { ...noTiming(), steps: 1 };
  const r = await step(ctx, mailbox, input.cursor, timing);
  // A full sync (first, or after Gmail forgot the history) starts its timings afresh.
  const fresh = !input.cursor || (r.cursor && !isTransportCursor(r.cursor) && r.cursor.phase === "initial" && (isTransportCursor(input.cursor) || input.cursor.phase !== "initial"));
  const summary = { ...summaryOf(r.cursor), timings: addTiming(fresh ? undefined : mailbox.sync.timings, timing) };
  await ctx.db.update(mailboxes).set({
    sync: r.done ? { ...summary, phase: "idle" } : summary,
    messagesSynced: await storedCount(ctx, mailbox.id),
    status: "active",
    lastError: null,
    ...(r.done ? { lastSyncAt: ctx.now } : {}),
    updatedAt: ctx.now,
  }).where(eq(mailboxes.id, mailbox.id));
  return r;
}

/** A failed step, in words for the settings page. */
export async function recordSyncError({ ctx, input }: { ctx: Ctx; input: { mailboxId: string; message: string; cursor: SyncCursor | null; waitingUntil: number | null } }) {
  const messagesSynced = await storedCount(ctx, input.mailboxId);
  const [had] = await ctx.db.select({ sync: mailboxes.sync }).from(mailboxes).where(eq(mailboxes.id, input.mailboxId)).limit(1);
  const sync = { ...summaryOf(input.cursor, input.waitingUntil), ...(had?.sync.timings ? { timings: had.sync.timings } : {}) };
  await ctx.db.update(mailboxes).set({ lastError: input.message, sync, messagesSynced, updatedAt: ctx.now }).where(eq(mailboxes.id, input.mailboxId));
}
