// Mailchimp OAuth 2: authorize and token at login.mailchimp.com; tokens never expire and carry no
// scopes or refresh token. The metadata endpoint tells which data center serves the account.
import { formBody, ProviderError, providerFetch, providerUrl, readJson } from "../http";
import type { ConnectorRuntime, OAuthFlow, TokenGrant } from "../types";
import { DC_PATTERN } from "./api";

export const AUTHORIZE_URL = "https://login.mailchimp.com/oauth2/authorize";
export const TOKEN_URL = "https://login.mailchimp.com/oauth2/token";
export const METADATA_URL = "https://login.mailchimp.com/oauth2/metadata";

type Metadata = { dc?: string; accountname?: string; user_id?: number | string; api_endpoint?: string; login?: { login_id?: number | string; login_email?: string } };

async function exchange(rt: ConnectorRuntime, code: string): Promise<TokenGrant> {
  const res = await providerFetch(rt, TOKEN_URL, {
    provider: "mailchimp",
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: formBody({ grant_type: "authorization_code", client_id: rt.app.clientId, client_secret: rt.app.clientSecret, redirect_uri: rt.app.redirectUri, code }),
    describe: "token exchange",
  });
  const token = await readJson<{ access_token?: string }>(res, "mailchimp");
  if (!token?.access_token) throw new ProviderError("transient", "mailchimp token exchange: no access_token", { provider: "mailchimp" });
  const meta = await readJson<Metadata>(
    await providerFetch(rt, METADATA_URL, { provider: "mailchimp", headers: { authorization: `OAuth ${token.access_token}`, accept: "application/json" } }),
    "mailchimp",
  );
  const dc = meta?.dc ?? "";
  if (!DC_PATTERN.test(dc)) throw new ProviderError("permanent", "mailchimp metadata: no valid data center", { provider: "mailchimp" });
  const account: Record<string, string> = { dc, accountId: String(meta.user_id ?? "") };
  if (meta.login?.login_id !== undefined) account.loginId = String(meta.login.login_id);
  return {
    secrets: { accessToken: token.access_token },
    expiresAt: null,
    scopes: [],
    account,
    label: meta.accountname || meta.login?.login_email || `Mailchimp ${dc}`,
  };
}

export const mailchimpOAuth: OAuthFlow = {
  inputs: [],
  pkce: false,
  scopes: [],
  authorizeUrl: (rt, p) =>
    providerUrl(rt, "mailchimp", `${AUTHORIZE_URL}?${new URLSearchParams({ response_type: "code", client_id: rt.app.clientId, redirect_uri: rt.app.redirectUri, state: p.state })}`),
  exchange: (rt, p) => exchange(rt, p.code),
};
