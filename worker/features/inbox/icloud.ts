// iCloud mailboxes over IMAP and SMTP submission with an app-specific password (in the vault).
// Sync: INBOX, then the \Sent folder ("Sent Messages"), by UID: the first pass takes the window
// (UID SEARCH SINCE), later passes UID lastUid+1:*; a changed UIDVALIDITY means the folder's UIDs
// were reassigned, so that folder is walked again (messages are keyed by Message-ID, so nothing
// is stored twice). No IDLE or CONDSTORE: the Mailbox DO's alarm polls; read state is taken at
// fetch time. Threads: the root Message-ID of References / In-Reply-To.
// Drafts are APPENDed to \Drafts; sending submits the draft over SMTP, APPENDs it to \Sent
// (iCloud does not file SMTP submissions itself) and removes the draft.
import { eq } from "drizzle-orm";
import { mailboxes } from "../../db/schema";
import type { Ctx, TenantCtx } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { readConfig } from "../../env";
import { ProviderError } from "../../connectors/http";
import { icloudEndpoints, imapSearchDate, submit, withImap, workerSockets, type ImapClient } from "../../connectors/icloud";
import { parseMail } from "../../connectors/gmail";
import { openMailboxSecrets } from "./credentials";
import { ingestMessage, type MailboxRow, type ProviderMessage } from "./ingest";
import { storeMailbox } from "./mailboxes";
import { MailboxNeedsReconnect } from "./tokens";
import { archiveByProvider, missingImapRefs, removeByProvider, setImapRef } from "./removals";
import { DAY_MS, type IcloudState, type ImapFolderState, type MailTransport, type TransportCursor, type TransportStep } from "./transport";

const PAGE = 25;
const KINDS = [
  { kind: "inbox", special: null, fallback: "INBOX" },
  { kind: "sent", special: "\\Sent", fallback: "Sent Messages" },
] as const;
type State = IcloudState;
type FolderState = ImapFolderState;

/** The few headers threading and identity need, from the raw header block. */
export function mailHeaders(raw: Uint8Array): Record<string, string> {
  const text = new TextDecoder("latin1").decode(raw.subarray(0, 65_536));
  const head = text.split(/\r?\n\r?\n/)[0] ?? "";
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return out;
}

const ids = (v: string | undefined) => (v ?? "").match(/<[^<>\s]+>/g) ?? [];

/** Message-ID keys a message across folders and UIDVALIDITY changes; the thread is its root. */
export function identityOf(raw: Uint8Array, fallback: string): { id: string; threadId: string } {
  const h = mailHeaders(raw);
  const own = ids(h["message-id"])[0];
  const root = ids(h.references)[0] ?? ids(h["in-reply-to"])[0] ?? own;
  return { id: own ? `mid:${own}` : fallback, threadId: root ? `mid:${root}` : fallback };
}

async function folderName(imap: ImapClient, special: string | null, fallback: string) {
  if (!special) return fallback;
  const folders = await imap.list();
  return folders.find((f) => f.attributes.some((a) => a.toLowerCase() === special.toLowerCase()))?.name ?? folders.find((f) => f.name === fallback)?.name ?? fallback;
}

/** Runs `fn` logged in to the mailbox's IMAP; a refused login marks the mailbox needs_reconnect. */
async function withIcloud<T>(ctx: Ctx, mailbox: MailboxRow, fn: (imap: ImapClient, auth: { user: string; password: string }) => Promise<T>): Promise<T> {
  const secrets = await openMailboxSecrets(ctx.env, ctx.db, mailbox);
  if (!secrets.password) throw new MailboxNeedsReconnect("No app-specific password is stored for this mailbox");
  const auth = { user: mailbox.address, password: secrets.password };
  const endpoints = await icloudEndpoints(ctx.env);
  try {
    return await withImap(workerSockets, endpoints.imap, auth, readConfig(ctx.env).PROVIDER_TIMEOUT_MS, (imap) => fn(imap, auth));
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "unauthorized") {
      const reason = `iCloud refused the app-specific password (${err.message}); create a new one at appleid.apple.com and reconnect the mailbox`;
      await ctx.db.update(mailboxes).set({ status: "needs_reconnect", lastError: reason, updatedAt: ctx.now }).where(eq(mailboxes.id, mailbox.id));
      throw new MailboxNeedsReconnect(reason);
    }
    throw err;
  }
}

const fresh = (ctx: Ctx): TransportCursor => ({ transport: "icloud", phase: "initial", reason: "initial", fetched: 0, estimate: null, state: { folder: 0, folders: {}, since: ctx.now - ctx.config.INBOX_INITIAL_DAYS * DAY_MS } satisfies State });

async function step(ctx: Ctx, mailbox: MailboxRow, cursor: TransportCursor | null): Promise<TransportStep> {
  if (!cursor) return { cursor: fresh(ctx), done: false, stored: 0 };
  const c = cursor;
  const st = c.state as State;
  const spec = KINDS[st.folder] ?? KINDS[0];
  return withIcloud(ctx, mailbox, async (imap) => {
    let f = st.folders[spec.kind];
    const name = f?.name ?? (await folderName(imap, spec.special, spec.fallback));
    const sel = await imap.examine(name);
    let reason = c.reason;
    let phase = c.phase;
    if (!f || f.uidValidity !== sel.uidValidity) {
      // UIDVALIDITY changed: every UID of this folder may mean another message now.
      if (f) {
        reason = "full-resync";
        phase = "initial";
      }
      f = { name, uidValidity: sel.uidValidity, lastUid: 0 };
    }
    const criteria = f.lastUid === 0 || phase === "initial" ? `UID ${f.lastUid + 1}:* SINCE ${imapSearchDate(st.since)}` : `UID ${f.lastUid + 1}:*`;
    // "n:*" always matches the highest UID, even below n: keep only the new ones.
    const uids = (await imap.uidSearch(criteria)).filter((u) => u > f.lastUid);
    const batch = uids.slice(0, PAGE);
    let stored = 0;
    for (const m of await imap.uidFetch(batch)) {
      if (m.flags.includes("\\Deleted") || m.flags.includes("\\Draft")) continue;
      const who = identityOf(m.raw, `uid:${spec.kind}:${f.uidValidity}:${m.uid}`);
      const labelIds = spec.kind === "inbox" ? ["INBOX", ...(m.flags.includes("\\Seen") ? [] : ["UNREAD"])] : ["SENT"];
      const message: ProviderMessage = { id: who.id, threadId: who.threadId, labelIds, internalDate: Number.isFinite(m.internalDate) ? m.internalDate : ctx.now, raw: m.raw };
      if (await ingestMessage({ ctx, input: { mailbox, message } })) stored++;
      // Back in the inbox (moved there again from Archive): no longer archived.
      else if (spec.kind === "inbox") await archiveByProvider({ ctx, input: { mailbox, providerIds: [who.id], archived: false } });
      await setImapRef({ ctx, input: { mailbox, providerId: who.id, ref: `${spec.kind}:${f.uidValidity}:${m.uid}` } });
    }
    const more = uids.length > batch.length;
    // The folder walked to its end on an unchanged UIDVALIDITY: the UIDs stored before that the
    // server no longer has were expunged or moved away.
    if (!more && phase === "incremental" && f.lastUid > 0) await mirrorVanished(ctx, mailbox, imap, spec.kind, f);
    const lastUid = more ? batch.at(-1)! : Math.max(f.lastUid, batch.at(-1) ?? 0, sel.uidNext - 1);
    const folders = { ...st.folders, [spec.kind]: { ...f, lastUid } };
    const fetched = c.fetched + batch.length;
    if (more) return { cursor: { ...c, phase, reason, fetched, state: { ...st, folders } }, done: false, stored };
    if (st.folder + 1 < KINDS.length) return { cursor: { ...c, phase, reason, fetched, state: { ...st, folder: st.folder + 1, folders } }, done: false, stored };
    return { cursor: { ...c, phase: "incremental", reason, fetched: 0, estimate: null, state: { ...st, folder: 0, folders } }, done: true, stored };
  });
}

/**
 * UID SEARCH of what the folder still has up to the last UID seen, against what is stored of it:
 * each missing one is looked for by Message-ID in \Archive (archived there) and otherwise is
 * deleted here too (expunged, or in Deleted Messages).
 */
async function mirrorVanished(ctx: Ctx, mailbox: MailboxRow, imap: ImapClient, kind: string, f: FolderState) {
  const present = new Set(await imap.uidSearch(`UID 1:${f.lastUid}`));
  const gone = await missingImapRefs({ ctx, input: { mailbox, kind, uidValidity: f.uidValidity, present, upTo: f.lastUid } });
  if (!gone.length) return;
  const archived: string[] = [];
  const deleted: string[] = [];
  const archive = await folderName(imap, "\\Archive", "Archive");
  const exists = (await imap.list()).some((x) => x.name === archive);
  if (exists) await imap.examine(archive);
  for (const id of gone) {
    const mid = id.startsWith("mid:") ? id.slice(4) : "";
    const there = exists && /^<[^<>\s"]+>$/.test(mid) ? (await imap.uidSearch(`HEADER Message-ID "${mid}"`)).length > 0 : false;
    (there ? archived : deleted).push(id);
  }
  await removeByProvider({ ctx, input: { mailbox, providerIds: deleted } });
  await archiveByProvider({ ctx, input: { mailbox, providerIds: archived, archived: true } });
}

const DRAFT_PREFIX = "imap-draft:";

export const icloudTransport: MailTransport = {
  step,
  async createDraft(ctx, mailbox, draft) {
    return withIcloud(ctx, mailbox, async (imap) => {
      const name = await folderName(imap, "\\Drafts", "Drafts");
      await imap.append(name, draft.raw, ["\\Draft", "\\Seen"]);
      // Found again by its Message-ID (stable, unlike a UID without UIDPLUS).
      return `${DRAFT_PREFIX}${identityOf(draft.raw, "").id.slice(4)}`;
    });
  },
  async sendDraft(ctx, mailbox, p) {
    const messageId = p.providerDraftId.startsWith(DRAFT_PREFIX) ? p.providerDraftId.slice(DRAFT_PREFIX.length) : "";
    if (!/^<[^<>\s"]+>$/.test(messageId)) throw new ProviderError("permanent", "icloud: the draft's id is not a Message-ID", { provider: "icloud" });
    return withIcloud(ctx, mailbox, async (imap, auth) => {
      const drafts = await folderName(imap, "\\Drafts", "Drafts");
      await imap.select(drafts);
      const [uid] = await imap.uidSearch(`HEADER Message-ID "${messageId}"`);
      const [found] = uid ? await imap.uidFetch([uid]) : [];
      if (!found) throw new ProviderError("permanent", "icloud: the draft is no longer in the Drafts folder", { provider: "icloud" });
      const mail = await parseMail(found.raw);
      const to = [...mail.to, ...mail.cc].map((a) => a.address);
      await submit(workerSockets, (await icloudEndpoints(ctx.env)).smtp, auth, readConfig(ctx.env).PROVIDER_TIMEOUT_MS, { from: mailbox.address, to, raw: found.raw });
      const who = identityOf(found.raw, `sent:${messageId}`);
      // Sent: filed in \Sent and the draft removed, best effort (the mail is already on its way).
      try {
        await imap.append(await folderName(imap, "\\Sent", "Sent Messages"), found.raw, ["\\Seen"]);
        await imap.deleteUid(found.uid);
      } catch (err) {
        console.warn(JSON.stringify({ level: "warn", event: "icloud-file-sent-failed", mailboxId: mailbox.id, error: err instanceof Error ? err.message : "unknown" }));
      }
      return { id: who.id, threadId: p.threadKey, message: { id: who.id, threadId: p.threadKey, labelIds: ["SENT"], internalDate: ctx.now, raw: found.raw } };
    });
  },
};

/** Connect: the address and app-specific password are checked by a real IMAP login before anything is stored. */
export async function connectIcloud({ ctx, input }: { ctx: TenantCtx; input: { address: string; appPassword: string } }): Promise<MailboxRow> {
  const auth = { user: input.address, password: input.appPassword };
  try {
    const endpoints = await icloudEndpoints(ctx.env);
    await withImap(workerSockets, endpoints.imap, auth, readConfig(ctx.env).PROVIDER_TIMEOUT_MS, (imap) => imap.examine("INBOX"));
  } catch (err) {
    if (err instanceof ProviderError && err.kind === "unauthorized") throw new ApiError("UNPROCESSABLE", "iCloud did not accept this address and app-specific password. Create an app-specific password at appleid.apple.com (Sign-In and Security) and try again.");
    if (err instanceof ProviderError && err.kind === "permanent") throw new ApiError("UNPROCESSABLE", `iCloud refused the mailbox: ${err.message}`);
    throw new ApiError("BAD_GATEWAY", "iCloud Mail could not be reached; try again in a moment");
  }
  return storeMailbox(ctx.env, ctx.db, ctx.tenant, "icloud", input.address, { secrets: { password: input.appPassword }, scopes: [], expiresAt: null }, ctx.now);
}
