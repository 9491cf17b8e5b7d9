import "../finance/finance.css";
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { billingState } from "./BillingApi";

/** Dunning: after a failed renewal, every page says so until the card is fixed. */
export function BillingBanner() {
  const s = () => billingState.state();
  return (
    <Show when={s() && s()!.access !== "ok"}>
      <div class={`alert ${s()!.access === "read_only" ? "alert-danger" : "alert-warning"} billing-banner`} role="alert">
        <span>
          {s()!.access === "read_only"
            ? "Your QWEB subscription payment failed and the grace period is over: QWEB is read-only until the card is updated. Your data is safe."
            : `Your last QWEB payment failed. Update your card before ${new Date(s()!.graceEndsAt!).toLocaleDateString()} to keep full access.`}{" "}
          <A href="/settings/billing">Update billing</A>
        </span>
      </div>
    </Show>
  );
}
