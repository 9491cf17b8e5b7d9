import "../finance/finance.css";
import { useSearchParams } from "@solidjs/router";
import { createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { session } from "../../lib/session";
import { Button } from "../../ui/Button";
import { Alert, Badge, Loading } from "../../ui/Feedback";
import { Card, PageHeader } from "../../ui/Layout";
import { createSubmit } from "../../ui/submit";
import { billingApi, billingState, type Limits } from "./BillingApi";

const usd = (minor: number) => new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" }).format(minor / 100);
const day = (ms: number | null) => (ms ? new Date(ms).toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" }) : "—");
const LIMIT_LABELS: [keyof Limits, string][] = [["workspaces", "Workspaces"], ["seats", "Seats"], ["connectedAccounts", "Connected accounts"], ["aiBudgetMinor", "Monthly AI budget"]];

export default function Billing() {
  const [params] = useSearchParams();
  const { busy, run } = createSubmit();
  const [waiting, setWaiting] = createSignal(params.checkout === "success");
  const [slow, setSlow] = createSignal(false);
  const s = () => billingState.state();
  onMount(() => {
    void billingState.refresh();
    if (!waiting()) return;
    // The plan changes only when Stripe's signed webhook arrives: poll briefly after returning from Checkout.
    let ticks = 0;
    const t = setInterval(async () => {
      await billingState.refresh();
      if (s() && s()!.status !== "none") {
        setWaiting(false);
        clearInterval(t);
      } else if (++ticks >= 120) {
        setSlow(true); // two minutes without the webhook: stop polling and say so
        setWaiting(false);
        clearInterval(t);
      }
    }, 1000);
    onCleanup(() => clearInterval(t));
  });
  const go = (what: string, fn: () => Promise<{ url: string }>) =>
    run(async () => {
      window.location.assign((await fn()).url);
      await new Promise<never>(() => {}); // the page is leaving for Stripe: stay busy until it has gone
    }, what);
  const subscribed = () => ["trialing", "active", "past_due", "unpaid"].includes(s()?.status ?? "");
  const used = (k: keyof Limits) => (k === "aiBudgetMinor" ? s()!.usage.aiSpendMinor : s()!.usage[k]);
  const show = (k: keyof Limits, v: number | null) => (v === null ? "—" : k === "aiBudgetMinor" ? usd(v) : String(v));
  return (
    <>
      <PageHeader title="Billing" description={<>QWEB plan of <strong>{session.org()?.name}</strong>. Payments are handled by Stripe: card details never reach QWEB.</>} />
      <Show when={s()} fallback={<Loading label="Loading billing…" />}>
        <Show when={waiting()}>
          <Alert tone="info">Waiting for Stripe's confirmation of your subscription…</Alert>
        </Show>
        <Show when={slow() && s()!.status === "none"}>
          <Alert tone="warning">Stripe has not confirmed your subscription yet. Your payment is safe with Stripe; reload this page in a few minutes to see your plan.</Alert>
        </Show>
        <Card
          title={`${s()!.planName} plan`}
          description={
            <>
              <Badge tone={s()!.access === "ok" ? "success" : s()!.access === "grace" ? "warning" : "danger"}>{s()!.status === "none" ? "no subscription" : s()!.status.replace("_", " ")}</Badge>
              <Show when={s()!.status === "trialing"}> Trial until {day(s()!.trialEndsAt)}.</Show>
              <Show when={s()!.cancelAtPeriodEnd}> Cancels on {day(s()!.currentPeriodEnd)}.</Show>
            </>
          }
          actions={
            <Show when={s()!.hasCustomer && session.isOrgAdmin()}>
              <Button variant="secondary" icon="external" loading={busy("portal")} onClick={() => go("portal", billingApi.portal)}>
                Manage card, plan or cancel
              </Button>
            </Show>
          }
        >
          <dl class="usage-list" data-testid="billing-usage">
            <For each={LIMIT_LABELS}>
              {([k, label]) => (
                <div class="usage-row">
                  <dt>{label}</dt>
                  <dd>
                    {show(k, used(k))} of {show(k, s()!.limits[k])}
                    <Show when={used(k) !== null}>
                      <progress max={s()!.limits[k]} value={Math.min(used(k)!, s()!.limits[k])} aria-label={`${label} used`} />
                    </Show>
                  </dd>
                </div>
              )}
            </For>
          </dl>
        </Card>
        <Show when={!subscribed() && session.isOrgAdmin()}>
          <div class="plan-grid">
            <For each={s()!.plans}>
              {(p) => (
                <Card title={p.name} description={`${usd(p.priceMinor)} a month · 14-day free trial`}>
                  <ul>
                    <li>{p.limits.workspaces} client workspaces</li>
                    <li>{p.limits.seats} team seats</li>
                    <li>{p.limits.connectedAccounts} connected accounts</li>
                    <li>{usd(p.limits.aiBudgetMinor)} AI budget a month</li>
                  </ul>
                  <Button variant="primary" block loading={busy(p.id)} disabled={!s()!.configured} onClick={() => go(p.id, () => billingApi.checkout(p.id))}>
                    Choose {p.name}
                  </Button>
                </Card>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </>
  );
}
