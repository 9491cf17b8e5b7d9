import { z } from "zod";
import { conversationStatuses, inboxCategories, priorities, slaStates } from "../../db/schema";

const id = z.string().min(1).max(64);
export const workspaceParam = z.object({ workspaceId: id });
export const orgParam = z.object({ orgId: id });
export const mailboxParam = z.object({ mailboxId: id });
export const conversationParam = z.object({ conversationId: id });
export const attachmentParam = z.object({ conversationId: id, attachmentId: id });

export const connectBody = z.strictObject({ loginHint: z.string().email().max(320).optional() });
/** iCloud: the Apple ID's mail address and an app-specific password (xxxx-xxxx-xxxx-xxxx, from appleid.apple.com). */
export const icloudConnectBody = z.strictObject({
  address: z.string().trim().toLowerCase().email().max(320),
  appPassword: z.string().trim().regex(/^[a-z]{4}-?[a-z]{4}-?[a-z]{4}-?[a-z]{4}$/i, "An app-specific password looks like xxxx-xxxx-xxxx-xxxx"),
});

export const listQuery = z.object({
  status: z.enum(conversationStatuses).default("open"),
  assignee: z.enum(["all", "mine", "unassigned"]).default("all"),
  workspaceId: id.optional(),
  category: z.enum(inboxCategories).optional(),
  sla: z.enum(["at_risk"]).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListQuery = z.infer<typeof listQuery>;

export const conversationPatch = z
  .strictObject({
    status: z.enum(conversationStatuses).optional(),
    snoozedUntil: z.number().int().positive().optional(),
    assigneeId: id.nullable().optional(),
    labels: z.array(z.string().min(1).max(40)).max(20).optional(),
    priority: z.enum(priorities).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: "Nothing to change" })
  .refine((p) => p.snoozedUntil === undefined || p.status === "snoozed", { message: "snoozedUntil goes with status \"snoozed\"", path: ["snoozedUntil"] })
  .refine((p) => p.status !== "snoozed" || p.snoozedUntil !== undefined, { message: "Snoozing needs snoozedUntil (when the conversation comes back)", path: ["snoozedUntil"] });
export type ConversationPatch = z.infer<typeof conversationPatch>;

export const noteBody = z.strictObject({ body: z.string().trim().min(1).max(10_000) });
export const draftBody = z.strictObject({ body: z.string().trim().min(1).max(50_000), draftId: id.optional() });
export const replyBody = z.strictObject({ body: z.string().trim().min(1).max(50_000).optional(), draftId: id.optional() }).refine((b) => b.body || b.draftId, { message: "Give the reply's text or a saved draft" });
export const imagesBody = z.strictObject({ sender: z.string().email().max(320) });

// ---- response bodies

const participant = z.object({ name: z.string().nullable(), address: z.string() });
export const mailboxViewSchema = z.object({
  id: z.string(), workspaceId: z.string(), provider: z.string(), address: z.string(), status: z.enum(["active", "needs_reconnect", "error", "disconnected"]),
  sync: z.object({
    phase: z.string(), fetched: z.number(), estimate: z.number().nullable(), historyId: z.string().nullable(), waitingUntil: z.number().nullable(),
    /** Where the sync's time went since the last full sync began (wall ms; classification's AI provider time apart). */
    timings: z.object({ steps: z.number(), messages: z.number(), listMs: z.number(), fetchMs: z.number(), parseMs: z.number(), storeMs: z.number(), triageMs: z.number(), classified: z.number(), aiProviderMs: z.number() }).optional(),
  }),
  messagesSynced: z.number(), lastSyncAt: z.number().nullable(), lastError: z.string().nullable(), connectedAt: z.number(),
});
export const mailboxListView = z.object({ mailboxes: z.array(mailboxViewSchema) });
export const connectStartedView = z.object({ kind: z.literal("redirect"), authorizeUrl: z.string() });
export const syncQueuedView = z.object({ state: z.string() });
export const conversationViewSchema = z.object({
  id: z.string(), workspaceId: z.string(), mailboxId: z.string(), mailboxAddress: z.string().nullable(), transport: z.string(), subject: z.string(), snippet: z.string(),
  status: z.enum(conversationStatuses), snoozedUntil: z.number().nullable(), priority: z.enum(priorities), assigneeId: z.string().nullable(), labels: z.array(z.string()),
  participants: z.array(participant), unreadCount: z.number(), messageCount: z.number(), waitingSince: z.number().nullable(), firstResponseAt: z.number().nullable(),
  resolvedAt: z.number().nullable(), lastMessageAt: z.number(),
  category: z.enum(inboxCategories).nullable(), summary: z.string().nullable(), categoryReason: z.string().nullable(), categoryModel: z.string().nullable(),
  slaState: z.enum(slaStates).nullable(), slaDueAt: z.number().nullable(),
});
export const conversationListView = z.object({
  conversations: z.array(conversationViewSchema),
  counts: z.object({ open: z.number(), unread: z.number(), mine: z.number(), unassigned: z.number(), atRisk: z.number(), snoozed: z.number() }),
});
const attachmentView = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number() });
const messageView = z.object({
  id: z.string(), direction: z.enum(["in", "out"]), from: participant, to: z.array(participant), cc: z.array(participant), subject: z.string(), date: z.number(), unread: z.boolean(),
  snippet: z.string(), text: z.string(), html: z.string().nullable(), remoteImages: z.number(), imagesAllowed: z.boolean(), headers: z.record(z.string(), z.string()),
  messageId: z.string().nullable(), attachments: z.array(attachmentView),
  /** Archived at the provider (left its inbox without being deleted). */
  archived: z.boolean(),
});
export const noteView = z.object({ id: z.string(), body: z.string(), authorId: z.string().nullable(), createdAt: z.number() });
export const draftView = z.object({ id: z.string(), body: z.string(), providerDraftId: z.string().nullable(), updatedAt: z.number() });
export const threadViewSchema = z.object({
  conversation: conversationViewSchema,
  messages: z.array(messageView),
  notes: z.array(noteView.extend({ authorName: z.string().nullable() })),
  drafts: z.array(draftView),
  ruleRuns: z.array(z.object({ id: z.string(), ruleId: z.string().nullable(), reason: z.string(), outcome: z.string(), createdAt: z.number() })),
});
export const replySentView = z.object({ sent: z.literal(true), draftId: z.string(), providerMessageId: z.string(), conversation: conversationViewSchema });
