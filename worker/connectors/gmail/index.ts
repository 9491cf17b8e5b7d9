// Gmail through Google OAuth (worker/connectors/google/): the OAuth flow a mailbox connects with
// (the account's address comes from users.getProfile) and the API client. Not a sync-engine
// connector: a Mailbox Durable Object drives it (features/inbox).
import { googleAuthorizeUrl, googleExchange, googleRefresh, googleRevoke } from "../google/oauth";
import type { Connector } from "../types";
import { gmailApi } from "./api";

export const GMAIL_SCOPES = [
  "https://www.googleapis.com/auth/gmail.readonly",
  "https://www.googleapis.com/auth/gmail.compose",
  "https://www.googleapis.com/auth/gmail.send",
];

export const gmail: Connector = {
  id: "gmail",
  name: "Gmail",
  category: "email",
  auth: {
    kind: "oauth2",
    flow: {
      inputs: [],
      pkce: true,
      scopes: GMAIL_SCOPES,
      authorizeUrl: (rt, p) => googleAuthorizeUrl(rt, "gmail", { scopes: GMAIL_SCOPES, state: p.state, codeChallenge: p.codeChallenge, loginHint: p.account.loginHint }),
      async exchange(rt, p) {
        const grant = await googleExchange(rt, "gmail", { code: p.code, codeVerifier: p.codeVerifier });
        const profile = await gmailApi.profile(rt, grant.secrets);
        return { ...grant, account: { address: profile.emailAddress.toLowerCase() }, label: profile.emailAddress.toLowerCase() };
      },
      refresh: (rt, p) => googleRefresh(rt, "gmail", p.secrets),
      revoke: (rt, p) => googleRevoke(rt, "gmail", p.secrets),
    },
  },
  streams: [],
  accountKey: (account) => account.address ?? "",
};

export { gmailApi, GMAIL_BATCH_MAX, HistoryExpired, type HistoryPage, type RawMessage } from "./api";
export { buildReply, replySubject } from "./compose";
export { decodeBase64Url, parseMail, type ParsedMail, type MailAddress } from "./mime";
