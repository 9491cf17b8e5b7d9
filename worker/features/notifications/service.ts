import { and, desc, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { notifications } from "../../db/schema";

export const notificationView = (n: typeof notifications.$inferSelect) => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link,
  createdAt: n.createdAt,
  readAt: n.readAt,
});

export async function listNotifications({ ctx: { db }, input: { userId, limit = 50 } }: { ctx: Ctx; input: { userId: string; limit?: number } }) {
  const rows = await db.select().from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.createdAt)).limit(limit);
  return rows.map(notificationView);
}

/** Marks the user's own notification read; false when it is not theirs (or does not exist). */
export async function markRead({ ctx: { db, now }, input: { userId, id } }: { ctx: Ctx; input: { userId: string; id: string } }) {
  const [row] = await db.select({ readAt: notifications.readAt }).from(notifications).where(and(eq(notifications.id, id), eq(notifications.userId, userId))).limit(1);
  if (!row) return false;
  if (row.readAt === null) await db.update(notifications).set({ readAt: now }).where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)));
  return true;
}
