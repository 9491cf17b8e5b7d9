import { and, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiSettings, memberships, users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { notify } from "../../core/notifications";
import { monthOf, monthSpendSql } from "./settings";

export const WARN_AT = 0.8;
// Cents, or four decimals below a cent so that small budgets read honestly.
const usd = (micros: number) => `${(micros / 1_000_000).toFixed(micros > 0 && micros < 10_000 ? 4 : 2)} USD`;

/** New jobs are refused (402) once this month's spend reached the budget, until an admin raises it. One D1 read: the budget and the spend together. */
export async function assertWithinBudget(_env: Env, db: Database, orgId: string, now: number) {
  const [row] = await db
    .select({ budgetMicros: aiSettings.budgetMicros, currency: aiSettings.currency, spent: monthSpendSql(orgId, now) })
    .from(aiSettings)
    .where(eq(aiSettings.orgId, orgId))
    .limit(1);
  // Without saved settings there is no budget (the defaults have none).
  const budget = row?.budgetMicros ?? null;
  if (!row || budget === null) return;
  const spent = Number(row.spent);
  if (spent >= budget) {
    throw new ApiError("PAYMENT_REQUIRED", `This month's AI budget of ${usd(budget)} is used up (${usd(spent)} spent). An organization admin can raise it in AI settings; until then no new AI jobs start.`, {
      details: { budgetMicros: budget, spentMicros: spent, currency: row.currency },
    });
  }
}

/**
 * The 80 % warning's claim, as a statement for the job's own write batch (after its usage rows,
 * so the sum includes them): marks the month warned when the budget is set, not yet warned this
 * month, and reached 80 %. The conditional update is the lock: of two concurrent jobs only one
 * claims it. Returns the budget and spend when it claimed (then `announceBudget`), else no row.
 */
export const budgetWarningClaim = (db: Database, orgId: string, now: number) => {
  const month = monthOf(now);
  const spent = monthSpendSql(orgId, now);
  return db
    .update(aiSettings)
    .set({ warnedMonth: month })
    .where(and(eq(aiSettings.orgId, orgId), gt(aiSettings.budgetMicros, 0), or(isNull(aiSettings.warnedMonth), ne(aiSettings.warnedMonth, month)), sql`${spent} >= ${aiSettings.budgetMicros} * ${WARN_AT}`))
    .returning({ budgetMicros: aiSettings.budgetMicros, spent });
};

/** Once a month, at 80 % of the budget, every owner and admin is notified (in the app and by email). */
export async function announceBudget(env: Env, db: Database, orgId: string, claimed: { budgetMicros: number | null; spent: number }, now: number) {
  const budget = claimed.budgetMicros ?? 0;
  const spent = Number(claimed.spent);
  const admins = await db
    .select({ userId: users.id, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), inArray(memberships.role, ["owner", "admin"]), isNull(users.deletedAt)));
  const pct = Math.floor((spent / budget) * 100);
  await notify({ ctx: { env, db, now }, input: { recipients: admins, notice: {
    kind: "system",
    title: `AI budget ${pct} % used`,
    body: `Your organization has spent ${usd(spent)} of its ${usd(budget)} AI budget this month. At 100 % new AI jobs stop until an admin raises the budget.`,
    link: "/ai/settings",
  } } });
}
