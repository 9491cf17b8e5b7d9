// Google Ads REST (googleads.googleapis.com/v{N}): listAccessibleCustomers and searchStream over
// generated accounts: each Google user manages one manager account (MCC) with one or two client
// accounts, two years of daily campaign metrics, budgets (one shared by two campaigns). Clients
// answer only with the manager's id as login-customer-id. Google OAuth is the shared module's.
import { between, businessName, DAY_MS, header, isoDay, json, pick, rng, seedOf, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { googleError, googleUser, handleGoogleOAuth } from "./google.ts";
import { changed, entries, persisted, refill } from "../state.ts";

export const DEVELOPER_TOKEN = "qweb-sandbox-developer-token";
const SCOPES = ["https://www.googleapis.com/auth/adwords"];
const HISTORY_DAYS = 730;
const CHUNK = 400;

type Budget = { id: string; amountMicros: number; shared: boolean; refs: number };
type Campaign = { id: string; name: string; status: string; channel: string; budget: Budget; startDay: number };
type Client = { id: string; name: string; currency: string; timeZone: string; campaigns: Campaign[] };
type Manager = { id: string; name: string; clients: Client[] };

const cache = new Map<string, Manager>();
const owners = new Map<string, string>();
/** Mutations through campaigns:mutate / campaignBudgets:mutate, applied over the generated accounts; writes per resource. */
const statusOf = new Map<string, string>();
const budgetMicros = new Map<string, number>();
const writes = new Map<string, number>();
persisted("google-ads", {
  save: () => ({ status: entries(statusOf), budgets: entries(budgetMicros), writes: entries(writes) }),
  load: (d) => { refill(statusOf, d.status); refill(budgetMicros, d.budgets); refill(writes, d.writes); cache.clear(); },
});
const applied = (m: Manager): Manager => {
  for (const cl of m.clients) for (const c of cl.campaigns) {
    c.status = statusOf.get(c.id) ?? c.status;
    c.budget.amountMicros = budgetMicros.get(c.budget.id) ?? c.budget.amountMicros;
  }
  return m;
};
const cid = (r: () => number) => String(between(r, 1_000_000_000, 9_999_999_999));

export function managerOf(user: string): Manager {
  const hit = cache.get(user);
  if (hit) return applied(hit);
  const r = rng(seedOf(`google-ads:${user}`));
  const company = businessName(user.split("@")[0]!) ?? pick(r, ["Acme", "Northwind", "Lumen Labs"]);
  const m: Manager = { id: cid(r), name: `${company} Agency MCC`, clients: [] };
  const n = r() < 0.35 ? 2 : 1;
  for (let k = 0; k < n; k++) {
    const currency = k === 0 ? pick(r, ["USD", "USD", "EUR", "GBP"]) : "JPY";
    const client: Client = { id: cid(r), name: k === 0 ? company : `${company} Japan`, currency, timeZone: "Etc/UTC", campaigns: [] };
    const unit = currency === "JPY" ? 100 : 1;
    const shared: Budget = { id: String(between(r, 10_000, 99_999)), amountMicros: between(r, 20, 200) * 1_000_000 * unit + between(r, 0, 999_999), shared: true, refs: 2 };
    const count = between(r, 3, 6);
    for (let c = 0; c < count; c++) {
      const budget = c < 2 ? shared : { id: String(between(r, 10_000, 99_999)), amountMicros: between(r, 5, 150) * 1_000_000 * unit + between(r, 0, 999_999), shared: false, refs: 1 };
      client.campaigns.push({
        id: String(between(r, 10_000_000, 99_999_999)), name: `${client.name} ${pick(r, ["Search - Brand", "Search - Generic", "PMax - Shop", "Display - Remarketing", "YouTube - Awareness"])} ${c + 1}`,
        status: r() < 0.75 ? "ENABLED" : "PAUSED", channel: pick(r, ["SEARCH", "PERFORMANCE_MAX", "DISPLAY", "VIDEO"]), budget, startDay: between(r, 0, HISTORY_DAYS - 30),
      });
    }
    m.clients.push(client);
    owners.set(client.id, user);
  }
  owners.set(m.id, user);
  cache.set(user, m);
  return applied(m);
}

const dayAt = (i: number) => isoDay(Date.now() - (HISTORY_DAYS - i) * DAY_MS);
const indexOf = (day: string) => HISTORY_DAYS - Math.round((Date.parse(`${isoDay(Date.now())}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / DAY_MS);

type Day = { costMicros: number; impressions: number; clicks: number; conversions: number; value: number };
function dayOf(c: Campaign, currency: string, i: number): Day | null {
  if (i < c.startDay || i >= HISTORY_DAYS) return null;
  const r = rng(seedOf(`gads-day:${c.id}:${i}`));
  const costMicros = Math.round(c.budget.amountMicros * (c.budget.shared ? 0.5 : 1) * (0.4 + 0.6 * r()));
  const impressions = r() < 0.05 ? 0 : between(r, 100, 8000);
  const clicks = impressions ? Math.round(impressions * (0.01 + 0.07 * r())) : 0;
  const conversions = Math.round(clicks * (0.02 + 0.06 * r()) * 100) / 100;
  const unit = currency === "JPY" ? 1 : 100;
  const value = Math.round(conversions * between(r, 20, 140) * unit) / unit;
  return { costMicros: impressions ? costMicros : 0, impressions, clicks, conversions, value };
}

export function quotaError(delaySeconds: number, temporary: boolean): SandboxResponse {
  return json(429, {
    error: {
      code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED",
      details: [{
        "@type": "type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure",
        errors: [{
          errorCode: { quotaError: temporary ? "RESOURCE_TEMPORARILY_EXHAUSTED" : "RESOURCE_EXHAUSTED" }, message: "Too many requests. Retry in 30 seconds.",
          details: { quotaErrorDetails: { rateScope: "ACCOUNT", rateName: "Requests per account", retryDelay: `${delaySeconds}s` } },
        }],
        requestId: `rq${Date.now().toString(36)}`,
      }],
    },
  });
}

function adsFailure(status: number, googleStatus: string, errorCode: Record<string, string>, message: string) {
  return json(status, {
    error: {
      code: status, message: "Request contains an invalid argument.", status: googleStatus,
      details: [{ "@type": "type.googleapis.com/google.ads.googleads.v23.errors.GoogleAdsFailure", errors: [{ errorCode, message }], requestId: `rq${Date.now().toString(36)}` }],
    },
  });
}

/** Leaves of proto3 JSON omit zero values. */
const nz = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0 && v !== "0" && v !== undefined));

function search(req: SandboxRequest, user: string, customerId: string): SandboxResponse {
  let q = "";
  try {
    q = String(JSON.parse(req.body.toString("utf8") || "{}").query ?? "");
  } catch {
    return googleError(400, "Invalid JSON payload received.");
  }
  const from = /\bFROM\s+(\w+)/i.exec(q)?.[1]?.toLowerCase();
  if (!from) return adsFailure(400, "INVALID_ARGUMENT", { queryError: "UNEXPECTED_END_OF_QUERY" }, "Missing FROM clause.");
  const m = managerOf(user);
  const login = (header(req, "login-customer-id") ?? "").replace(/\D/g, "");
  const isManager = customerId === m.id;
  const client = m.clients.find((c) => c.id === customerId);
  if (!isManager && !client) return adsFailure(403, "PERMISSION_DENIED", { authorizationError: "USER_PERMISSION_DENIED" }, "User doesn't have permission to access customer.");
  if (client && login !== m.id) return adsFailure(403, "PERMISSION_DENIED", { authorizationError: "USER_PERMISSION_DENIED" }, "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header.");
  let results: unknown[] = [];
  if (from === "customer") {
    results = isManager
      ? [{ customer: { resourceName: `customers/${m.id}`, id: m.id, descriptiveName: m.name, currencyCode: "USD", timeZone: "Etc/UTC", manager: true } }]
      : [{ customer: { resourceName: `customers/${client!.id}`, id: client!.id, descriptiveName: client!.name, currencyCode: client!.currency, timeZone: client!.timeZone } }];
  } else if (from === "customer_client") {
    if (!isManager) return adsFailure(400, "INVALID_ARGUMENT", { queryError: "PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE" }, "customer_client of a non-manager");
    results = [
      { customerClient: { resourceName: `customers/${m.id}/customerClients/${m.id}`, id: m.id, descriptiveName: m.name, currencyCode: "USD", timeZone: "Etc/UTC", manager: true, level: "0" } },
      ...m.clients.map((c) => ({ customerClient: nz({ resourceName: `customers/${m.id}/customerClients/${c.id}`, id: c.id, descriptiveName: c.name, currencyCode: c.currency, timeZone: c.timeZone, manager: false, level: "1" }) })),
    ];
  } else if (from === "campaign" && client) {
    const range = /segments\.date\s+BETWEEN\s+'(\d{4}-\d{2}-\d{2})'\s+AND\s+'(\d{4}-\d{2}-\d{2})'/i.exec(q);
    if (/metrics\./i.test(q) && !range) return adsFailure(400, "INVALID_ARGUMENT", { queryError: "EXPECTED_FILTERS_ON_DATE_RANGE" }, "Metrics need a date range.");
    if (!range) {
      results = client.campaigns.map((c) => ({
        campaign: { resourceName: `customers/${client.id}/campaigns/${c.id}`, id: c.id, name: c.name, status: c.status, advertisingChannelType: c.channel, campaignBudget: `customers/${client.id}/campaignBudgets/${c.budget.id}` },
        campaignBudget: { resourceName: `customers/${client.id}/campaignBudgets/${c.budget.id}`, id: c.budget.id, amountMicros: String(c.budget.amountMicros), explicitlyShared: c.budget.shared, referenceCount: String(c.budget.refs), period: "DAILY" },
      }));
    } else {
      for (let i = Math.max(0, indexOf(range[1]!)); i <= Math.min(HISTORY_DAYS - 1, indexOf(range[2]!)); i++) {
        for (const c of client.campaigns) {
          const d = dayOf(c, client.currency, i);
          if (!d) continue;
          results.push({
            campaign: { resourceName: `customers/${client.id}/campaigns/${c.id}`, id: c.id },
            metrics: nz({ costMicros: String(d.costMicros), impressions: String(d.impressions), clicks: String(d.clicks), conversions: d.conversions, conversionsValue: d.value }),
            segments: { date: dayAt(i) },
          });
        }
      }
    }
  } else {
    return adsFailure(400, "INVALID_ARGUMENT", { queryError: "INVALID_RESOURCE_NAME" }, `The sandbox does not serve FROM ${from}`);
  }
  const chunks: unknown[] = [];
  for (let k = 0; k < Math.max(1, results.length); k += CHUNK) {
    chunks.push({ results: results.slice(k, k + CHUNK), fieldMask: "…", requestId: `rq${k}` });
  }
  return json(200, chunks, { "request-id": `rq${Date.now().toString(36)}` });
}

type Operation = { update?: Record<string, unknown>; updateMask?: string; create?: unknown; remove?: string };

/** campaigns:mutate and campaignBudgets:mutate: update operations with a field mask (status; amount_micros). */
function mutate(req: SandboxRequest, user: string, customerId: string, service: "campaigns" | "campaignBudgets"): SandboxResponse {
  let body: { operations?: Operation[]; validateOnly?: boolean };
  try {
    body = JSON.parse(req.body.toString("utf8") || "{}");
  } catch {
    return googleError(400, "Invalid JSON payload received.");
  }
  const m = managerOf(user);
  const client = m.clients.find((c) => c.id === customerId);
  const login = (header(req, "login-customer-id") ?? "").replace(/\D/g, "");
  if (!client || login !== m.id) return adsFailure(403, "PERMISSION_DENIED", { authorizationError: "USER_PERMISSION_DENIED" }, "User doesn't have permission to access customer.");
  const ops = body.operations ?? [];
  if (!ops.length) return adsFailure(400, "INVALID_ARGUMENT", { mutateError: "EMPTY_MUTATE_OPERATIONS" }, "No operations in the request.");
  const results: { resourceName: string }[] = [];
  const apply: (() => void)[] = [];
  for (const op of ops) {
    const u = op.update;
    const mask = (op.updateMask ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    const name = String(u?.resourceName ?? "");
    if (!u || !mask.length) return adsFailure(400, "INVALID_ARGUMENT", { fieldMaskError: "FIELD_MASK_MISSING" }, "The field mask is missing.");
    if (service === "campaigns") {
      const id = new RegExp(`^customers/${customerId}/campaigns/(\\d+)$`).exec(name)?.[1];
      const c = client.campaigns.find((x) => x.id === id);
      if (!c) return adsFailure(404, "NOT_FOUND", { mutateError: "RESOURCE_NOT_FOUND" }, `Resource was not found: ${name}`);
      if (mask.some((f) => f !== "status")) return adsFailure(400, "INVALID_ARGUMENT", { fieldMaskError: "FIELD_NOT_FOUND" }, "The sandbox updates campaign.status only.");
      if (!["ENABLED", "PAUSED", "REMOVED"].includes(String(u.status))) return adsFailure(400, "INVALID_ARGUMENT", { requestError: "INVALID_ENUM_VALUE" }, "Invalid value for campaign.status.");
      apply.push(() => { statusOf.set(c.id, String(u.status)); writes.set(c.id, (writes.get(c.id) ?? 0) + 1); });
    } else {
      const id = new RegExp(`^customers/${customerId}/campaignBudgets/(\\d+)$`).exec(name)?.[1];
      const b = client.campaigns.map((c) => c.budget).find((x) => x.id === id);
      if (!b) return adsFailure(404, "NOT_FOUND", { mutateError: "RESOURCE_NOT_FOUND" }, `Resource was not found: ${name}`);
      if (mask.some((f) => f !== "amount_micros")) return adsFailure(400, "INVALID_ARGUMENT", { fieldMaskError: "FIELD_NOT_FOUND" }, "The sandbox updates campaign_budget.amount_micros only.");
      const micros = Number(u.amountMicros);
      if (!Number.isInteger(micros) || micros <= 0) return adsFailure(400, "INVALID_ARGUMENT", { campaignBudgetError: "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT" }, "The budget amount must be a positive whole number of micros.");
      if (micros % 10_000 !== 0) return adsFailure(400, "INVALID_ARGUMENT", { campaignBudgetError: "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT" }, "The budget amount is not a multiple of the currency's minimum unit.");
      apply.push(() => { budgetMicros.set(b.id, micros); writes.set(b.id, (writes.get(b.id) ?? 0) + 1); });
    }
    results.push({ resourceName: name });
  }
  if (!body.validateOnly) {
    for (const f of apply) f();
    applied(m);
    changed();
  }
  return json(200, { results }, { "request-id": `rq${Date.now().toString(36)}` });
}

function handle(req: SandboxRequest): SandboxResponse | null {
  const oauth = handleGoogleOAuth(req);
  if (oauth) return oauth;
  if (req.host !== "googleads.googleapis.com") return null;
  const who = googleUser(req, SCOPES);
  if ("error" in who) return who.error;
  if (header(req, "developer-token") !== DEVELOPER_TOKEN) return adsFailure(401, "UNAUTHENTICATED", { authenticationError: "DEVELOPER_TOKEN_INVALID" }, "The developer token is not valid.");
  const path = /^\/v(\d+)(\/.*)$/.exec(req.path);
  if (!path || Number(path[1]) < 20) return googleError(404, `Version not found or sunset: ${req.path}`);
  if (req.method === "GET" && path[2] === "/customers:listAccessibleCustomers") return json(200, { resourceNames: [`customers/${managerOf(who.user).id}`] });
  const s = /^\/customers\/(\d+)\/googleAds:(searchStream|search)$/.exec(path[2]!);
  if (s && req.method === "POST") return search(req, who.user, s[1]!);
  const mu = /^\/customers\/(\d+)\/(campaigns|campaignBudgets):mutate$/.exec(path[2]!);
  if (mu && req.method === "POST") return mutate(req, who.user, mu[1]!, mu[2] as "campaigns" | "campaignBudgets");
  return googleError(404, `Method not found: ${req.method} ${req.path}`);
}

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  const q = req.url.searchParams;
  const user = (q.get("user") ?? "").toLowerCase();
  if (action === "accounts") return json(200, managerOf(user));
  if (action === "writes") return json(200, Object.fromEntries(writes));
  if (action === "stats") {
    const client = managerOf(user).clients.find((c) => c.id === q.get("customer"));
    if (!client) return json(404, { error: "unknown customer" });
    const lo = Math.max(0, indexOf(q.get("start") ?? dayAt(0)));
    const hi = Math.min(HISTORY_DAYS - 1, indexOf(q.get("end") ?? dayAt(HISTORY_DAYS - 1)));
    const per = 10 ** (6 - (client.currency === "JPY" ? 0 : 2));
    const s = { rows: 0, spendMinor: 0, impressions: 0, clicks: 0, conversions: 0, valueMinor: 0 };
    for (let i = lo; i <= hi; i++) {
      for (const c of client.campaigns) {
        const d = dayOf(c, client.currency, i);
        if (!d) continue;
        s.rows++; s.spendMinor += Math.floor(d.costMicros / per + 0.5); s.impressions += d.impressions; s.clicks += d.clicks;
        s.conversions += d.conversions; s.valueMinor += Math.round(d.value * (client.currency === "JPY" ? 1 : 100));
      }
    }
    return json(200, { ...s, conversions: Math.round(s.conversions * 100) / 100, currency: client.currency, campaigns: client.campaigns });
  }
  return null;
}

export const googleAds: ProviderModule = {
  id: "google-ads",
  handle,
  control,
  renderFault: (f: Fault) => {
    if (f.kind === "429" || f.kind === "throttled") return quotaError(f.retryAfter ?? 30, f.kind === "throttled");
    if (f.kind === "500") return googleError(500, "Internal error encountered.");
    if (f.kind === "503") return googleError(503, "The service is currently unavailable.");
    if (f.kind === "token-expired") return googleError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token.");
    return null;
  },
};
