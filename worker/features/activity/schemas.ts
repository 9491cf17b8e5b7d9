import { z } from "zod";

const cursor = z
  .string()
  .regex(/^\d{1,15}_[\w-]{1,64}$/, "Invalid cursor")
  .transform((s) => {
    const at = s.indexOf("_");
    return { createdAt: Number(s.slice(0, at)), id: s.slice(at + 1) };
  });
export type Cursor = z.output<typeof cursor>;

export const activityQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: cursor.optional(),
});

