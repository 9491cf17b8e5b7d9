import { useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { api } from "../../lib/api";
import { Alert, Loading } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import { DsrQueue } from "./DsrQueue";
import { Incidents } from "./Incidents";
import { ChildAccount, PublishPolicy, PurgeReports } from "./Tools";
import { operatorStatus } from "./status";
import "../../components/privacy.css";

type Overview = { requests: { open: number; overdue: number; nearDue: number }; incidents: { open: number; unnotified: number }; lastPurgeRun: { scheduledAt: number } | null };

const TABS = [
  { id: "dsr", label: "Requests" },
  { id: "incidents", label: "Incidents" },
  { id: "purges", label: "Purge reports" },
  { id: "policy", label: "Policy" },
  { id: "child", label: "Child accounts" },
] as const;

/** Platform operators only: DSR deadlines, incidents with their 72-hour clock, purge reports. */
export default function OperatorConsole() {
  // Alerts link here with ?request= or ?incident=.
  const [params] = useSearchParams();
  const [tab, setTab] = createSignal<(typeof TABS)[number]["id"]>(params.incident ? "incidents" : "dsr");
  const [overview] = createResource(
    () => operatorStatus.isOperator() || undefined,
    () => api<Overview>("/api/operator/overview").catch(() => null),
  );
  return (
    <>
      <PageHeader title="Operator console" eyebrow="QWEB platform" description="For QWEB staff: privacy requests and their legal deadlines, personal-data breaches, retention runs." />
      <Switch>
        <Match when={overview.loading}>
          <Loading />
        </Match>
        <Match when={!operatorStatus.isOperator() || (!overview.loading && !overview())}>
          <Alert tone="warning">This console is for QWEB platform operators (granted with npm run operator:create).</Alert>
        </Match>
        <Match when={overview()}>
          {(o) => (
            <>
              <Show when={o().requests.overdue || o().incidents.unnotified}>
                <Alert tone="danger" title="Deadlines at risk">
                  {o().requests.overdue} overdue request(s), {o().requests.nearDue} due within 5 days; {o().incidents.unnotified} incident(s) with users not yet notified.
                </Alert>
              </Show>
              <div class="tabs" role="tablist" aria-label="Operator console">
                <For each={TABS}>
                  {(t) => (
                    <button type="button" role="tab" aria-selected={tab() === t.id} onClick={() => setTab(t.id)}>
                      {t.label}
                      {t.id === "dsr" && o().requests.open ? ` (${o().requests.open})` : ""}
                      {t.id === "incidents" && o().incidents.open ? ` (${o().incidents.open})` : ""}
                    </button>
                  )}
                </For>
              </div>
              <Switch>
                <Match when={tab() === "dsr"}>
                  <DsrQueue open={typeof params.request === "string" ? params.request : null} />
                </Match>
                <Match when={tab() === "incidents"}>
                  <Incidents />
                </Match>
                <Match when={tab() === "purges"}>
                  <PurgeReports />
                </Match>
                <Match when={tab() === "policy"}>
                  <PublishPolicy />
                </Match>
                <Match when={tab() === "child"}>
                  <ChildAccount />
                </Match>
              </Switch>
            </>
          )}
        </Match>
      </Switch>
    </>
  );
}
