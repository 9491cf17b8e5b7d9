// Outlook (Microsoft 365 and Outlook.com) through the Microsoft identity platform and Graph.
// Not a sync-engine connector: a Mailbox Durable Object drives it (features/inbox).
import type { Connector } from "../types";
import { outlookApi } from "./api";
import { microsoftAuthorizeUrl, microsoftExchange, microsoftRefresh, OUTLOOK_SCOPES } from "./oauth";

export const outlook: Connector = {
  id: "outlook",
  name: "Outlook",
  category: "email",
  auth: {
    kind: "oauth2",
    flow: {
      inputs: [],
      pkce: true,
      scopes: OUTLOOK_SCOPES,
      authorizeUrl: (rt, p) => microsoftAuthorizeUrl(rt, { state: p.state, codeChallenge: p.codeChallenge, loginHint: p.account.loginHint }),
      async exchange(rt, p) {
        const grant = await microsoftExchange(rt, { code: p.code, codeVerifier: p.codeVerifier });
        const me = await outlookApi.me(rt, grant.secrets);
        const address = (me.mail ?? me.userPrincipalName).toLowerCase();
        return { ...grant, account: { address }, label: address };
      },
      refresh: (rt, p) => microsoftRefresh(rt, p.secrets),
    },
  },
  streams: [],
  accountKey: (account) => account.address ?? "",
};

export { outlookApi, DeltaExpired, type DeltaItem, type DeltaPage } from "./api";
export { OUTLOOK_SCOPES } from "./oauth";
