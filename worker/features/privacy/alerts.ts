import { and, eq, inArray, isNull, lte, ne, or } from "drizzle-orm";
import type { Ctx } from "../../core/context";
import { dsrRequests, memberships, users } from "../../db/schema";
import { notify, type Recipient } from "../../core/notifications";
import { operatorRecipients } from "../../core/operators";
import { NEAR_DUE_MS, OPEN_STATUSES } from "./dsr";

/**
 * P21, frequent cron: an open request within 5 days of its deadline raises a "near-due" alert, and
 * once past it an "overdue" one, each once, to the platform operators and to the owners of the
 * organization the request concerns.
 */
export async function dsrDeadlineAlerts({ ctx }: { ctx: Ctx; input?: undefined }) {
  const { db, now } = ctx;
  const due = await db
    .select()
    .from(dsrRequests)
    .where(
      and(
        inArray(dsrRequests.status, OPEN_STATUSES),
        lte(dsrRequests.dueAt, now + NEAR_DUE_MS),
        or(isNull(dsrRequests.alertLevel), and(eq(dsrRequests.alertLevel, "near-due"), lte(dsrRequests.dueAt, now))),
      ),
    )
    .limit(100);
  if (!due.length) return 0;
  const ops = await operatorRecipients(db);
  for (const r of due) {
    const level = r.dueAt <= now ? "overdue" : "near-due";
    const owners: Recipient[] = r.orgId
      ? await db
          .select({ userId: users.id, email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, r.orgId), eq(memberships.role, "owner"), isNull(users.deletedAt), ne(users.id, r.userId ?? "")))
      : [];
    const recipients = [...new Map([...ops, ...owners].map((x) => [x.userId, x])).values()];
    const days = Math.ceil((r.dueAt - now) / 86_400_000);
    await notify({ ctx, input: { recipients, notice: {
      kind: "dsr-alert",
      title: level === "overdue" ? `Privacy request overdue (${r.regime.toUpperCase()} ${r.kind})` : `Privacy request due in ${days} day${days === 1 ? "" : "s"} (${r.regime.toUpperCase()} ${r.kind})`,
      body: `A ${r.regime.toUpperCase()} ${r.kind} request received on ${new Date(r.receivedAt).toUTCString()} is ${r.status} and must be answered by ${new Date(r.dueAt).toUTCString()}.`,
      link: `/operator?request=${r.id}`,
    } } });
    await db.update(dsrRequests).set({ alertLevel: level }).where(eq(dsrRequests.id, r.id));
  }
  return due.length;
}
