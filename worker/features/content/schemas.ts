import { z } from "zod";
import { aiProviders, approverRoles, contentKinds, contentStatuses } from "../../db/schema";

export const contentParam = z.object({ contentId: z.string().min(1).max(64) });
export const workspaceParam = z.object({ workspaceId: z.string().min(1).max(64) });
export const listQuery = z.object({
  kind: z.enum(contentKinds).optional(),
  status: z.enum(contentStatuses).optional(),
  job: z.string().max(64).optional(),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(60),
});
export const editBody = z.strictObject({ title: z.string().trim().min(1).max(200).optional(), body: z.record(z.string(), z.unknown()) });
export const statusBody = z.strictObject({ status: z.enum(["draft", "archived"]) });
export const approvalBody = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const decisionBody = z.strictObject({ decision: z.enum(["approve", "reject"]), note: z.string().trim().max(1000).optional() });
export const commentBody = z.strictObject({ body: z.string().trim().min(1).max(2000) });

// ── Responses (doc({ response })) ──

const body = z.record(z.string(), z.unknown());
const itemFields = {
  id: z.string(), jobId: z.string(), variant: z.number(), kind: z.enum(contentKinds), title: z.string(), body, status: z.enum(contentStatuses),
  provider: z.enum(aiProviders), model: z.string(), version: z.number(), hasImage: z.boolean(), createdBy: z.string().nullable(), createdAt: z.number(), updatedAt: z.number(),
};
export const contentListView = z.object({ items: z.array(z.object(itemFields)) });
/** An item with the prompt and context that made it (P05). */
export const contentViewSchema = z.object({ ...itemFields, workspaceId: z.string(), prompt: z.string(), context: z.record(z.string(), z.unknown()) });
export const contentEditedView = z.object({ content: contentViewSchema });
const commentView = z.object({ id: z.string(), userId: z.string().nullable(), authorName: z.string().nullable(), body: z.string(), createdAt: z.number() });
const approvalEventView = z.object({ id: z.string(), action: z.enum(["requested", "approved", "rejected", "status", "edited"]), toStatus: z.string(), actorId: z.string().nullable(), actorRole: z.string().nullable(), note: z.string().nullable(), createdAt: z.number() });
export const contentDetailView = z.object({ content: contentViewSchema, comments: z.array(commentView), approvals: z.array(approvalEventView), approvers: z.array(z.enum(approverRoles)), canApprove: z.boolean() });
export const versionsView = z.object({ versions: z.array(z.object({ version: z.number(), title: z.string(), body, editedBy: z.string().nullable(), createdAt: z.number() })) });
export const statusView = z.object({ status: z.enum(["draft", "archived"]) });
export const sentForApprovalView = z.object({ status: z.literal("in_review"), notified: z.number() });
export const decisionView = z.object({ status: z.enum(["approved", "rejected"]) });
export const commentCreatedView = z.object({ comment: commentView });
