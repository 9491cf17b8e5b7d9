// Meta (Facebook Pages, Instagram business accounts, Marketing API) through Facebook Login.
// One connection covers every Page, linked Instagram account and ad account the user granted.
import type { Connector } from "../types";
import { adAccountsStream, adInsightsStream, adSetsStream, campaignsStream } from "./ads";
import { META_SCOPES, metaAuthorizeUrl, metaExchange, metaRevoke } from "./oauth";
import { accountsStream, igInsightsStream, igMediaStream, pageInsightsStream, pagePostsStream } from "./social";
import { metaWebhook } from "./webhook";


export const meta: Connector = {
  id: "meta",
  name: "Meta (Facebook, Instagram, Ads)",
  category: "social",
  auth: {
    kind: "oauth2",
    flow: {
      inputs: [],
      pkce: false,
      scopes: META_SCOPES,
      authorizeUrl: (rt, p) => metaAuthorizeUrl(rt, p),
      exchange: (rt, p) => metaExchange(rt, { code: p.code }),
      // No refresh: a long-lived user token lasts ~60 days, then the user reconnects.
      revoke: (rt, p) => metaRevoke(rt, p.secrets.accessToken),
    },
  },
  streams: [accountsStream, pageInsightsStream, igInsightsStream, pagePostsStream, igMediaStream, adAccountsStream, campaignsStream, adSetsStream, adInsightsStream],
  webhook: metaWebhook,
  accountKey: (account) => `meta-user:${account.userId}`,
};
