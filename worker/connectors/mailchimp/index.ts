// Mailchimp Marketing API 3.0 through OAuth: audiences (lists) with member counts, campaigns with
// their reports, and list webhooks secured by a secret in their URL.
import type { Connector } from "../types";
import { apiBase, mailchimpGet } from "./api";
import { mailchimpOAuth } from "./oauth";
import { campaignsStream, listsStream } from "./streams";
import { mailchimpWebhook } from "./webhook";
import { providerFetch } from "../http";

export const WEBHOOK_EVENTS = { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true };

export const mailchimp: Connector = {
  id: "mailchimp",
  name: "Mailchimp",
  category: "email-marketing",
  auth: { kind: "oauth2", flow: mailchimpOAuth },
  streams: [listsStream, campaignsStream],
  webhook: {
    ...mailchimpWebhook,
    /** Registers the delivery URL (with our secret in it) on every list of the account. */
    async subscribe(rt, { secrets, account, deliveryUrl, secret }) {
      const url = new URL(deliveryUrl);
      url.searchParams.set("secret", secret);
      const { lists = [] } = await mailchimpGet<{ lists?: { id: string }[] }>(rt, secrets, account, "/lists?count=1000&fields=lists.id");
      for (const list of lists) {
        const hooks = await mailchimpGet<{ webhooks?: { url?: string }[] }>(rt, secrets, account, `/lists/${encodeURIComponent(list.id)}/webhooks`);
        if (hooks.webhooks?.some((h) => h.url === url.toString())) continue;
        await providerFetch(rt, `${apiBase(account)}/lists/${encodeURIComponent(list.id)}/webhooks`, {
          provider: "mailchimp",
          method: "POST",
          headers: { authorization: `Bearer ${secrets.accessToken ?? ""}`, "content-type": "application/json" },
          body: JSON.stringify({ url: url.toString(), events: WEBHOOK_EVENTS, sources: { user: true, admin: true, api: false } }),
        });
      }
    },
  },
  accountKey: (account) => `${account.dc}:${account.accountId}`,
};
