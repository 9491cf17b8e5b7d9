import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import type { Database } from "../../db/client";
import { activityLog, users } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { Cursor } from "./schemas";

export type ActivityEntry = Omit<typeof activityLog.$inferInsert, "id">;

export const recordActivity = (db: Database, entry: ActivityEntry) => db.insert(activityLog).values({ id: newId(), ...entry });

export const encodeCursor = (row: { createdAt: number; id: string }) => `${row.createdAt}_${row.id}`;

type ListInput = ({ orgId: string } | { userId: string }) & { limit: number; cursor?: Cursor };

/** Newest first, keyset-paginated on (createdAt, id) so pages never skip or repeat rows. */
export async function listActivity({ ctx: { db }, input }: { ctx: Ctx; input: ListInput }) {
  const { limit, cursor } = input;
  const scope = "orgId" in input ? eq(activityLog.orgId, input.orgId) : eq(activityLog.userId, input.userId);
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
