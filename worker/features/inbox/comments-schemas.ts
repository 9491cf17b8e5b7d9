import { z } from "zod";
import { commentNetworks } from "../../db/schema";

const id = z.string().min(1).max(64);
export const commentParam = z.object({ conversationId: id, messageId: id });
export const hiddenBody = z.strictObject({ hidden: z.boolean() });

export const commentThreadView = z.object({
  network: z.enum(commentNetworks),
  post: z.object({ id: z.string(), message: z.string().nullable(), permalink: z.string().nullable(), imageUrl: z.string().nullable(), publishedAt: z.number().nullable() }).nullable(),
  comments: z.array(z.object({
    messageId: z.string(), commentId: z.string(), parentId: z.string().nullable(), authorName: z.string().nullable(), hidden: z.boolean(), hiddenAt: z.number().nullable(),
    /** Written by the Page / account itself (a reply of the team). */
    own: z.boolean(),
  })),
});
export const hiddenView = z.object({ messageId: z.string(), commentId: z.string(), hidden: z.boolean() });
