import { z } from "zod";
import { campaignStates } from "../../db/schema/campaigns";

const id = z.string().min(1).max(64);
export const workspaceParam = z.object({ workspaceId: id });
export const campaignParam = z.object({ workspaceId: id, campaignId: id });
export const contentParam = z.object({ workspaceId: id, contentId: id });
export const integrationParam = z.object({ workspaceId: id, integrationId: id });

export const EMAIL_PROVIDERS = ["klaviyo", "mailchimp"] as const;
const email = z.string().trim().email().max(320);
const subject = z.string().trim().min(1).max(150);
const preheader = z.string().trim().max(150);
const bodyHtml = z.string().max(200_000);

export const createBody = z
  .strictObject({
    integrationId: id,
    listId: id,
    name: z.string().trim().min(1).max(100).optional(),
    /** An email-kind AI content item: subject, preheader and body come from it unless given here. */
    contentId: id.optional(),
    subject: subject.optional(),
    preheader: preheader.optional(),
    bodyHtml: bodyHtml.optional(),
    bodyText: z.string().max(100_000).optional(),
    fromName: z.string().trim().min(1).max(100),
    replyTo: email,
  })
  .refine((b) => b.contentId || (b.subject && b.bodyHtml?.trim()), { message: "Give a subject and a body, or an email content item (contentId)" });
export type CreateInput = z.infer<typeof createBody>;

export const updateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    subject: subject.optional(),
    preheader: preheader.optional(),
    bodyHtml: bodyHtml.refine((s) => s.trim().length > 0, "The body cannot be empty").optional(),
    bodyText: z.string().max(100_000).optional(),
    listId: id.optional(),
    fromName: z.string().trim().min(1).max(100).optional(),
    replyTo: email.optional(),
    /** The AI email content item the new subject, preheader and body came from (the editor's picker). */
    contentId: id.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: "Nothing to change" });
export type UpdateInput = z.infer<typeof updateBody>;

export const testBody = z.strictObject({ emails: z.array(email).min(1).max(5) });
export const scheduleBody = z.strictObject({ scheduledFor: z.number().int().positive() });
export const listQuery = z.object({ integrationId: id.optional() });

// ---- response bodies

const results = z.object({ recipients: z.number(), delivered: z.number(), opens: z.number(), clicks: z.number(), bounces: z.number(), unsubscribes: z.number(), openRate: z.number().nullable(), clickRate: z.number().nullable(), syncedAt: z.number() }).nullable();

export const campaignView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  integrationId: z.string(),
  provider: z.enum(EMAIL_PROVIDERS),
  name: z.string(),
  subject: z.string(),
  preheader: z.string(),
  fromName: z.string(),
  replyTo: z.string(),
  bodyHtml: z.string(),
  bodyText: z.string(),
  listId: z.string(),
  listName: z.string(),
  contentId: z.string().nullable(),
  state: z.enum(campaignStates),
  providerCampaignId: z.string().nullable(),
  scheduledFor: z.number().nullable(),
  sentAt: z.number().nullable(),
  testSentTo: z.array(z.string()),
  testSentAt: z.number().nullable(),
  lastError: z.string().nullable(),
  /** Opens and clicks from the latest sync of the provider's campaign. */
  results,
  /** The approval path's send_campaign action while it is open (proposed, approved, scheduled, running). */
  pendingAction: z.object({ id: z.string(), state: z.enum(["proposed", "approved", "scheduled", "running"]), scheduledFor: z.number().nullable() }).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type CampaignView = z.infer<typeof campaignView>;

const summaryFields = campaignView.omit({ bodyHtml: true, bodyText: true });
export const campaignListView = z.object({ campaigns: z.array(summaryFields) });
export const campaignEnvelope = z.object({ campaign: campaignView });

export const listsView = z.object({
  integrations: z.array(
    z.object({
      id: z.string(),
      provider: z.enum(EMAIL_PROVIDERS),
      label: z.string(),
      status: z.string(),
      lists: z.array(z.object({ id: z.string(), name: z.string(), memberCount: z.number().nullable() })),
      /** "synced" (from the last sync) or "live" (asked the provider now). */
      source: z.enum(["synced", "live"]),
    }),
  ),
  timeZone: z.string(),
});

/** A campaign's fields made from an AI email content item, before anything is saved. */
export const contentDraftView = z.object({ contentId: z.string(), title: z.string(), subject: z.string(), preheader: z.string(), bodyHtml: z.string(), bodyText: z.string() });
