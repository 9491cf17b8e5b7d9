// Outlook mailboxes over Microsoft Graph: per-folder delta (inbox, then sentitems), one page per
// step, each new message's MIME ($value) through the same ingest as Gmail, threads by
// conversationId, read state from isRead changes. A 410 on a delta link restarts that folder's
// bounded window (what is already stored is skipped). Drafts: createReply + PATCH body; send.
import { and, eq } from "drizzle-orm";
import { inboxMessages } from "../../db/schema";
import type { Ctx } from "../../core/context";
import { ProviderError } from "../../connectors/http";
import { DeltaExpired, outlookApi, type DeltaItem } from "../../connectors/outlook";
import { ingestMessage, markReadByProvider, type MailboxRow } from "./ingest";
import { withMailboxToken } from "./tokens";
import { archiveByProvider, removeByProvider } from "./removals";
import { DAY_MS, type MailTransport, type OutlookState, type TransportCursor, type TransportStep } from "./transport";

const FOLDERS = ["inbox", "sentitems"] as const;
type State = OutlookState;

const fresh = (ctx: Ctx, reason: TransportCursor["reason"], keep: Partial<State> = {}): TransportCursor => ({
  transport: "outlook", phase: "initial", reason, fetched: 0, estimate: null,
  state: { folder: 0, link: null, deltaLinks: {}, since: ctx.now - ctx.config.INBOX_INITIAL_DAYS * DAY_MS, ...keep } satisfies State,
});

async function known(ctx: Ctx, mailbox: MailboxRow, providerId: string) {
  const [row] = await ctx.db.select({ id: inboxMessages.id }).from(inboxMessages).where(and(eq(inboxMessages.mailboxId, mailbox.id), eq(inboxMessages.providerId, providerId))).limit(1);
  return Boolean(row);
}

/**
 * A folder's delta said @removed: the message left it. Where it is now decides: gone or in
 * Deleted Items → deleted here; in the other synced folder → nothing (it arrives there); any
 * other folder (Archive, a user's folder) → archived.
 */
async function mirrorRemovals(ctx: Ctx, mailbox: MailboxRow, removed: string[]) {
  const ids: string[] = [];
  for (const id of removed) if (await known(ctx, mailbox, id)) ids.push(id);
  if (!ids.length) return;
  const deleted: string[] = [];
  const archived: string[] = [];
  await withMailboxToken(ctx, mailbox, async (rt, s) => {
    const [trash, ...synced] = await Promise.all(["deleteditems", ...FOLDERS].map((f) => outlookApi.folderId(rt, s, f)));
    for (const id of ids) {
      const now = await outlookApi.whereIs(rt, s, id);
      if (!now || now.parentFolderId === trash) deleted.push(id);
      else if (!synced.includes(now.parentFolderId)) archived.push(id);
    }
  });
  await removeByProvider({ ctx, input: { mailbox, providerIds: deleted } });
  await archiveByProvider({ ctx, input: { mailbox, providerIds: archived, archived: true } });
}

async function store(ctx: Ctx, mailbox: MailboxRow, folder: string, item: DeltaItem): Promise<boolean> {
  if (item["@removed"] || item.isDraft || !item.conversationId) return false;
  if (await known(ctx, mailbox, item.id)) {
    if (item.isRead) await markReadByProvider({ ctx, input: { mailbox, providerId: item.id } });
    // Back in the inbox (moved there from Archive).
    if (folder === "inbox") await archiveByProvider({ ctx, input: { mailbox, providerIds: [item.id], archived: false } });
    return false;
  }
  const raw = await withMailboxToken(ctx, mailbox, (rt, s) => outlookApi.mime(rt, s, item.id)).catch((err) => {
    // Deleted between the delta page and the fetch: nothing to store.
    if (err instanceof ProviderError && err.opts.status === 404) return null;
    throw err;
  });
  if (!raw) return false;
  const labelIds = folder === "inbox" ? ["INBOX", ...(item.isRead ? [] : ["UNREAD"])] : ["SENT"];
  const internalDate = item.receivedDateTime ? Date.parse(item.receivedDateTime) : ctx.now;
  return ingestMessage({ ctx, input: { mailbox, message: { id: item.id, threadId: item.conversationId, labelIds, internalDate, raw } } });
}

async function step(ctx: Ctx, mailbox: MailboxRow, cursor: TransportCursor | null): Promise<TransportStep> {
  // The first step only records the window's start: progress is visible before any page is read.
  if (!cursor) return { cursor: fresh(ctx, "initial"), done: false, stored: 0 };
  const c = cursor;
  const st = c.state as State;
  const folder = FOLDERS[st.folder] ?? "inbox";
  let page;
  try {
    page = await withMailboxToken(ctx, mailbox, (rt, s) => outlookApi.delta(rt, s, { folder, link: st.link ?? st.deltaLinks[folder] ?? null, since: st.since }));
  } catch (err) {
    if (!(err instanceof DeltaExpired)) throw err;
    // Graph forgot this folder's delta state: walk its window again from the start.
    const deltaLinks = { ...st.deltaLinks };
    delete deltaLinks[folder];
    return { cursor: { ...fresh(ctx, "full-resync", { folder: st.folder, deltaLinks }), fetched: c.fetched }, done: false, stored: 0 };
  }
  let stored = 0;
  for (const item of page.value) if (await store(ctx, mailbox, folder, item)) stored++;
  await mirrorRemovals(ctx, mailbox, page.value.filter((i) => i["@removed"]).map((i) => i.id));
  const fetched = c.fetched + page.value.length;
  if (page["@odata.nextLink"]) return { cursor: { ...c, fetched, state: { ...st, link: page["@odata.nextLink"] } }, done: false, stored };
  const deltaLinks = { ...st.deltaLinks, ...(page["@odata.deltaLink"] ? { [folder]: page["@odata.deltaLink"] } : {}) };
  const next = st.folder + 1;
  if (next < FOLDERS.length) return { cursor: { ...c, fetched, state: { ...st, folder: next, link: null, deltaLinks } }, done: false, stored };
  return { cursor: { ...c, phase: "incremental", fetched: 0, estimate: null, state: { ...st, folder: 0, link: null, deltaLinks } }, done: true, stored };
}

export const outlookTransport: MailTransport = {
  step,
  async createDraft(ctx, mailbox, draft) {
    return withMailboxToken(ctx, mailbox, async (rt, s) => {
      const created = await outlookApi.createReply(rt, s, draft.replyTo);
      await outlookApi.setBody(rt, s, created.id, draft.text);
      return created.id;
    });
  },
  async sendDraft(ctx, mailbox, p) {
    await withMailboxToken(ctx, mailbox, (rt, s) => outlookApi.send(rt, s, p.providerDraftId));
    // Immutable ids: the sent message keeps the draft's id in Sent Items.
    const raw = await withMailboxToken(ctx, mailbox, (rt, s) => outlookApi.mime(rt, s, p.providerDraftId)).catch(() => null);
    return { id: p.providerDraftId, threadId: p.threadKey, message: raw ? { id: p.providerDraftId, threadId: p.threadKey, labelIds: ["SENT"], internalDate: ctx.now, raw } : null };
  },
};
