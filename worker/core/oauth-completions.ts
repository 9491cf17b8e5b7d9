// OAuth providers whose connect flow ends outside the integrations framework (a mailbox, not a
// synced integration). They reuse its single-use state and callback URL; the callback hands the
// checked state to the completion registered here and redirects where it says.
import type { Database } from "../db/client";

export type OAuthCallbackState = { workspaceId: string; orgId: string; userId: string; provider: string; account: Record<string, string>; codeVerifier?: string };
/** Finishes the connect and returns the absolute URL to send the browser to (success or error). */
export type OAuthCompletion = (env: Env, db: Database, state: OAuthCallbackState, query: Record<string, string>) => Promise<string>;

const completions = new Map<string, OAuthCompletion>();

export function registerOAuthCompletion(provider: string, fn: OAuthCompletion) {
  completions.set(provider, fn);
}

export const oauthCompletionFor = (provider: string): OAuthCompletion | undefined => completions.get(provider);
