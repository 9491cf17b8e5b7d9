import { useLocation } from "@solidjs/router";
import { createEffect, createSignal, on, onCleanup, onMount, Show } from "solid-js";
import { api, errorMessage } from "../lib/api";
import { session } from "../lib/session";
import { Button } from "../ui/Button";
import { Checkbox } from "../ui/Form";
import { Modal } from "../ui/Modal";
import { toast } from "../ui/Toast";
import { consentStore, openCookieSettings } from "./consent";
import "./privacy.css";

type Category = { id: "essential" | "functional" | "analytics"; label: string; required: boolean; description: string };

/** "Cookie settings": reopens the choice at any time (footer, account menu, privacy center). */
export function CookieSettingsLink(props: { class?: string }) {
  return (
    <button type="button" class={`link-button ${props.class ?? ""}`} onClick={openCookieSettings}>
      Cookie settings
    </button>
  );
}

/** The page keeps the banner's height free at its bottom (--consent-h), so the banner covers nothing. */
function reserveSpace(el: HTMLElement) {
  const root = document.documentElement;
  const observer = new ResizeObserver(() => root.style.setProperty("--consent-h", `${el.offsetHeight}px`));
  observer.observe(el);
  onCleanup(() => {
    observer.disconnect();
    root.style.removeProperty("--consent-h");
  });
}

/**
 * P22: the consent banner (essential always on; functional and analytics only if chosen), the
 * settings dialog behind "Cookie settings", and first-party page views, sent only with analytics
 * consent while signed in. No third-party script is ever loaded.
 */
export function ConsentBanner() {
  const [categories, setCategories] = createSignal<Category[]>([]);
  const location = useLocation();
  const signedIn = () => session.status() === "authenticated";

  onMount(async () => {
    try {
      const res = await api<{ categories: Category[]; policyVersion: string }>("/api/consent", { auth: false });
      setCategories(res.categories);
      consentStore.setPolicyVersion(res.policyVersion);
    } catch {}
  });

  createEffect(on(signedIn, (yes) => yes && consentStore.syncWithAccount().catch(() => {})));

  // Page views: first-party, path only, and never without analytics consent.
  createEffect(
    on([() => location.pathname, signedIn, () => consentStore.choice()?.analytics], ([path, yes, analytics]) => {
      if (!yes || !analytics) return;
      api("/api/analytics/events", { body: { kind: "page_view", name: path.replace(/[^\w\-/.:]/g, "").slice(0, 120) || "/" } }).catch(() => {});
    }),
  );

  const undecided = () => !consentStore.choice();

  async function choose(functional: boolean, analytics: boolean, source: "banner" | "settings") {
    try {
      await consentStore.choose(functional, analytics, signedIn(), source);
      consentStore.setSettingsOpen(false);
      if (source === "settings") toast.success("Cookie settings saved");
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <>
      <Show when={undecided() && !consentStore.settingsOpen()}>
        <section ref={reserveSpace} class="consent-banner" role="region" aria-label="Cookie consent" data-testid="consent-banner">
          <div class="consent-text">
            <strong>Your privacy, your choice</strong>
            <p>
              QWEB uses essential cookies to keep you signed in. With your consent we also remember your preferences (functional) and count page views to improve
              QWEB (analytics, first-party only). No advertising trackers, ever. <a href="/privacy">Privacy policy</a>
            </p>
          </div>
          <div class="consent-actions">
            <Button variant="secondary" onClick={() => choose(false, false, "banner")}>
              Essential only
            </Button>
            <Button variant="ghost" onClick={openCookieSettings}>
              Choose…
            </Button>
            <Button variant="primary" onClick={() => choose(true, true, "banner")}>
              Accept all
            </Button>
          </div>
        </section>
      </Show>
      <CookieSettings categories={categories()} onSave={(f, a) => choose(f, a, "settings")} />
    </>
  );
}

function CookieSettings(props: { categories: Category[]; onSave: (functional: boolean, analytics: boolean) => void }) {
  const [functional, setFunctional] = createSignal(false);
  const [analytics, setAnalytics] = createSignal(false);
  createEffect(
    on(consentStore.settingsOpen, (open) => {
      if (!open) return;
      setFunctional(consentStore.choice()?.functional ?? false);
      setAnalytics(consentStore.choice()?.analytics ?? false);
    }),
  );
  const value = (id: string) => (id === "functional" ? functional() : id === "analytics" ? analytics() : true);
  const set = (id: string, v: boolean) => (id === "functional" ? setFunctional(v) : id === "analytics" ? setAnalytics(v) : undefined);
  return (
    <Modal
      open={consentStore.settingsOpen()}
      title="Cookie settings"
      description="Change your choice at any time. Withdrawing consent is as easy as giving it."
      onClose={() => consentStore.setSettingsOpen(false)}
      footer={
        <>
          <Button onClick={() => consentStore.setSettingsOpen(false)}>Cancel</Button>
          <Button variant="primary" onClick={() => props.onSave(functional(), analytics())}>
            Save choices
          </Button>
        </>
      }
    >
      <div class="consent-categories">
        {props.categories.map((c) => (
          <div class="consent-category">
            <Checkbox
              label={
                <>
                  <strong>{c.label}</strong> {c.required && <span class="muted">(always on)</span>}
                </>
              }
              name={`consent-${c.id}`}
              checked={value(c.id)}
              onChange={(v) => !c.required && set(c.id, v)}
            />
            <p class="field-hint">{c.description}</p>
          </div>
        ))}
      </div>
    </Modal>
  );
}
