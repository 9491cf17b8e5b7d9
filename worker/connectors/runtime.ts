import { readConfig, type Config } from "../env";
import type { ConnectorRuntime, OAuthApp, ProviderId } from "./types";

/** The OAuth app credentials the sandbox providers accept: only reachable through `sandboxAppOf` (local mode). */
const SANDBOX_APP = { clientId: "qweb-sandbox-client", clientSecret: "qweb-sandbox-secret" } as const;

export const OAUTH_CALLBACK_PATH = "/api/integrations/oauth/callback";
type AppSecretNames = { id: keyof Config; secret: keyof Config };
// Google's one OAuth client serves GA4 and Gmail (and later Google Ads); the others have their own app.
const appSecrets: Partial<Record<ProviderId, AppSecretNames>> = {
  shopify: { id: "SHOPIFY_CLIENT_ID", secret: "SHOPIFY_CLIENT_SECRET" },
  ga4: { id: "GOOGLE_CLIENT_ID", secret: "GOOGLE_CLIENT_SECRET" },
  "google-ads": { id: "GOOGLE_CLIENT_ID", secret: "GOOGLE_CLIENT_SECRET" },
  gmail: { id: "GOOGLE_CLIENT_ID", secret: "GOOGLE_CLIENT_SECRET" },
  mailchimp: { id: "MAILCHIMP_CLIENT_ID", secret: "MAILCHIMP_CLIENT_SECRET" },
  meta: { id: "META_CLIENT_ID", secret: "META_CLIENT_SECRET" },
  outlook: { id: "MICROSOFT_CLIENT_ID", secret: "MICROSOFT_CLIENT_SECRET" },
};

/** The verify token the sandbox's Meta app uses for the webhook handshake. */
export const SANDBOX_META_VERIFY_TOKEN = "qweb-sandbox-verify-token";

/** Meta's webhook verify token: the Worker secret, else the sandbox's when the sandbox is in use. */
export function metaVerifyToken(env: Env): string | null {
  return str(env, "META_WEBHOOK_VERIFY_TOKEN") ?? (sandboxUrlOf(env) ? SANDBOX_META_VERIFY_TOKEN : null);
}

const str = (env: Env, name: keyof Config) => {
  const v = readConfig(env)[name];
  return typeof v === "string" && v.length > 0 ? v : undefined;
};

/** Local mode is opt-in: a missing or misspelt APP_ENV is production. */
export const isLocalEnv = (env: Env) => readConfig(env).APP_ENV !== "production";

/** Provider traffic goes to the sandbox in local mode whenever SANDBOX_URL is set. */
export const sandboxUrlOf = (env: Env): string | null =>
  isLocalEnv(env) && str(env, "SANDBOX_URL") ? str(env, "SANDBOX_URL")!.replace(/\/$/, "") : null;

/** The sandbox's OAuth app (and so its webhook-signing secret): null outside local mode. */
export const sandboxAppOf = (env: Env) => (sandboxUrlOf(env) ? SANDBOX_APP : null);

/**
 * The OAuth app for a provider: Worker secrets when set, else the sandbox app when the sandbox
 * is in use; null when the provider cannot be connected in this deployment.
 */
export function oauthAppOf(env: Env, provider: ProviderId): OAuthApp | null {
  const redirectUri = `${readConfig(env).APP_URL.replace(/\/$/, "")}${OAUTH_CALLBACK_PATH}`;
  const names = appSecrets[provider];
  const clientId = names && str(env, names.id);
  const clientSecret = names && str(env, names.secret);
  if (clientId && clientSecret) return { clientId, clientSecret, redirectUri };
  const sandbox = sandboxAppOf(env);
  if (sandbox) return { ...sandbox, redirectUri };
  return null;
}

/** The developer token the sandbox's Google Ads accepts. */
export const SANDBOX_GOOGLE_ADS_DEVELOPER_TOKEN = "qweb-sandbox-developer-token";

function settingsOf(env: Env, provider: ProviderId): Record<string, string> | undefined {
  if (provider !== "google-ads") return undefined;
  const developerToken = str(env, "GOOGLE_ADS_DEVELOPER_TOKEN") ?? (sandboxUrlOf(env) ? SANDBOX_GOOGLE_ADS_DEVELOPER_TOKEN : "");
  return { developerToken, apiVersion: readConfig(env).GOOGLE_ADS_API_VERSION };
}

/** Builds what a connector call needs from the Worker's env. */
export function buildRuntime(env: Env, provider: ProviderId, overrides: Partial<ConnectorRuntime> = {}): ConnectorRuntime {
  return {
    fetch: (input, init) => fetch(input, init),
    sandboxUrl: sandboxUrlOf(env),
    now: () => Date.now(),
    app: oauthAppOf(env, provider) ?? { clientId: "", clientSecret: "", redirectUri: `${readConfig(env).APP_URL}${OAUTH_CALLBACK_PATH}` },
    timeoutMs: readConfig(env).PROVIDER_TIMEOUT_MS,
    settings: settingsOf(env, provider),
    ...overrides,
  };
}
