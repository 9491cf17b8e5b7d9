import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiSettings, memberships, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { notify } from "../../core/notifications";
import { getSettings, monthOf, monthSpend } from "./settings";

export const WARN_AT = 0.8;
// Cents, or four decimals below a cent so that small budgets read honestly.
const usd = (micros: number) => `${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)} USD`;

/** New jobs are refused (402) once this month's spend reached the budget, until an admin raises it. */
export async function assertWithinBudget(env: Env, db: Database, orgId: string, now: number) {
  const s = await getSettings(env, db, orgId);
  if (s.budgetMicros === null) return;
  const spent = await monthSpend(db, orgId, now);
  if (spent >= s.budgetMicros) {
    throw new ApiError("PAYMENT_REQUIRED", `This month's AI budget of ${usd(s.budgetMicros)} is used up (${usd(spent)} spent). An organization admin can raise it in AI settings; until then no new AI jobs start.`, {
      details: { budgetMicros: s.budgetMicros, spentMicros: spent, currency: s.currency },
    });
  }
}

/** Once a month, at 80 % of the budget, every owner and admin is notified (in the app and by email). */
export async function warnOnBudget(env: Env, db: Database, orgId: string, now: number) {
  const s = await getSettings(env, db, orgId);
  if (s.budgetMicros === null || s.budgetMicros <= 0) return;
  const month = monthOf(now);
  if (s.warnedMonth === month) return;
  const spent = await monthSpend(db, orgId, now);
  if (spent < s.budgetMicros * WARN_AT) return;
  // The conditional update is the lock: of two concurrent jobs only one sends the warning.
  const claimed = await db
    .update(aiSettings)
    .set({ warnedMonth: month })
    .where(and(eq(aiSettings.orgId, orgId), or(isNull(aiSettings.warnedMonth), ne(aiSettings.warnedMonth, month))))
    .returning({ orgId: aiSettings.orgId });
  if (claimed.length === 0) return;
  const admins = await db
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "admin"]), isNull(users.deletedAt)));
  const pct = Math.floor((spent / s.budgetMicros) * 100);
  await notify({ ctx: { env, db, now }, input: { recipients: admins, notice: {
    kind: "system",
    title: `AI budget ${pct} % used`,
    body: `Your organization has spent ${usd(spent)} of its ${usd(s.budgetMicros)} AI budget this month. At 100 % new AI jobs stop until an admin raises the budget.`,
    link: "/ai/settings",
  } } });
}
