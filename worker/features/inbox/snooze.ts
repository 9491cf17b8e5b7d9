// Snoozed conversations come back: the list already counts one whose time has passed as open
// (to the minute); this cron (every 15 minutes) makes it so in the row, so SLAs, rules and
// every other reader see it open again, and tells its assignee.
import { and, eq, isNotNull, lte } from "drizzle-orm";
import { conversations } from "../../db/schema";
import { ctxFromEnv, type Ctx } from "../../core/context";
import { notify } from "../../core/notifications";

export async function wakeSnoozed({ ctx }: { ctx: Ctx }): Promise<{ woken: number }> {
  const due = await ctx.db.select({ id: conversations.id, orgId: conversations.orgId, subject: conversations.subject, assigneeId: conversations.assigneeId }).from(conversations)
    .where(and(eq(conversations.status, "snoozed"), isNotNull(conversations.snoozedUntil), lte(conversations.snoozedUntil, ctx.now))).limit(1000);
  for (const c of due) {
    await ctx.db.update(conversations).set({ status: "open", snoozedUntil: null, updatedAt: ctx.now }).where(and(eq(conversations.id, c.id), eq(conversations.status, "snoozed")));
    // In the app only (an email per snooze would be noise).
    if (c.assigneeId) await notify({ ctx, input: { recipients: [{ userId: c.assigneeId, email: null }], notice: { kind: "system", title: `Back from snooze: ${c.subject}`, body: `"${c.subject}" is open again in the team inbox.`, link: `/inbox?conversation=${c.id}` } } });
  }
  return { woken: due.length };
}

/** The cron job (every 15 minutes). */
export const snoozeCron = (env: Env, now: number) => wakeSnoozed({ ctx: ctxFromEnv(env, { now }) });
