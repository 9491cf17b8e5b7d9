import { Navigate, useSearchParams, type RouteSectionProps } from "@solidjs/router";
import { Match, Switch, type JSX } from "solid-js";
import { session } from "../lib/session";
import { Spinner } from "../ui/Feedback";
import { Icon } from "../ui/Icon";
import { Wordmark } from "./Brand";
import { CookieSettingsLink } from "../components/ConsentBanner";

/** Where to go after signing in: a same-app path from ?next=, never another origin. */
export function safeNext(next: string | string[] | undefined): string {
  const n = Array.isArray(next) ? next[0] : next;
  return n && n.startsWith("/") && !n.startsWith("//") ? n : "/dashboard";
}

export function Splash() {
  return (
    <div class="splash" role="status" aria-live="polite">
      <Wordmark />
      <Spinner size={22} />
      <span class="sr-only">Loading QWEB…</span>
    </div>
  );
}

/** Login and signup: a signed-in visitor goes straight on to the app. */
export function PublicOnly(props: RouteSectionProps) {
  const [params] = useSearchParams();
  return (
    <Switch fallback={props.children}>
      <Match when={session.status() === "loading"}>
        <Splash />
      </Match>
      <Match when={session.status() === "authenticated"}>
        <Navigate href={safeNext(params.next)} />
      </Match>
    </Switch>
  );
}

const points = [
  { icon: "layers" as const, text: "Every client in its own workspace, with portal access you control" },
  { icon: "sparkles" as const, text: "AI agents that draft, and act only where you switch automation on" },
  { icon: "shield" as const, text: "Credentials encrypted at rest; export or erase your data any time" },
];

/** Split-screen frame for the signed-out pages. */
export function AuthLayout(props: { title: string; subtitle?: JSX.Element; children: JSX.Element; footer?: JSX.Element; wide?: boolean }) {
  document.title = `${props.title} · QWEB`;
  return (
    <div class="auth">
      <aside class="auth-aside" aria-hidden="true">
        <Wordmark />
        <div class="auth-pitch">
          <p class="auth-kicker">Marketing automation for agencies</p>
          <p class="auth-headline">All your clients’ marketing, one calm place.</p>
          <ul class="auth-points">
            {points.map((p) => (
              <li>
                <span class="auth-point-icon">
                  <Icon name={p.icon} size={16} />
                </span>
                {p.text}
              </li>
            ))}
          </ul>
        </div>
        <p class="auth-aside-foot">© QWEB · <a href="/privacy" tabindex="-1">Privacy policy</a></p>
      </aside>
      <main class="auth-main" id="main">
        <div class="auth-card" classList={{ "auth-card-wide": props.wide }}>
          <div class="auth-mobile-brand">
            <Wordmark />
          </div>
          <h1>{props.title}</h1>
          {props.subtitle && <p class="auth-subtitle">{props.subtitle}</p>}
          {props.children}
        </div>
        {props.footer && <div class="auth-footer">{props.footer}</div>}
        <p class="auth-footer legal-links">
          <a href="/privacy">Privacy policy</a> · <CookieSettingsLink />
        </p>
      </main>
    </div>
  );
}
