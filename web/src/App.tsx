import { Navigate, Route, Router, type RouteSectionProps } from "@solidjs/router";
import { ErrorBoundary, lazy, Show, type Component } from "solid-js";
import { session } from "./lib/session";
import { AppShell } from "./layout/AppShell";
import { PublicOnly, Splash } from "./layout/AuthLayout";
import type { AppPage } from "./layout/nav";
import { Toaster } from "./ui/Toast";
import { ConfirmHost } from "./ui/Modal";
import { Crash } from "./ui/Crash";
import { ConsentBanner } from "./components/ConsentBanner";
import { PolicyGate } from "./components/PolicyGate";
import { operatorStatus } from "./pages/operator/status";
import { Alert } from "./ui/Feedback";
import { PageHeader } from "./ui/Layout";

const ComingSoon = lazy(() => import("./pages/ComingSoon"));
const soon = (title: string, blurb: string): Component => () => <ComingSoon title={title} blurb={blurb} />;
const page = (load: () => Promise<{ default: Component }>) => lazy(load);

/** A page of the agency's team: a portal user who follows a link to it reads why it is not theirs. */
const teamOnly = (Page: Component, label: string): Component => () => (
  <Show when={session.isOrgMember()} fallback={<><PageHeader title={label} /><Alert tone="info">{label} belongs to the agency's team. Your shared workspace's dashboard, content and reports are in the menu.</Alert></>}>
    <Page />
  </Show>
);

// Pages inside the signed-in shell. Adding one (with its sidebar link) is one line here:
//   { path, label, icon, section, component: page(() => import("./pages/…")), visible?: (s) => boolean }
// The Integrations, Privacy, Operator console and API reference entries are slots for the
// engineers who own web/src/pages/{integrations,privacy,operator}/** and pages/ApiReference.tsx:
// replace `soon(…)` with `page(() => import("./pages/…"))` and drop `soon: true`.
export const appPages: AppPage[] = [
  { path: "/dashboard", label: "Dashboard", icon: "dashboard", section: "Marketing", component: page(() => import("./pages/dashboard/DashboardPage")) },
  { path: "/dashboard/clients", label: "All clients", icon: "layers", section: "Marketing", component: page(() => import("./pages/dashboard/Agency")), visible: (s) => s.isOrgMember() && s.org()?.kind === "agency" },
  { path: "/alerts", label: "Alerts", icon: "info", section: "Marketing", component: page(() => import("./pages/alerts/Alerts")) },
  { path: "/tasks", label: "Tasks", icon: "check", section: "Marketing", component: page(() => import("./pages/tasks/Tasks")) },
  { path: "/content", label: "Content", icon: "content", section: "Marketing", component: page(() => import("./pages/content/Studio")) },
  { path: "/content/library", label: "Content library", icon: "content", section: "Marketing", component: page(() => import("./pages/content/Library")), visible: () => false },
  { path: "/content/brand-voice", label: "Brand voice", icon: "content", section: "Marketing", component: page(() => import("./pages/content/BrandVoice")), visible: () => false },
  { path: "/content/insights", label: "Content insights", icon: "content", section: "Marketing", component: page(() => import("./pages/content/Insights")), visible: () => false },
  { path: "/content/compose", label: "Compose", icon: "content", section: "Marketing", component: page(() => import("./pages/publishing/Compose")), visible: () => false },
  { path: "/content/calendar", label: "Calendar", icon: "content", section: "Marketing", component: page(() => import("./pages/publishing/Calendar")), visible: () => false },
  { path: "/content/queue", label: "Queue", icon: "content", section: "Marketing", component: page(() => import("./pages/publishing/Queue")), visible: () => false },
  { path: "/content/published", label: "Published", icon: "content", section: "Marketing", component: page(() => import("./pages/publishing/Published")), visible: () => false },
  { path: "/content/stuck", label: "Stuck posts", icon: "content", section: "Marketing", component: page(() => import("./pages/publishing/Stuck")), visible: () => false },
  { path: "/content/:contentId", label: "Content item", icon: "content", section: "Marketing", component: page(() => import("./pages/content/Item")), visible: () => false },
  { path: "/agents", label: "Agents", icon: "sparkles", section: "Marketing", component: page(() => import("./pages/agents/Agents")) },
  { path: "/inbox", label: "Inbox", icon: "inbox", section: "Marketing", component: page(() => import("./pages/inbox/Inbox")), visible: (s) => s.isOrgMember(), team: true },
  // Mailbox settings (linked from the Inbox page; Google's consent returns here).
  { path: "/inbox/routing", label: "Routing and SLAs", icon: "inbox", section: "Marketing", component: page(() => import("./pages/inbox/RoutingSettings")), visible: () => false, team: true },
  { path: "/inbox/settings", label: "Mailboxes", icon: "inbox", section: "Marketing", component: page(() => import("./pages/inbox/MailboxSettings")), visible: () => false, team: true },
  { path: "/ads", label: "Ads", icon: "ads", section: "Marketing", component: page(() => import("./pages/ads/Ads")) },
  { path: "/approvals", label: "Approvals", icon: "check", section: "Marketing", component: page(() => import("./pages/approvals/Approvals")) },
  { path: "/email", label: "Email", icon: "mail", section: "Marketing", component: page(() => import("./pages/email/Email")) },
  { path: "/email/:campaignId", label: "Email campaign", icon: "mail", section: "Marketing", component: page(() => import("./pages/email/Editor")), visible: () => false },
  { path: "/finance", label: "Finance", icon: "finance", section: "Marketing", component: page(() => import("./pages/finance/Finance")), visible: (s) => s.isOrgMember() },
  { path: "/invoices", label: "Invoices", icon: "finance", section: "Marketing", component: page(() => import("./pages/finance/PortalInvoices")), visible: (s) => !s.isOrgMember() },
  { path: "/signoffs", label: "Hours sign-off", icon: "finance", section: "Marketing", component: page(() => import("./pages/finance/PortalSignoffs")), visible: (s) => !s.isOrgMember() },
  { path: "/finance/invoices/:invoiceId", label: "Invoice", icon: "finance", section: "Marketing", component: page(() => import("./pages/finance/InvoiceEditor")), visible: () => false },
  { path: "/reports", label: "Reports", icon: "reports", section: "Marketing", component: page(() => import("./pages/reports/Reports")) },
  { path: "/workspaces", label: "Workspaces", icon: "layers", section: "Manage", component: page(() => import("./pages/Workspaces")) },
  { path: "/members", label: "Members & portal", icon: "users", section: "Manage", component: page(() => import("./pages/Members")), visible: (s) => s.isOrgMember() || s.can.adminWorkspace(s.workspace()?.role) },
  { path: "/integrations", label: "Integrations", icon: "plug", section: "Manage", component: page(() => import("./pages/integrations/Integrations")) },
  // Where a provider's OAuth consent returns: opens that workspace's Integrations page (no own link).
  { path: "/workspaces/:workspaceId/integrations", label: "Integrations", icon: "plug", section: "Manage", component: page(() => import("./pages/integrations/Integrations")), visible: () => false },
  { path: "/ai/usage", label: "AI usage", icon: "reports", section: "Manage", component: page(() => import("./pages/ai/Usage")), visible: (s) => s.isOrgAdmin() },
  { path: "/ai/settings", label: "AI settings", icon: "sparkles", section: "Manage", component: page(() => import("./pages/ai/Settings")), visible: (s) => s.isOrgAdmin() },
  { path: "/settings/billing", label: "Billing", icon: "finance", section: "Manage", component: page(() => import("./pages/settings/Billing")), visible: (s) => s.isOrgMember(), team: true },
  { path: "/activity", label: "Activity log", icon: "activity", section: "Manage", component: page(() => import("./pages/Activity")), visible: (s) => s.isOrgAdmin() },
  { path: "/account", label: "Account", icon: "user", section: "You", component: page(() => import("./pages/Account")) },
  { path: "/settings/privacy", label: "Privacy", icon: "shield", section: "You", component: page(() => import("./pages/privacy/PrivacyCenter")) },
  { path: "/notifications", label: "Notifications", icon: "info", section: "You", component: page(() => import("./pages/privacy/Notifications")) },
  { path: "/operator", label: "Operator console", icon: "terminal", section: "Platform", component: page(() => import("./pages/operator/OperatorConsole")), visible: () => operatorStatus.isOperator() },
  { path: "/api-reference", label: "API reference", icon: "code", section: "Platform", component: page(() => import("./pages/ApiReference")) },
];

const Login = lazy(() => import("./pages/Login"));
const Signup = lazy(() => import("./pages/Signup"));
const ResetPassword = lazy(() => import("./pages/ResetPassword"));
const AcceptInvitation = lazy(() => import("./pages/AcceptInvitation"));
const PolicyPage = lazy(() => import("./pages/PolicyPage"));
const DevMailbox = lazy(() => import("./pages/DevMailbox"));
const NotFound = lazy(() => import("./pages/NotFound"));
const RestoreAccount = lazy(() => import("./pages/privacy/RestoreAccount"));
const PublicInvoice = lazy(() => import("./pages/finance/PublicInvoice"));

function Root(props: RouteSectionProps) {
  return (
    <>
      <ErrorBoundary fallback={(error, reset) => <Crash error={error} reset={reset} />}>{props.children}</ErrorBoundary>
      <Toaster />
      <ConfirmHost />
      <ConsentBanner />
      <PolicyGate />
    </>
  );
}

function Home() {
  return (
    <Show when={session.status() !== "loading"} fallback={<Splash />}>
      <Navigate href={session.status() === "authenticated" ? "/dashboard" : "/login"} />
    </Show>
  );
}

export function App() {
  return (
    <Router root={Root}>
      <Route path="/" component={Home} />
      <Route path="/" component={PublicOnly}>
        <Route path="/login" component={Login} />
        <Route path="/signup" component={Signup} />
      </Route>
      <Route path="/reset-password" component={ResetPassword} />
      <Route path="/accept-invitation" component={AcceptInvitation} />
      <Route path="/privacy" component={PolicyPage} />
      <Route path="/restore-account" component={RestoreAccount} />
      <Route path="/dev/mailbox" component={DevMailbox} />
      <Route path="/i/:token" component={PublicInvoice} />
      <Route path="/" component={(p: RouteSectionProps) => <AppShell pages={appPages}>{p.children}</AppShell>}>
        {appPages.map((p) => (
          <Route path={p.path} component={p.team ? teamOnly(p.component, p.label) : p.component} />
        ))}
      </Route>
      <Route path="*404" component={NotFound} />
    </Router>
  );
}
