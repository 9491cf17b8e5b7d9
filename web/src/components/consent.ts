// The cookie choice: kept in this browser (essential storage) and, when signed in, recorded per
// user with the policy version (PUT /api/privacy/consents). Analytics run only with consent.
import { createRoot, createSignal } from "solid-js";
import { api } from "../lib/api";

export type Choice = { functional: boolean; analytics: boolean; version: string; at: number };
const KEY = "qweb.consent";
/** Preferences kept in this browser only with functional consent (policy section 7). */
const FUNCTIONAL_KEYS = new Set<string>();

function read(): Choice | null {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "null");
    return v && typeof v.analytics === "boolean" && typeof v.functional === "boolean" ? v : null;
  } catch {
    return null;
  }
}

export const consentStore = createRoot(() => {
  const [choice, setChoiceSignal] = createSignal<Choice | null>(read());
  const [settingsOpen, setSettingsOpen] = createSignal(false);
  const [policyVersion, setPolicyVersion] = createSignal<string | null>(null);

  function remember(c: Choice) {
    setChoiceSignal(c);
    try {
      localStorage.setItem(KEY, JSON.stringify(c));
      if (!c.functional) for (const k of FUNCTIONAL_KEYS) localStorage.removeItem(k);
    } catch {}
  }

  /** Records a choice here and, when `signedIn`, on the account. */
  async function choose(functional: boolean, analytics: boolean, signedIn: boolean, source: "banner" | "settings" = "banner") {
    const version = policyVersion() ?? choice()?.version ?? "";
    remember({ functional, analytics, version, at: Date.now() });
    if (signedIn) await api("/api/privacy/consents", { method: "PUT", body: { functional, analytics, source } });
  }

  /** After sign-in: the account's recorded choice wins; a choice made before signing in is recorded. */
  async function syncWithAccount() {
    const res = await api<{ consent: { functional: boolean; analytics: boolean; policyVersion: string | null; decidedAt: number | null } }>("/api/privacy/consents");
    const local = choice();
    if (res.consent.decidedAt && (!local || local.at < res.consent.decidedAt)) {
      remember({ functional: res.consent.functional, analytics: res.consent.analytics, version: res.consent.policyVersion ?? "", at: res.consent.decidedAt });
    } else if (local && !res.consent.decidedAt) {
      await api("/api/privacy/consents", { method: "PUT", body: { functional: local.functional, analytics: local.analytics, source: "banner" } });
    }
  }

  return { choice, choose, syncWithAccount, settingsOpen, setSettingsOpen, policyVersion, setPolicyVersion, remember };
});

export const openCookieSettings = () => consentStore.setSettingsOpen(true);

/** A functional preference (selected organization, workspace…): stored only with consent. */
export const functionalPreference = {
  read(key: string): string | null {
    FUNCTIONAL_KEYS.add(key);
    try {
      return consentStore.choice()?.functional ? localStorage.getItem(key) : null;
    } catch {
      return null;
    }
  },
  write(key: string, value: string | null) {
    FUNCTIONAL_KEYS.add(key);
    try {
      if (value && consentStore.choice()?.functional) localStorage.setItem(key, value);
      else localStorage.removeItem(key);
    } catch {}
  },
};
