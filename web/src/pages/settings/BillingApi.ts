import { createEffect, createRoot, createSignal, on } from "solid-js";
import { billingOverview, openBillingPortal, startCheckout, type BillingOverview, type PaidPlan } from "../../lib/api/billing";
import { session } from "../../lib/session";

export type { BillingOverview, Limits, PaidPlan } from "../../lib/api/billing";

const orgId = () => session.org()?.id ?? "";
export const billingApi = {
  overview: () => billingOverview(orgId()),
  checkout: (plan: PaidPlan) => startCheckout(orgId(), plan),
  portal: () => openBillingPortal(orgId()),
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
