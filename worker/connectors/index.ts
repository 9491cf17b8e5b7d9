import { ga4 } from "./ga4";
import { googleAds } from "./google-ads";
import { klaviyo } from "./klaviyo";
import { mailchimp } from "./mailchimp";
import { meta } from "./meta";
import { shopify } from "./shopify";
import type { Connector, ProviderId } from "./types";
import { woocommerce } from "./woocommerce";

/** Every connector, by provider id. Each provider's folder adds its entry here. */
export const connectors: Partial<Record<ProviderId, Connector>> = {
  ga4,
  "google-ads": googleAds,
  klaviyo,
  mailchimp,
  meta,
  shopify,
  woocommerce,
};

export function getConnector(id: string): Connector | undefined {
  return Object.hasOwn(connectors, id) ? connectors[id as ProviderId] : undefined;
}
