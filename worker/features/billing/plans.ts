/** QWEB's plans and their limits: the one place they are defined. Prices in USD cents per month. */
export type Limits = { workspaces: number; seats: number; aiBudgetMinor: number; connectedAccounts: number };
export type PlanId = "free" | "starter" | "agency" | "scale";

export const PLANS: Record<PlanId, { name: string; priceMinor: number; limits: Limits; lookupKey: string | null }> = {
  free: { name: "Free", priceMinor: 0, lookupKey: null, limits: { workspaces: 5, seats: 3, aiBudgetMinor: 500, connectedAccounts: 5 } },
  starter: { name: "Starter", priceMinor: 4_900, lookupKey: "qweb_starter_monthly", limits: { workspaces: 10, seats: 5, aiBudgetMinor: 5_000, connectedAccounts: 20 } },
  agency: { name: "Agency", priceMinor: 14_900, lookupKey: "qweb_agency_monthly", limits: { workspaces: 30, seats: 15, aiBudgetMinor: 20_000, connectedAccounts: 75 } },
  scale: { name: "Scale", priceMinor: 39_900, lookupKey: "qweb_scale_monthly", limits: { workspaces: 150, seats: 50, aiBudgetMinor: 100_000, connectedAccounts: 400 } },
};
export const PAID_PLANS = ["starter", "agency", "scale"] as const;
export const TRIAL_DAYS = 14;
/** After a failed renewal: this long with a banner and emails, then read-only until paid. */
export const GRACE_DAYS = 7;

export const planOfLookupKey = (key: string | null | undefined): PlanId | null =>
  (Object.entries(PLANS).find(([, p]) => p.lookupKey && p.lookupKey === key)?.[0] as PlanId | undefined) ?? null;

/** Statuses in which the paid plan's limits apply (past_due: during the grace period). */
export const PAYING = new Set(["trialing", "active", "past_due"]);
