import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { activityLog, memberships, users } from "../../db/schema";
import { deviceLabel } from "../../lib/device";
import { newId } from "../../lib/ids";
import { activityLabel } from "./labels";
import type { Cursor } from "./schemas";

export type ActivityEntry = Omit<typeof activityLog.$inferInsert, "id">;

/** One activity_log row; `entry.createdAt` is the caller's (the middleware stamps the response time, not the request's). */
export const recordActivity = ({ ctx: { db }, input: entry }: { ctx: Pick<Ctx, "db">; input: ActivityEntry }) => db.insert(activityLog).values({ id: newId(), ...entry });

export const encodeCursor = (row: { createdAt: number; id: string }) => `${row.createdAt}_${row.id}`;

const SIGN_INS = ["auth.login", "auth.logout", "auth.logout-all"];

/** The organization's entries, and its members' sign-ins and sign-outs (they carry no organization: a person signs in once for all of theirs). */
const orgScope = (orgId: string) =>
  or(
    eq(activityLog.orgId, orgId),
    and(isNull(activityLog.orgId), inArray(activityLog.action, SIGN_INS), sql`${activityLog.userId} IN (SELECT ${memberships.userId} FROM ${memberships} WHERE ${memberships.orgId} = ${orgId})`),
  );

type ListInput = ({ orgId: string } | { userId: string }) & { limit: number; cursor?: Cursor };

/** Newest first, keyset-paginated on (createdAt, id) so pages never skip or repeat rows. */
export async function listActivity({ ctx: { db }, input }: { ctx: Ctx; input: ListInput }) {
  const { limit, cursor } = input;
  const scope = "orgId" in input ? orgScope(input.orgId) : eq(activityLog.userId, input.userId);
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
  const items = rows.slice(0, limit).map((r) => ({ ...r, label: activityLabel(r.action, r.targetType, r.targetId, r.status), device: deviceLabel(r.userAgent) }));
  return { items, nextCursor: rows.length > limit ? encodeCursor(items.at(-1)!) : null };
}
