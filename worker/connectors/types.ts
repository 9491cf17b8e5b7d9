/**
 * The one interface every third-party connector implements (authorize, exchange, refresh, verify,
 * sync streams, webhook verification, mapping). Connectors are pure HTTP clients plus mapping into
 * the normalized rows below: they never touch D1, the vault or features. The sync engine
 * (WorkspaceSync) persists what they return and keeps their cursors.
 */
export type ProviderId = "shopify" | "woocommerce" | "ga4" | "klaviyo" | "mailchimp" | "meta" | "google-ads" | "gmail" | "outlook" | "icloud";
export type ProviderCategory = "commerce" | "analytics" | "email-marketing" | "social" | "ads" | "email";

/** Secret credential fields: encrypted at rest by the vault, plaintext only in memory during a call. */
export type Secrets = {
  accessToken?: string;
  refreshToken?: string;
  apiKey?: string;
  consumerKey?: string;
  consumerSecret?: string;
  /** A mailbox password (iCloud: the app-specific password). */
  password?: string;
};

/** Non-secret account coordinates (shop domain, store URL, data center, property id, currency…). */
export type Account = Record<string, string>;

export type TokenGrant = {
  secrets: Secrets;
  /** Absolute ms from the provider's expires_in; null when the token does not expire. */
  expiresAt: number | null;
  scopes: string[];
  account?: Account;
  /** Human label of the connected account ("acme.myshopify.com", "Acme Web (GA4)"). */
  label?: string;
};

export type FieldSpec = { name: string; label: string; secret: boolean; placeholder?: string; help?: string };

/** The OAuth app registered with the provider (client id/secret come from Worker secrets). */
export type OAuthApp = { clientId: string; clientSecret: string; redirectUri: string };

export type ConnectorRuntime = {
  fetch: typeof fetch;
  /** When set, every provider URL is rewritten into the sandbox: `${sandboxUrl}/${provider}/${host}${path}`. */
  sandboxUrl: string | null;
  now: () => number;
  app: OAuthApp;
  /** Per-request timeout for provider calls. */
  timeoutMs: number;
  /** Optional provider settings from the Worker's config (Google Ads: developerToken, apiVersion). */
  settings?: Record<string, string>;
};

export interface OAuthFlow {
  /** Fields asked before the redirect (e.g. Shopify's shop domain); empty for most providers. */
  inputs: FieldSpec[];
  pkce: boolean;
  scopes: string[];
  authorizeUrl(rt: ConnectorRuntime, p: { state: string; codeChallenge?: string; account: Account }): string;
  exchange(
    rt: ConnectorRuntime,
    p: { code: string; codeVerifier?: string; account: Account; query: Record<string, string> },
  ): Promise<TokenGrant>;
  /** Absent when tokens never expire (Mailchimp). */
  refresh?(rt: ConnectorRuntime, p: { secrets: Secrets; account: Account }): Promise<TokenGrant>;
  /** Absent when the provider offers no revocation endpoint. */
  revoke?(rt: ConnectorRuntime, p: { secrets: Secrets; account: Account }): Promise<void>;
}

export interface ApiKeyFlow {
  inputs: FieldSpec[];
  /** Verifies the key with a real call before anything is stored. */
  verify(rt: ConnectorRuntime, p: { secrets: Secrets; account: Account }): Promise<{ account: Account; label: string }>;
}

/** A stream's resumable position; stored by the sync engine after each page is written. */
export type Cursor = Record<string, string | number | boolean | null>;

export type StreamPage = {
  batch: NormalizedBatch;
  /** null when the stream has no more pages for this run. */
  next: Cursor | null;
  /** The incremental watermark (ms) reached so far; the next run starts from it. */
  watermark?: number | null;
  /**
   * The provider is still preparing the data (a bulk export): ask again with `next` after this
   * long. The engine keeps the cursor and lets other syncs work meanwhile.
   */
  waitMs?: number;
  /** What the wait is for, for the live status line. */
  detail?: string;
};

export interface SyncStream {
  name: string;
  /**
   * Fetches ONE page. `cursor` is null at the start of a run; `since` is the watermark of the last
   * completed run (null for a full sync). Throws ProviderError on failure.
   */
  page(
    rt: ConnectorRuntime,
    p: { secrets: Secrets; account: Account; cursor: Cursor | null; since: number | null },
  ): Promise<StreamPage>;
}

export type WebhookEvent = {
  /** Provider event/delivery id: a replayed delivery with the same id changes nothing. */
  eventId: string;
  topic: string;
  /** Which connected account it concerns (shop domain, store URL, list id…). */
  accountKey: string;
  batch: NormalizedBatch;
  /** The provider says the app was uninstalled / access revoked. */
  revoked?: boolean;
  /**
   * Optional: the asset (a Page, an Instagram account) the delivery concerns when one integration
   * covers several (Meta); integrations whose `account.assets` comma list names it also match.
   */
  assetId?: string;
};

/**
 * Webhooks reach `/api/webhooks/<provider>` (app-level, signed with the OAuth app's client secret:
 * Shopify) or `/api/webhooks/<provider>/<integrationId>` (per integration: WooCommerce, Klaviyo,
 * Mailchimp). For the second form the engine creates a random webhook secret per integration,
 * stores it in the vault and passes it as `secret` (Mailchimp: compare it with the URL's
 * `secret` query parameter, since Mailchimp does not sign).
 */
export interface WebhookSpec {
  /** Checks the signature on the RAW body before anything is parsed or stored. */
  verify(p: { rawBody: Uint8Array; headers: Headers; url: URL; secret: string }): Promise<boolean>;
  /** Async: Mailchimp names a delivery by the SHA-256 of its body, and Web Crypto's digest is async. */
  parse(p: { rawBody: Uint8Array; headers: Headers; url: URL }): Promise<WebhookEvent | null>;
  /**
   * Optional (added by the framework, backwards-compatible): registers `deliveryUrl` with the
   * provider after connecting (WooCommerce POST /webhooks with `secret`, a Mailchimp list
   * webhook…). Best effort: a failure is recorded, the connection stands.
   */
  /** Optional: the GET subscription handshake (Meta's hub.challenge); the challenge to echo, or null. */
  handshake?(p: { url: URL; verifyToken: string }): string | null;
  subscribe?(rt: ConnectorRuntime, p: { secrets: Secrets; account: Account; deliveryUrl: string; secret: string }): Promise<void>;
}

export interface Connector {
  id: ProviderId;
  name: string;
  category: ProviderCategory;
  auth: { kind: "oauth2"; flow: OAuthFlow } | { kind: "api-key"; flow: ApiKeyFlow };
  streams: SyncStream[];
  webhook?: WebhookSpec;
  /**
   * Optional (added by the framework, backwards-compatible): the stable identity of the connected
   * account, equal to `WebhookEvent.accountKey` for its webhooks (shop domain, store URL, property
   * id, Mailchimp account/dc…). Connecting the same account again updates the existing
   * integration instead of adding one. Default: the grant's/verify's `label`.
   */
  accountKey?(account: Account, label: string): string;
}

// ---- Normalized rows (money in integer minor units with ISO currency; times in ms UTC) ----

export type DailyMetric = {
  /** YYYY-MM-DD in the account's reporting time zone. */
  date: string;
  metric: string;
  /** "" for the total, otherwise e.g. "channel" or "landing_page". */
  dimension: string;
  dimensionValue: string;
  value: number;
  currency?: string;
};

export type OrderLine = { productId: string; title: string; quantity: number; totalMinor: number };

export type Order = {
  providerId: string;
  number: string;
  status: string;
  currency: string;
  totalMinor: number;
  subtotalMinor: number;
  discountMinor: number;
  refundedMinor: number;
  customerId: string | null;
  createdAt: number;
  updatedAt: number;
  lines: OrderLine[];
};

export type Product = {
  providerId: string;
  title: string;
  sku: string | null;
  priceMinor: number;
  currency: string;
  updatedAt: number;
};

export type EmailCampaign = {
  providerId: string;
  name: string;
  kind: "campaign" | "flow";
  status: string;
  sentAt: number | null;
  recipients: number;
  delivered: number;
  opens: number;
  clicks: number;
  bounces: number;
  unsubscribes: number;
  revenueMinor: number;
  currency: string | null;
  updatedAt: number;
};

export type Audience = {
  providerId: string;
  name: string;
  kind: "list" | "segment" | "audience";
  memberCount: number;
  updatedAt: number;
};

export type SocialAccount = {
  providerId: string;
  kind: "page" | "ig";
  name: string;
  parentId: string | null;
  followers: number;
  updatedAt: number;
};

export type SocialInsight = { accountId: string; metric: string; date: string; value: number };

/** What a social post shows: Meta's IG media_type / FB attachment media_type, normalized. */
export type SocialMediaType = "photo" | "video" | "carousel" | "link" | "text";

export type SocialPost = {
  providerId: string;
  accountId: string;
  message: string | null;
  permalink: string | null;
  /** Null when the provider did not say. */
  mediaType?: SocialMediaType | null;
  publishedAt: number;
  reach: number;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  engagement: number;
  updatedAt: number;
};

export type AdChannel = "meta" | "google";

export type AdAccount = { providerId: string; channel: AdChannel; name: string; currency: string; timeZone: string | null; updatedAt: number };

export type AdCampaign = {
  providerId: string;
  channel: AdChannel;
  accountId: string;
  name: string;
  status: string;
  objective: string | null;
  dailyBudgetMinor: number | null;
  lifetimeBudgetMinor: number | null;
  currency: string;
  sharedBudget: boolean;
  budgetId: string | null;
  updatedAt: number;
};

export type AdSet = {
  providerId: string;
  campaignId: string;
  name: string;
  status: string;
  dailyBudgetMinor: number | null;
  lifetimeBudgetMinor: number | null;
  currency: string;
  updatedAt: number;
};

export type AdInsight = {
  campaignId: string;
  date: string;
  spendMinor: number;
  impressions: number;
  clicks: number;
  reach: number | null;
  conversions: number;
  conversionValueMinor: number;
  currency: string;
};

export type NormalizedBatch = {
  socialAccounts?: SocialAccount[];
  socialInsights?: SocialInsight[];
  socialPosts?: SocialPost[];
  adAccounts?: AdAccount[];
  adCampaigns?: AdCampaign[];
  adSets?: AdSet[];
  adInsights?: AdInsight[];
  metrics?: DailyMetric[];
  orders?: Order[];
  products?: Product[];
  campaigns?: EmailCampaign[];
  audiences?: Audience[];
  /** Provider ids of entities deleted at the provider (e.g. a deleted order webhook). */
  deleted?: { kind: "order" | "product" | "campaign" | "audience"; providerId: string }[];
};
