// What a sync failure means to the people who use QWEB: one sentence saying what happened and
// what to do. The raw reason (provider, endpoint, status, body excerpt) stays in the sync history
// and is shown to workspace admins only.
import { getConnector } from "../../connectors";

export type FailureKind = "uninstalled" | "auth-revoked" | "unreadable-credentials" | "rate-limited" | "provider-down" | "malformed" | "not-found" | "permission" | "unknown";

// The reasons are written by connectors/http.ts (ProviderError), the OAuth flows and the sync
// engine; they are stored as text, so the kind is read back from them here, in one place.
const RULES: [FailureKind, RegExp][] = [
  ["uninstalled", /uninstalled/i],
  ["unreadable-credentials", /could not read the stored credentials/i],
  ["auth-revoked", /invalid_grant|revoked|refused to renew|rejected the stored credentials|access token rejected|token (has )?expired|unauthori[sz]ed|\b401\b/i],
  ["permission", /\b403\b|forbidden|insufficient (scope|permission)|not allowed/i],
  ["rate-limited", /rate.?limit|\b429\b|throttled/i],
  ["malformed", /malformed|invalid json|unexpected (token|end)/i],
  ["not-found", /\b404\b|not found/i],
  ["provider-down", /timed out|timeout|network error|\b5\d\d\b|unavailable/i],
];

export function failureKind(raw: string): FailureKind {
  return RULES.find(([, re]) => re.test(raw))?.[0] ?? "unknown";
}

/** The company whose sign-in the provider uses (GA4 and Google Ads sign in with Google). */
const VENDORS: Record<string, string> = { ga4: "Google", "google-ads": "Google", meta: "Meta" };
const vendorOf = (provider: string, name: string) => VENDORS[provider] ?? name;

export function failureMessage(provider: string, raw: string): string {
  const name = getConnector(provider)?.name ?? provider;
  const vendor = vendorOf(provider, name);
  switch (failureKind(raw)) {
    case "uninstalled":
      return `${vendor} says QWEB's access was revoked or its app was uninstalled. Reconnect ${name} to resume syncing.`;
    case "auth-revoked":
      return `${vendor} says QWEB's access was revoked or expired. Reconnect ${name} to resume syncing.`;
    case "unreadable-credentials":
      return `QWEB could not read the saved sign-in for ${name}. Reconnect ${name} to resume syncing.`;
    case "permission":
      return `${vendor} no longer lets QWEB read this account. Reconnect ${name} with an account that has access, then sync again.`;
    case "rate-limited":
      return `${name} asked QWEB to slow down. The next sync picks up where this one stopped; nothing to do.`;
    case "provider-down":
      return `${name} did not answer in time. QWEB tries again at the next sync; nothing to do unless this lasts a day.`;
    case "malformed":
      return `${name} sent an answer QWEB could not read. QWEB tries again at the next sync; if it keeps happening, contact support.`;
    case "not-found":
      return `${name} could not find this account or store any more. Check that it still exists, then reconnect ${name}.`;
    default:
      return `Syncing ${name} failed. QWEB tries again at the next sync; if it keeps failing, reconnect ${name}.`;
  }
}

/** A failure as the API answers it: the sentence for everyone, the raw reason only for admins. */
export function failureView(provider: string, raw: string | null, admin: boolean) {
  if (!raw) return { message: null, detail: undefined };
  return { message: failureMessage(provider, raw), detail: admin ? raw : undefined };
}
