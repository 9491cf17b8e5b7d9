// What a mail transport other than Gmail gives the inbox (Outlook over Graph, iCloud over
// IMAP/SMTP): one resumable sync step from its own cursor, a reply draft saved in the provider,
// and sending that draft. Gmail keeps its own path in sync.ts / reply.ts.
import type { Ctx } from "../../core/context";
import type { MailboxRow, ProviderMessage } from "./ingest";

/** The initial (and full-resync) window is INBOX_INITIAL_DAYS (90 by default), as for Gmail. */
export const DAY_MS = 86_400_000;

/** Outlook: the folder being walked, the nextLink to continue with, each folder's deltaLink, the window start. */
export type OutlookState = { folder: number; link: string | null; deltaLinks: Record<string, string>; since: number };
/** iCloud: per folder (inbox, sent) its name, UIDVALIDITY and the last UID stored. */
export type ImapFolderState = { name: string; uidValidity: number; lastUid: number };
export type IcloudState = { folder: number; folders: Record<string, ImapFolderState>; since: number };
/**
 * Page / IG comments: the recent posts being walked, the post at hand and its comments' `after`
 * cursor; `seen` the comment ids read of this post so far and `since` when its reading began (a
 * stored comment of the post that the whole pass did not list was deleted at the network).
 */
export type CommentsState = { posts: string[]; post: number; after: string | null; seen?: string[]; since?: number };

export type TransportCursor = {
  transport: "outlook" | "icloud" | "comments";
  phase: "initial" | "incremental";
  reason: "initial" | "full-resync";
  fetched: number;
  estimate: number | null;
  /** The transport's own position (Graph delta links per folder; IMAP UIDVALIDITY + last UID per folder). */
  state: OutlookState | IcloudState | CommentsState;
};

export type TransportStep = { cursor: TransportCursor; done: boolean; stored: number };

export type DraftRequest = {
  /** The conversation's thread key (Graph conversationId, the root Message-ID for iCloud). */
  threadKey: string;
  /** The provider id of the message answered (Graph createReply needs it). */
  replyTo: string;
  /** The reply as RFC 5322 (In-Reply-To/References set), for transports that store MIME (IMAP APPEND). */
  raw: Uint8Array;
  text: string;
};

export interface MailTransport {
  step(ctx: Ctx, mailbox: MailboxRow, cursor: TransportCursor | null): Promise<TransportStep>;
  createDraft(ctx: Ctx, mailbox: MailboxRow, draft: DraftRequest): Promise<string>;
  /** Sends the saved draft; `message` is the sent message when the transport can read it back at once. */
  sendDraft(ctx: Ctx, mailbox: MailboxRow, p: { providerDraftId: string; threadKey: string }): Promise<{ id: string; threadId: string; message: ProviderMessage | null }>;
}

export const isTransportCursor = (c: unknown): c is TransportCursor => typeof c === "object" && c !== null && "transport" in c;
