// Google Ads (REST, searchStream GAQL) through the shared Google OAuth with the adwords scope.
import { googleAuthorizeUrl, googleExchange, googleRefresh, googleRevoke } from "../google/oauth";
import type { Connector } from "../types";
import { chooseCustomer } from "./customers";
import { campaignsStream, customerStream, dailyMetricsStream } from "./streams";

export const GOOGLE_ADS_SCOPES = ["https://www.googleapis.com/auth/adwords"];

export const googleAds: Connector = {
  id: "google-ads",
  name: "Google Ads",
  category: "ads",
  auth: {
    kind: "oauth2",
    flow: {
      inputs: [{ name: "customerId", label: "Customer ID (optional)", secret: false, placeholder: "123-456-7890", help: "Leave empty to use the first account (also one under a manager account)." }],
      pkce: true,
      scopes: GOOGLE_ADS_SCOPES,
      authorizeUrl: (rt, p) => googleAuthorizeUrl(rt, "google-ads", { scopes: GOOGLE_ADS_SCOPES, state: p.state, codeChallenge: p.codeChallenge, loginHint: p.account.loginHint }),
      async exchange(rt, p) {
        const grant = await googleExchange(rt, "google-ads", { code: p.code, codeVerifier: p.codeVerifier });
        const { account, label } = await chooseCustomer(rt, grant.secrets, p.account.customerId);
        return { ...grant, account, label };
      },
      refresh: (rt, p) => googleRefresh(rt, "google-ads", p.secrets),
      revoke: (rt, p) => googleRevoke(rt, "google-ads", p.secrets),
    },
  },
  streams: [customerStream, campaignsStream, dailyMetricsStream],
  accountKey: (account) => `customers/${account.customerId}`,
};
