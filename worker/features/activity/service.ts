import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { activityLog, users } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { Cursor } from "./schemas";

export type ActivityEntry = Omit<typeof activityLog.$inferInsert, "id">;

export const recordActivity = (db: Database, entry: ActivityEntry) => db.insert(activityLog).values({ id: newId(), ...entry });

export const encodeCursor = (row: { createdAt: number; id: string }) => `${row.createdAt}_${row.id}`;

/** Newest first, keyset-paginated on (createdAt, id) so pages never skip or repeat rows. */
export async function listActivity(db: Database, scope: SQL, limit: number, cursor?: Cursor) {
  const after = cursor
    ? or(lt(activityLog.createdAt, cursor.createdAt), and(eq(activityLog.createdAt, cursor.createdAt), lt(activityLog.id, cursor.id)))
    : undefined;
  const rows = await db
    .select({
      id: activityLog.id,
      userId: activityLog.userId,
      userName: users.name,
      action: activityLog.action,
      targetType: activityLog.targetType,
      targetId: activityLog.targetId,
      status: activityLog.status,
      ip: activityLog.ip,
      userAgent: activityLog.userAgent,
      deviceClass: activityLog.deviceClass,
      createdAt: activityLog.createdAt,
    })
    .from(activityLog)
    .leftJoin(users, eq(users.id, activityLog.userId))
    .where(and(scope, after))
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!) : null };
}

export const orgScope = (orgId: string) => eq(activityLog.orgId, orgId);
export const userScope = (userId: string) => eq(activityLog.userId, userId);
