// Google Analytics 4 (Data API v1beta) through Google OAuth: daily sessions, users, conversions
// and revenue, in total and by channel group and landing page.
import { googleAuthorizeUrl, googleExchange, googleRefresh, googleRevoke } from "../google/oauth";
import type { Connector } from "../types";
import { chooseProperty } from "./admin";
import { dailyReportStream } from "./report";

export const GA4_SCOPES = ["https://www.googleapis.com/auth/analytics.readonly"];

export const ga4: Connector = {
  id: "ga4",
  name: "Google Analytics 4",
  category: "analytics",
  auth: {
    kind: "oauth2",
    flow: {
      inputs: [
        {
          name: "propertyId",
          label: "GA4 property ID (optional)",
          secret: false,
          placeholder: "123456789",
          help: "Leave empty to use the first property of the Google account.",
        },
      ],
      pkce: true,
      scopes: GA4_SCOPES,
      authorizeUrl: (rt, p) =>
        googleAuthorizeUrl(rt, "ga4", { scopes: GA4_SCOPES, state: p.state, codeChallenge: p.codeChallenge, loginHint: p.account.loginHint }),
      async exchange(rt, p) {
        const grant = await googleExchange(rt, "ga4", { code: p.code, codeVerifier: p.codeVerifier });
        const { account, label } = await chooseProperty(rt, grant.secrets, p.account.propertyId);
        return { ...grant, account, label };
      },
      refresh: (rt, p) => googleRefresh(rt, "ga4", p.secrets),
      revoke: (rt, p) => googleRevoke(rt, "ga4", p.secrets),
    },
  },
  streams: [
    dailyReportStream("daily_totals", null, ""),
    dailyReportStream("daily_by_channel", "sessionDefaultChannelGroup", "channel"),
    dailyReportStream("daily_by_landing_page", "landingPage", "landing_page"),
  ],
  accountKey: (account) => `properties/${account.propertyId}`,
};
