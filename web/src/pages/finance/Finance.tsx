import { useNavigate, useSearchParams } from "@solidjs/router";
import { lazy, Match, Show, Switch } from "solid-js";
import { session } from "../../lib/session";
import { Alert } from "../../ui/Feedback";
import { PageHeader } from "../../ui/Layout";
import "./finance.css";

const TimeTab = lazy(() => import("./TimeTab"));
const ExpensesTab = lazy(() => import("./ExpensesTab"));
const InvoicesTab = lazy(() => import("./InvoicesTab"));
const PaymentsTab = lazy(() => import("./PaymentsTab"));
const ReportsTab = lazy(() => import("./ReportsTab"));
const BudgetsTab = lazy(() => import("./BudgetsTab"));
const SignoffsTab = lazy(() => import("./SignoffsTab"));
const SettingsTab = lazy(() => import("./SettingsTab"));

const TABS = [
  { id: "time", label: "Time", admin: false },
  { id: "expenses", label: "Expenses", admin: false },
  { id: "invoices", label: "Invoices", admin: true },
  { id: "payments", label: "Payments", admin: true },
  { id: "reports", label: "Reports", admin: true },
  { id: "budgets", label: "Budgets", admin: true },
  { id: "signoffs", label: "Sign-off", admin: true },
  { id: "settings", label: "Settings", admin: true },
] as const;

export default function Finance() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const tab = () => (TABS.some((t) => t.id === params.tab) ? String(params.tab) : "time");
  const tabs = () => TABS.filter((t) => !t.admin || session.isOrgAdmin());
  return (
    <>
      <PageHeader title="Finance" description={<>Time, expenses and invoices of <strong>{session.org()?.name}</strong>'s clients.</>} />
      <Show when={session.isOrgMember()} fallback={<Alert tone="info">Finance belongs to the agency's team; your invoices are on your workspace's portal page.</Alert>}>
        <nav class="finance-tabs" aria-label="Finance sections">
          {tabs().map((t) => (
            <a
              href={`/finance?tab=${t.id}`}
              aria-current={tab() === t.id ? "page" : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate(`/finance?tab=${t.id}`);
              }}
            >
              {t.label}
            </a>
          ))}
        </nav>
        <Switch>
          <Match when={tab() === "time"}>
            <TimeTab />
          </Match>
          <Match when={tab() === "expenses"}>
            <ExpensesTab />
          </Match>
          <Match when={tab() === "invoices" && session.isOrgAdmin()}>
            <InvoicesTab />
          </Match>
          <Match when={tab() === "payments" && session.isOrgAdmin()}>
            <PaymentsTab />
          </Match>
          <Match when={tab() === "reports" && session.isOrgAdmin()}>
            <ReportsTab />
          </Match>
          <Match when={tab() === "budgets" && session.isOrgAdmin()}>
            <BudgetsTab />
          </Match>
          <Match when={tab() === "signoffs" && session.isOrgAdmin()}>
            <SignoffsTab />
          </Match>
          <Match when={tab() === "settings" && session.isOrgAdmin()}>
            <SettingsTab />
          </Match>
        </Switch>
      </Show>
    </>
  );
}
