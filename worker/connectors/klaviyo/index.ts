// Klaviyo (JSON:API, private API key): lists with member counts, email campaigns and flows with
// their figures from the Reporting API, and signed system webhooks.
import { ProviderError } from "../http";
import type { Connector } from "../types";
import { API_BASE, expectCollection, klaviyoGet, type Collection } from "./api";
import { campaignsStream, flowsStream } from "./campaigns";
import { listsStream } from "./lists";
import { placedOrderMetric } from "./reports";
import { klaviyoWebhook } from "./webhook";

type AccountAttributes = {
  contact_information?: { organization_name?: string; default_sender_name?: string };
  preferred_currency?: string;
  timezone?: string;
};

export const klaviyo: Connector = {
  id: "klaviyo",
  name: "Klaviyo",
  category: "email-marketing",
  auth: {
    kind: "api-key",
    flow: {
      inputs: [
        {
          name: "apiKey",
          label: "Private API key",
          secret: true,
          placeholder: "pk_…",
          help: "Klaviyo → Settings → API keys → Create private API key (read access to accounts, lists, campaigns, flows and metrics).",
        },
      ],
      async verify(rt, { secrets }) {
        const key = secrets.apiKey?.trim() ?? "";
        // Public (site) keys are 6 characters and cannot read the API: refuse them before any call.
        if (!key.startsWith("pk_")) throw new ProviderError("unauthorized", "klaviyo: a private API key starts with pk_", { provider: "klaviyo" });
        const s = { apiKey: key };
        const { body } = await klaviyoGet<Collection<AccountAttributes>>(rt, s, `${API_BASE}/accounts`);
        const acct = expectCollection(body, "accounts").data[0];
        if (!acct) throw new ProviderError("permanent", "klaviyo: the key sees no account", { provider: "klaviyo" });
        const a = acct.attributes ?? {};
        const metric = await placedOrderMetric(rt, s);
        const name = a.contact_information?.organization_name || a.contact_information?.default_sender_name || `Klaviyo ${acct.id}`;
        const account: Record<string, string> = { accountId: acct.id, currency: a.preferred_currency || "USD" };
        if (a.timezone) account.timezone = a.timezone;
        if (metric) account.conversionMetricId = metric;
        return { account, label: name };
      },
    },
  },
  streams: [listsStream, campaignsStream, flowsStream],
  webhook: klaviyoWebhook,
  accountKey: (account) => account.accountId ?? "",
};
