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


export const activityItemView = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  /** The action key the route declared when the entry was written. */
  action: z.string(),
  /** Its label, from the stored key (never from the route's current path). */
  label: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  status: z.number(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  deviceClass: z.string().nullable(),
  /** "Chrome on macOS": the user agent as a person reads it (worker/lib/device.ts). */
  device: z.string(),
  createdAt: z.number(),
});
export const activityPageView = z.object({ items: z.array(activityItemView), nextCursor: z.string().nullable() });
