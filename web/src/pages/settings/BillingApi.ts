import { createEffect, createRoot, createSignal, on } from "solid-js";
import { api } from "../../lib/api";
import { session } from "../../lib/session";

export type Limits = { workspaces: number; seats: number; aiBudgetMinor: number; connectedAccounts: number };
export type BillingOverview = {
  plan: string; planName: string; status: string; access: "ok" | "grace" | "read_only"; graceEndsAt: number | null; trialEndsAt: number | null;
  currentPeriodEnd: number | null; cancelAtPeriodEnd: boolean; hasCustomer: boolean; limits: Limits;
  usage: { workspaces: number; seats: number; connectedAccounts: number; aiSpendMinor: number | null };
  plans: { id: string; name: string; priceMinor: number; currency: string; limits: Limits }[]; configured: boolean;
};

const path = (p = "") => `/api/orgs/${session.org()?.id}/billing${p}`;
export const billingApi = {
  overview: () => api<BillingOverview>(path()),
  checkout: (plan: string) => api<{ url: string }>(path("/checkout"), { body: { plan } }),
  portal: () => api<{ url: string }>(path("/portal"), { method: "POST" }),
};

/** The current organization's billing state, shared by the Billing page and the dunning banner. */
export const billingState = createRoot(() => {
  const [state, setState] = createSignal<BillingOverview | null>(null);
  const refresh = async () => {
    if (session.status() !== "authenticated" || !session.isOrgMember()) return setState(null);
    try {
      setState(await billingApi.overview());
    } catch {
      setState(null);
    }
  };
  createEffect(on(() => [session.status(), session.org()?.id], () => void refresh()));
  return { state, refresh };
});
