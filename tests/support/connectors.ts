// Helpers for connector tests: a runtime pointed at the live sandbox, its control endpoints, the
// OAuth redirect dance, and a driver that pages streams to completion the way the sync engine does.
import { env } from "cloudflare:test";
import { backoffMs, ProviderError } from "../../worker/connectors/http";
import type {
  Account, AdAccount, AdCampaign, AdInsight, AdSet, Audience, Connector, ConnectorRuntime, Cursor, DailyMetric, EmailCampaign, NormalizedBatch, Order, Product, Secrets,
  SocialAccount, SocialInsight, SocialPost,
} from "../../worker/connectors/types";

export const SANDBOX_APP = {
  clientId: "qweb-sandbox-client",
  clientSecret: "qweb-sandbox-secret",
  redirectUri: "http://localhost:8787/api/integrations/oauth/callback",
};

export function sandboxRuntime(overrides: Partial<ConnectorRuntime> = {}): ConnectorRuntime {
  return {
    fetch: (input, init) => fetch(input, init),
    sandboxUrl: env.SANDBOX_URL,
    now: () => Date.now(),
    app: SANDBOX_APP,
    timeoutMs: 5000,
    ...overrides,
  };
}

/** Calls a sandbox control endpoint (`/_sandbox/<path>`) and returns its JSON. */
export async function sandboxControl<T = any>(path: string, body?: unknown, method = body === undefined ? "GET" : "POST"): Promise<T> {
  const res = await fetch(`${env.SANDBOX_URL}/_sandbox/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export type SandboxFault = {
  provider: string;
  kind: "429" | "500" | "503" | "timeout" | "malformed" | "token-expired" | "throttled" | "redirect";
  location?: string;
  match?: string;
  count?: number;
  retryAfter?: number;
  after?: number;
};

export const injectFaults = (faults: SandboxFault | SandboxFault[]) => sandboxControl("faults", faults);

/**
 * Follows an authorize URL without a browser: with `prompt=none` the sandbox redirects straight
 * back to the redirect URI; returns that redirect's query (code, state, error…).
 */
export async function authorizeSilently(authorizeUrl: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const url = new URL(authorizeUrl);
  url.searchParams.set("prompt", "none");
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: "manual" });
  await res.text();
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`authorize did not redirect: ${res.status}`);
  return Object.fromEntries(new URL(location).searchParams);
}

/** Rows keyed the way the sync engine upserts them. */
export const rowKey = {
  metric: (m: DailyMetric) => `${m.date}|${m.metric}|${m.dimension}|${m.dimensionValue}`,
  campaign: (c: EmailCampaign) => `${c.kind}:${c.providerId}`,
  audience: (a: Audience) => a.providerId,
  order: (o: Order) => o.providerId,
  product: (p: Product) => p.providerId,
  socialInsight: (m: SocialInsight) => `${m.accountId}|${m.metric}|${m.date}`,
  adInsight: (i: AdInsight) => `${i.campaignId}|${i.date}`,
};

export type RowStore = {
  metrics: Map<string, DailyMetric>;
  campaigns: Map<string, EmailCampaign>;
  audiences: Map<string, Audience>;
  orders: Map<string, Order>;
  products: Map<string, Product>;
  socialAccounts: Map<string, SocialAccount>;
  socialInsights: Map<string, SocialInsight>;
  socialPosts: Map<string, SocialPost>;
  adAccounts: Map<string, AdAccount>;
  adCampaigns: Map<string, AdCampaign>;
  adSets: Map<string, AdSet>;
  adInsights: Map<string, AdInsight>;
  deleted: Set<string>;
};

export const emptyStore = (): RowStore => ({
  metrics: new Map(),
  campaigns: new Map(),
  audiences: new Map(),
  orders: new Map(),
  products: new Map(),
  socialAccounts: new Map(),
  socialInsights: new Map(),
  socialPosts: new Map(),
  adAccounts: new Map(),
  adCampaigns: new Map(),
  adSets: new Map(),
  adInsights: new Map(),
  deleted: new Set(),
});

/** Upserts a batch into the store; returns how many rows of it were already there. */
export function upsert(store: RowStore, batch: NormalizedBatch): number {
  let seen = 0;
  const put = <T>(map: Map<string, T>, key: string, row: T) => {
    if (map.has(key)) seen++;
    map.set(key, row);
  };
  for (const m of batch.metrics ?? []) put(store.metrics, rowKey.metric(m), m);
  for (const c of batch.campaigns ?? []) put(store.campaigns, rowKey.campaign(c), c);
  for (const a of batch.audiences ?? []) put(store.audiences, rowKey.audience(a), a);
  for (const o of batch.orders ?? []) put(store.orders, rowKey.order(o), o);
  for (const p of batch.products ?? []) put(store.products, rowKey.product(p), p);
  for (const a of batch.socialAccounts ?? []) put(store.socialAccounts, a.providerId, a);
  for (const m of batch.socialInsights ?? []) put(store.socialInsights, rowKey.socialInsight(m), m);
  for (const p of batch.socialPosts ?? []) put(store.socialPosts, p.providerId, p);
  for (const a of batch.adAccounts ?? []) put(store.adAccounts, a.providerId, a);
  for (const c of batch.adCampaigns ?? []) put(store.adCampaigns, c.providerId, c);
  for (const s of batch.adSets ?? []) put(store.adSets, s.providerId, s);
  for (const i of batch.adInsights ?? []) put(store.adInsights, rowKey.adInsight(i), i);
  for (const d of batch.deleted ?? []) store.deleted.add(`${d.kind}:${d.providerId}`);
  return seen;
}

export type SyncOptions = {
  secrets: Secrets;
  account: Account;
  /** The watermark per stream (or one for all) from the last completed run; null = full sync. */
  since?: number | null | Record<string, number | null | undefined>;
  /** Only these streams (default: all). */
  streams?: string[];
  /** Upsert into this store (e.g. the one a previous run filled). */
  store?: RowStore;
  maxAttemptsPerPage?: number;
  /** Cap on one wait for a rate limit / transient error, so tests stay fast. */
  maxWaitMs?: number;
};

export type SyncResult = {
  store: RowStore;
  /** Rows this run received that it had already received earlier in the same run (must be 0). */
  duplicates: number;
  /** Every row this run received, per stream, in order. */
  received: Record<string, NormalizedBatch[]>;
  watermarks: Record<string, number | null | undefined>;
  pages: Record<string, number>;
  errors: { stream: string; kind: string; status?: number; retryAfterMs?: number; cursor: Cursor | null }[];
  refreshes: number;
  /** The secrets after any refresh. */
  secrets: Secrets;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Pages every stream to completion like the sync engine: after a rate-limited or transient error
 * it waits and retries the SAME cursor; after "unauthorized" it refreshes the token (when the
 * flow can) and retries; permanent errors are thrown.
 */
export async function syncAll(connector: Connector, rt: ConnectorRuntime, opts: SyncOptions): Promise<SyncResult> {
  const store = opts.store ?? emptyStore();
  const runStore = emptyStore();
  const secrets: Secrets = { ...opts.secrets };
  const result: SyncResult = { store, duplicates: 0, received: {}, watermarks: {}, pages: {}, errors: [], refreshes: 0, secrets };
  const maxAttempts = opts.maxAttemptsPerPage ?? 8;
  const maxWait = opts.maxWaitMs ?? 3000;
  for (const stream of connector.streams) {
    if (opts.streams && !opts.streams.includes(stream.name)) continue;
    const since =
      opts.since !== null && typeof opts.since === "object" ? (opts.since[stream.name] ?? null) : (opts.since ?? null);
    result.received[stream.name] = [];
    result.pages[stream.name] = 0;
    let cursor: Cursor | null = null;
    let attempt = 0;
    for (;;) {
      try {
        const page = await stream.page(rt, { secrets, account: opts.account, cursor, since });
        attempt = 0;
        result.pages[stream.name]!++;
        result.received[stream.name]!.push(page.batch);
        result.duplicates += upsert(runStore, page.batch);
        upsert(store, page.batch);
        if (page.watermark !== undefined) result.watermarks[stream.name] = page.watermark;
        if (!page.next) break;
        cursor = page.next;
        if (page.waitMs !== undefined) await sleep(Math.min(page.waitMs, maxWait));
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        result.errors.push({ stream: stream.name, kind: err.kind, status: err.opts.status, retryAfterMs: err.opts.retryAfterMs, cursor });
        if (++attempt >= maxAttempts) throw err;
        if (err.kind === "rate-limited" || err.kind === "transient") {
          await sleep(Math.min(err.opts.retryAfterMs ?? backoffMs(attempt, 50, 1000), maxWait));
        } else if (err.kind === "unauthorized" && connector.auth.kind === "oauth2" && connector.auth.flow.refresh) {
          const grant = await connector.auth.flow.refresh(rt, { secrets, account: opts.account });
          Object.assign(secrets, grant.secrets);
          result.refreshes++;
        } else {
          throw err;
        }
      }
    }
  }
  return result;
}

/** All rows of one kind in a store, as an array. */
export const rowsOf = <K extends Exclude<keyof RowStore, "deleted">>(store: RowStore, kind: K) =>
  [...(store[kind] as Map<string, any>).values()] as RowStore[K] extends Map<string, infer T> ? T[] : never;
