import { A, Navigate, useLocation, useNavigate } from "@solidjs/router";
import { createEffect, createSignal, ErrorBoundary, For, Match, on, Show, Switch, type JSX } from "solid-js";
import { session } from "../lib/session";
import { Icon } from "../ui/Icon";
import { Avatar } from "../ui/Layout";
import { Logo } from "./Brand";
import { Splash } from "./AuthLayout";
import { NAV_SECTIONS, type AppPage } from "./nav";
import { OrgSwitcher, WorkspaceSwitcher } from "./Switchers";
import { Menu } from "../ui/Menu";
import { Crash } from "../ui/Crash";
import { roleLabel } from "../lib/format";
import { CookieSettingsLink } from "../components/ConsentBanner";
import { TimerWidget } from "../pages/finance/TimerWidget";
import { BillingBanner } from "../pages/settings/BillingBanner";

const isLocalHost = () => ["localhost", "127.0.0.1", "[::1]"].includes(location.hostname);

/** The signed-in frame: sidebar with switchers and navigation, and the page. */
export function AppShell(props: { pages: AppPage[]; children: JSX.Element }) {
  const location = useLocation();
  return (
    <Switch>
      <Match when={session.status() === "loading"}>
        <Splash />
      </Match>
      <Match when={session.status() === "anonymous"}>
        <Navigate href={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={session.status() === "authenticated"}>
        <Frame pages={props.pages}>{props.children}</Frame>
      </Match>
    </Switch>
  );
}

function Frame(props: { pages: AppPage[]; children: JSX.Element }) {
  const [navOpen, setNavOpen] = createSignal(false);
  const location = useLocation();
  const navigate = useNavigate();
  let main: HTMLElement | undefined;
  // A route change closes the mobile drawer and moves focus to the new page for screen readers.
  createEffect(
    on(
      () => location.pathname,
      () => {
        setNavOpen(false);
        main?.focus({ preventScroll: true });
        window.scrollTo(0, 0);
      },
      { defer: true },
    ),
  );
  // Organization role for members; the workspace role for portal users.
  const yourRole = () => {
    const org = session.org();
    if (!org) return null;
    const role = org.role === "portal" ? session.workspace()?.role : org.role;
    return role ? (roleLabel[role] ?? role) : null;
  };
  const visible = (section: string) => props.pages.filter((p) => p.section === section && (p.visible?.(session) ?? true));

  return (
    <div class="shell" classList={{ "nav-open": navOpen() }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="btn btn-icon btn-ghost" aria-label="Open navigation" aria-expanded={navOpen()} aria-controls="sidebar" onClick={() => setNavOpen(true)}>
          <Icon name="menu" />
        </button>
        <A href="/dashboard" class="topbar-brand">
          <Logo size={24} />
          <span>QWEB</span>
        </A>
      </header>
      <div class="scrim" onClick={() => setNavOpen(false)} aria-hidden="true" />
      <aside id="sidebar" class="sidebar" aria-label="Sidebar" onKeyDown={(e) => e.key === "Escape" && navOpen() && setNavOpen(false)}>
        <div class="sidebar-top">
          <A href="/dashboard" class="sidebar-brand">
            <Logo size={26} />
            <span>QWEB</span>
          </A>
          <button type="button" class="btn btn-icon btn-ghost sidebar-close" aria-label="Close navigation" onClick={() => setNavOpen(false)}>
            <Icon name="x" />
          </button>
        </div>
        <div class="switchers">
          <OrgSwitcher />
          <WorkspaceSwitcher />
        </div>
        <TimerWidget />
        <nav class="nav" aria-label="Main">
          <For each={NAV_SECTIONS}>
            {(section) => (
              <Show when={visible(section).length}>
                <div class="nav-section">
                  <h2 class="nav-heading">{section}</h2>
                  <ul>
                    <For each={visible(section)}>
                      {(p) => (
                        <li>
                          <A href={p.path} class="nav-link" activeClass="nav-link-active">
                            <Icon name={p.icon} size={17} />
                            <span class="nav-label">{p.label}</span>
                            {p.soon && <span class="nav-soon">Soon</span>}
                          </A>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              </Show>
            )}
          </For>
        </nav>
        <div class="sidebar-footer">
          <Menu
            label="Account menu"
            class="user-menu"
            placement="up"
            trigger={
              <>
                <Avatar name={session.user()?.name ?? "?"} />
                <span class="user-menu-text">
                  <span class="user-menu-name">{session.user()?.name}</span>
                  <span class="user-menu-email">{session.user()?.email}</span>
                </span>
                <Icon name="chevronUpDown" size={16} class="muted-icon" />
              </>
            }
            items={[
              { id: "account", label: "Account settings", icon: <Icon name="user" size={16} />, onSelect: () => navigate("/account") },
              ...(isLocalHost() ? [{ id: "mailbox", label: "Dev mailbox", icon: <Icon name="mail" size={16} />, onSelect: () => navigate("/dev/mailbox") }] : []),
              {
                id: "logout",
                label: "Sign out",
                icon: <Icon name="logout" size={16} />,
                onSelect: async () => {
                  await session.signOut();
                  navigate("/login", { replace: true });
                },
              },
            ]}
          />
          <Show when={yourRole()}>
            <p class="sidebar-role">
              Your role: <strong>{yourRole()}</strong>
            </p>
          </Show>
          <p class="sidebar-role legal-links">
            <a href="/privacy">Privacy</a> · <CookieSettingsLink />
          </p>
        </div>
      </aside>
      <main id="main" class="main" tabindex="-1" ref={main}>
        <div class="main-inner">
          <BillingBanner />
          <ErrorBoundary fallback={(error, reset) => <Crash error={error} reset={reset} />}>{props.children}</ErrorBoundary>
        </div>
      </main>
    </div>
  );
}
