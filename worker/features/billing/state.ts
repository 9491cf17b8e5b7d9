import { eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { billingAccounts } from "../../db/schema";
import { GRACE_DAYS, PAYING, PLANS, type PlanId } from "./plans";

type Row = typeof billingAccounts.$inferSelect;
export type Access = "ok" | "grace" | "read_only";

export async function billingRow(db: Database, orgId: string): Promise<Row | null> {
  const [row] = await db.select().from(billingAccounts).where(eq(billingAccounts.orgId, orgId)).limit(1);
  return row ?? null;
}

/** What an organization may do now: its plan's limits, and whether a failed payment made it read-only. */
export function entitlement(row: Row | null, now: number) {
  const status = row?.status ?? "none";
  const paying = PAYING.has(status) && row!.plan in PLANS;
  const plan: PlanId = paying ? (row!.plan as PlanId) : "free";
  const graceEndsAt = status === "past_due" && row?.pastDueSince ? row.pastDueSince + GRACE_DAYS * 86_400_000 : null;
  const access: Access = status === "unpaid" || (graceEndsAt !== null && now >= graceEndsAt) ? "read_only" : graceEndsAt !== null ? "grace" : "ok";
  return { plan, status, limits: PLANS[plan].limits, access, graceEndsAt };
}
