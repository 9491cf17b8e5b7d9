import { z } from "zod";

export const notificationParam = z.object({ notificationId: z.string().min(1).max(64) });
export const notificationView = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.number(),
  readAt: z.number().nullable(),
});
export const notificationListView = z.object({ notifications: z.array(notificationView) });
