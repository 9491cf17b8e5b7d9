import { z } from "zod";
import { contentKinds, contentStatuses } from "../../db/schema";

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
