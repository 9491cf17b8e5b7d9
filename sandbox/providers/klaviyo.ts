// Klaviyo (a.klaviyo.com, JSON:API, `revision` header): accounts, metrics, lists (+ profile_count),
// campaigns (channel filter required, keyset cursors), flows, campaign/flow values reports, with
// per-account fixed-window rate limits (RateLimit-* headers, 429 + Retry-After) and signed
// system webhooks (hex HMAC-SHA256 of raw body + Klaviyo-Timestamp).
//
// Sandbox keys: any private key matching pk_sandbox_<4+ chars> is valid, and each distinct key is
// its own Klaviyo account with its own generated data. Every other key answers 401.
import { createHmac, randomUUID } from "node:crypto";
import { between, businessName, DAY_MS, json, pick, rng, seedOf, type Fault, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { klaviyoCampaignControl, klaviyoCampaignWrites } from "./klaviyo-campaigns.ts";

const HOST = "a.klaviyo.com";
const KEY_PATTERN = /^pk_sandbox_[A-Za-z0-9_-]{4,}$/;
const NEWEST_REVISION = "2026-10-15";
const JSONAPI = { "content-type": "application/vnd.api+json" };

// ---------------------------------------------------------------- errors

type ApiError = { status: number; code: string; title: string; detail: string; source?: Record<string, string> };
const errors = (status: number, list: Omit<ApiError, "status">[], headers: Record<string, string> = {}): SandboxResponse => ({
  status,
  headers: { ...JSONAPI, ...headers },
  body: JSON.stringify({ errors: list.map((e) => ({ id: randomUUID(), status, ...e, links: {}, meta: {} })) }),
});
const invalid = (detail: string, source?: Record<string, string>) => errors(400, [{ code: "invalid", title: "Invalid input.", detail, source }]);
const notFound = (detail = "A resource with that id could not be found.") => errors(404, [{ code: "not_found", title: "Not found.", detail }]);
const throttled = (seconds: number) =>
  errors(429, [{ code: "throttled", title: "Request was throttled.", detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? "" : "s"}.` }], {
    "retry-after": String(seconds),
  });

function renderFault(f: Fault): SandboxResponse | null {
  switch (f.kind) {
    case "429":
    case "throttled":
      return throttled(f.retryAfter ?? 1);
    case "500":
      return errors(500, [{ code: "error", title: "A server error occurred.", detail: "A server error occurred." }]);
    case "503":
      return errors(503, [{ code: "service_unavailable", title: "Service unavailable.", detail: "Service unavailable." }], { "retry-after": String(f.retryAfter ?? 1) });
    case "token-expired":
      return errors(401, [{ code: "authentication_failed", title: "Incorrect authentication credentials.", detail: "Incorrect authentication credentials." }]);
    default:
      return null;
  }
}

// ---------------------------------------------------------------- rate limits

type Limit = { burst: number; steady: number; daily?: number };
const LIMITS: Record<string, Limit> = {
  accounts: { burst: 1, steady: 15 },
  metrics: { burst: 10, steady: 150 },
  lists: { burst: 75, steady: 750 },
  list: { burst: 75, steady: 700 },
  "list-count": { burst: 1, steady: 15 },
  campaigns: { burst: 10, steady: 150 },
  flows: { burst: 3, steady: 60 },
  "campaign-values": { burst: 1, steady: 2, daily: 225 },
  "flow-values": { burst: 1, steady: 2, daily: 225 },
};
type Window = { start: number; used: number };
const windows = new Map<string, Window>();
/** Keys whose limits tests relaxed (same shape, 100× the allowance). */
const relaxed = new Set<string>();

/** Counts a request in the account's burst (1 s), steady (1 min) and daily windows. */
function limit(key: string, bucket: string): { headers: Record<string, string> } | { error: SandboxResponse } {
  const base = LIMITS[bucket]!;
  const scale = relaxed.has(key) ? 100 : 1;
  const now = Date.now();
  const spans: [string, number, number][] = [
    ["burst", 1000, base.burst * scale],
    ["steady", 60_000, base.steady * scale],
    ...(base.daily ? ([["daily", DAY_MS, base.daily * scale]] as [string, number, number][]) : []),
  ];
  const state = spans.map(([name, span, max]) => {
    const id = `${key}|${bucket}|${name}`;
    let w = windows.get(id);
    if (!w || now - w.start >= span) windows.set(id, (w = { start: now, used: 0 }));
    return { w, span, max };
  });
  const full = state.filter((s) => s.w.used >= s.max);
  if (full.length) {
    const wait = Math.max(...full.map((s) => s.w.start + s.span - now));
    return { error: throttled(Math.max(1, Math.ceil(wait / 1000))) };
  }
  for (const s of state) s.w.used++;
  // Report the tightest window, as a client would want to pace by it.
  const tight = state.reduce((a, b) => (b.max - b.w.used < a.max - a.w.used ? b : a));
  return {
    headers: {
      "ratelimit-limit": String(tight.max),
      "ratelimit-remaining": String(tight.max - tight.w.used),
      "ratelimit-reset": String(Math.max(1, Math.ceil((tight.w.start + tight.span - now) / 1000))),
    },
  };
}

// ---------------------------------------------------------------- generated accounts

type Stats = { recipients: number; delivered: number; opens: number; opensUnique: number; clicks: number; clicksUnique: number; bounced: number; unsubscribes: number; conversions: number; valueMinor: number };
type Campaign = { id: string; name: string; channel: "email" | "sms"; status: string; archived: boolean; createdAt: number; scheduledAt: number | null; sendTime: number | null; updatedAt: number; listId: string; stats: Stats | null };
type List = { id: string; name: string; created: number; updated: number; profileCount: number };
type FlowMessage = { id: string; stats: Stats };
type Flow = { id: string; name: string; status: string; archived: boolean; created: number; updated: number; triggerType: string; messages: FlowMessage[] };
type Account = { id: string; key: string; name: string; currency: string; timezone: string; digits: number; metrics: { id: string; name: string }[]; lists: List[]; campaigns: Campaign[]; flows: Flow[] };

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const shortId = (r: () => number) => Array.from({ length: 6 }, () => pick(r, [...ALNUM])).join("");
const ulid = (r: () => number) => "01" + Array.from({ length: 24 }, () => pick(r, [...CROCKFORD])).join("");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");

const ORGS = ["Northwind Coffee", "Acme Outdoor", "Bistro Uno", "Lumen Skincare", "Harbor Books", "Fjord Knitwear"];
const LIST_NAMES = ["Newsletter", "VIP Customers", "Welcome Signups", "Preview List", "Wholesale", "Event Attendees", "Back in Stock", "Loyalty Members",
  "Holiday Shoppers", "Sample Requests", "Survey Respondents", "Re-engaged", "Pop-up Form", "Footer Form"];
const CAMPAIGN_THEMES = ["Spring sale", "New arrivals", "Weekend flash sale", "Behind the scenes", "Staff picks", "Holiday gift guide", "Last chance",
  "Back in stock", "Customer stories", "Free shipping week", "Loyalty rewards", "Summer edit", "Autumn favourites", "Black Friday early access", "Year in review"];
const FLOW_NAMES: [string, string][] = [["Welcome Series", "Added to List"], ["Abandoned Cart", "Metric"], ["Browse Abandonment", "Metric"], ["Post-Purchase Thank You", "Metric"],
  ["Win-back", "Metric"], ["Birthday", "Date Based"], ["Back in Stock", "Low Inventory"], ["Price Drop", "Price Drop"], ["Sunset Unengaged", "Metric"]];

function statsFor(r: () => number, recipients: number, aovMinor: number, strength = 1): Stats {
  const bounced = Math.round(recipients * (0.003 + r() * 0.015));
  const delivered = recipients - bounced;
  const opensUnique = Math.round(delivered * Math.min(0.85, (0.25 + r() * 0.3) * strength));
  const clicksUnique = Math.round(opensUnique * (0.05 + r() * 0.15));
  const conversions = Math.round(clicksUnique * (0.04 + r() * 0.12));
  return {
    recipients,
    delivered,
    opensUnique,
    opens: Math.round(opensUnique * (1.2 + r() * 0.8)),
    clicksUnique,
    clicks: Math.round(clicksUnique * (1.1 + r() * 0.6)),
    bounced,
    unsubscribes: Math.round(delivered * (0.001 + r() * 0.004)),
    conversions,
    valueMinor: Math.round(conversions * aovMinor * (0.7 + r() * 0.6)),
  };
}

const accounts = new Map<string, Account>();
persisted("klaviyo", {
  save: () => ({ accounts: entries(accounts), relaxed: [...relaxed], pageCaps: entries(pageCaps) }),
  load: (d) => {
    refill(accounts, d.accounts);
    refill(pageCaps, d.pageCaps);
    relaxed.clear();
    for (const k of d.relaxed ?? []) relaxed.add(k);
  },
});

function accountOf(key: string): Account {
  const hit = accounts.get(key);
  if (hit) return hit;
  const r = rng(seedOf(`klaviyo:${key}`));
  const now = Date.now();
  const currency = pick(r, ["USD", "USD", "USD", "EUR", "GBP", "CAD", "AUD"]);
  const aovMinor = between(r, 30, 120) * 100 + between(r, 0, 99);
  const metrics = ["Placed Order", "Opened Email", "Clicked Email", "Received Email", "Bounced Email", "Unsubscribed", "Active on Site", "Viewed Product"].map((name) => ({
    id: shortId(r),
    name,
  }));
  const lists: List[] = LIST_NAMES.slice(0, between(r, 4, 12)).map((name) => {
    const created = now - between(r, 200, 900) * DAY_MS;
    return { id: shortId(r), name, created, updated: created + between(r, 1, 150) * DAY_MS, profileCount: between(r, 40, 25_000) };
  });
  const campaigns: Campaign[] = [];
  const emailCount = between(r, 30, 80);
  for (let i = 0; i < emailCount + between(r, 4, 12); i++) {
    const channel = i < emailCount ? "email" : "sms";
    const list = pick(r, lists);
    const roll = r();
    const status = roll < 0.86 ? "Sent" : roll < 0.93 ? "Draft" : roll < 0.97 ? "Scheduled" : "Cancelled";
    const sendTime = status === "Sent" ? now - between(r, 2 * 3600, 360 * 24 * 3600) * 1000 : status === "Scheduled" ? now + between(r, 1, 20) * DAY_MS : null;
    const scheduledAt = sendTime !== null && status !== "Draft" ? sendTime - between(r, 1, 72) * 3_600_000 : null;
    const createdAt = (scheduledAt ?? now - between(r, 1, 40) * DAY_MS) - between(r, 1, 10) * DAY_MS;
    const updatedAt = status === "Sent" ? sendTime! + between(r, 5, 90) * 60_000 : (scheduledAt ?? createdAt) + between(r, 1, 600) * 60_000;
    campaigns.push({
      id: ulid(r),
      name: `${pick(r, CAMPAIGN_THEMES)} ${channel === "sms" ? "(SMS)" : ""}`.trim() + ` #${i + 1}`,
      channel,
      status,
      archived: status === "Cancelled" && r() < 0.5,
      createdAt,
      scheduledAt,
      sendTime,
      updatedAt: Math.min(updatedAt, now - 60_000),
      listId: list.id,
      stats: status === "Sent" ? statsFor(r, Math.max(20, Math.round(list.profileCount * (0.6 + r() * 0.35))), aovMinor) : null,
    });
  }
  const flows: Flow[] = FLOW_NAMES.slice(0, between(r, 4, 9)).map(([name, triggerType]) => {
    const created = now - between(r, 100, 700) * DAY_MS;
    return {
      id: shortId(r),
      name,
      status: pick(r, ["live", "live", "live", "manual", "draft"]),
      archived: false,
      created,
      updated: created + between(r, 1, 90) * DAY_MS,
      triggerType,
      messages: Array.from({ length: between(r, 1, 4) }, () => ({ id: shortId(r), stats: statsFor(r, between(r, 200, 9000), aovMinor, 1.4) })),
    };
  });
  const account: Account = {
    id: shortId(r),
    key,
    name: businessName(key.replace(/^pk_sandbox_/, "")) ?? pick(r, ORGS),
    currency,
    timezone: pick(r, ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin"]),
    digits: 2,
    metrics,
    lists,
    campaigns,
    flows,
  };
  accounts.set(key, account);
  changed();
  return account;
}

// ---------------------------------------------------------------- filters, sorting, cursors

type Expr = { op: string; field: string; value: unknown };

/** Splits on commas outside parentheses, brackets and quotes. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = "";
  let cur = "";
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = "";
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0 && !quote) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseValue(raw: string): unknown {
  const v = raw.trim();
  if (v.startsWith("[") && v.endsWith("]")) return splitTop(v.slice(1, -1)).map(parseValue);
  if ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"'))) return v.slice(1, -1);
  if (v === "true" || v === "false") return v === "true";
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (!Number.isNaN(t)) return t;
  throw new Error(`invalid value ${v}`);
}

/** Klaviyo filter syntax: `op(field,value)` joined by commas or wrapped in and(…). */
export function parseFilter(s: string): Expr[] {
  const out: Expr[] = [];
  for (const part of splitTop(s)) {
    const m = /^([a-z-]+)\((.*)\)$/s.exec(part);
    if (!m) throw new Error(`invalid filter ${part}`);
    if (m[1] === "and") {
      out.push(...parseFilter(m[2]!));
      continue;
    }
    const args = splitTop(m[2]!);
    if (args.length !== 2) throw new Error(`invalid filter ${part}`);
    out.push({ op: m[1]!, field: args[0]!, value: parseValue(args[1]!) });
  }
  return out;
}

function matches(e: Expr, actual: unknown): boolean {
  const v = e.value;
  switch (e.op) {
    case "equals":
      return actual === v;
    case "any":
    case "contains-any":
      return Array.isArray(v) && v.includes(actual);
    case "contains":
      return typeof actual === "string" && typeof v === "string" && actual.toLowerCase().includes(v.toLowerCase());
    case "greater-than":
      return typeof actual === "number" && actual > (v as number);
    case "greater-or-equal":
      return typeof actual === "number" && actual >= (v as number);
    case "less-than":
      return typeof actual === "number" && actual < (v as number);
    case "less-or-equal":
      return typeof actual === "number" && actual <= (v as number);
    default:
      throw new Error(`unsupported operator ${e.op}`);
  }
}

type Listing<T> = { items: T[]; field: (item: T, name: string) => unknown; allowed: Record<string, string[]>; sorts: string[]; defaultSize: number; maxSize: number };

const cursorOf = (sortValue: unknown, id: string) => Buffer.from(JSON.stringify([sortValue, id])).toString("base64url");
const pageCaps = new Map<string, number>();

/** Filter, sort, keyset-paginate; returns the page and the `next` link (same query, new cursor). */
function paginate<T extends { id: string }>(req: SandboxRequest, key: string, l: Listing<T>, required?: (e: Expr[]) => string | null): { page: T[]; next: string | null } | { error: SandboxResponse } {
  const q = req.url.searchParams;
  let exprs: Expr[] = [];
  if (q.get("filter")) {
    try {
      exprs = parseFilter(q.get("filter")!);
    } catch (e) {
      return { error: invalid(`Invalid filter provided: ${(e as Error).message}`, { parameter: "filter" }) };
    }
    for (const e of exprs) {
      if (!l.allowed[e.field]?.includes(e.op)) return { error: invalid(`'${e.op}' operator for field '${e.field}' is not supported.`, { parameter: "filter" }) };
    }
  }
  const missing = required?.(exprs);
  if (missing) return { error: invalid(missing, { parameter: "filter" }) };
  const sort = q.get("sort") ?? "id";
  if (!l.sorts.includes(sort.replace(/^-/, ""))) return { error: invalid(`Invalid sort provided: ${sort}`, { parameter: "sort" }) };
  const size = Number(q.get("page[size]") ?? l.defaultSize);
  if (!Number.isInteger(size) || size < 1 || size > l.maxSize) return { error: invalid(`page[size] must be between 1 and ${l.maxSize}.`, { parameter: "page[size]" }) };
  const field = sort.replace(/^-/, "");
  const dir = sort.startsWith("-") ? -1 : 1;
  const keyOf = (item: T) => [l.field(item, field) ?? null, item.id] as [unknown, string];
  const cmp = (a: [unknown, string], b: [unknown, string]) => {
    const [x, y] = [a[0], b[0]];
    const c = x === y ? 0 : x === null ? -1 : y === null ? 1 : (x as any) < (y as any) ? -1 : 1;
    return (c || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)) * dir;
  };
  let items = l.items.filter((item) => exprs.every((e) => matches(e, l.field(item, e.field))));
  items = items.sort((a, b) => cmp(keyOf(a), keyOf(b)));
  const cursor = q.get("page[cursor]");
  if (cursor) {
    let after: [unknown, string];
    try {
      after = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    } catch {
      return { error: invalid("Invalid page cursor.", { parameter: "page[cursor]" }) };
    }
    items = items.filter((item) => cmp(keyOf(item), after) > 0);
  }
  const take = Math.min(size, pageCaps.get(key) ?? size);
  const page = items.slice(0, take);
  let next: string | null = null;
  if (items.length > take) {
    const last = page.at(-1)!;
    const u = new URL(`https://${HOST}${req.path.replace(/\/?$/, "/")}`);
    for (const [k, v] of q) if (k !== "page[cursor]") u.searchParams.append(k, v);
    u.searchParams.set("page[cursor]", cursorOf(keyOf(last)[0], last.id));
    next = u.toString();
  }
  return { page, next };
}

// ---------------------------------------------------------------- resources

const self = (path: string) => `https://${HOST}/api/${path}/`;

const campaignResource = (c: Campaign) => ({
  type: "campaign",
  id: c.id,
  attributes: {
    name: c.name,
    status: c.status,
    archived: c.archived,
    audiences: { included: [c.listId], excluded: [] },
    send_options: { use_smart_sending: true },
    tracking_options: { add_tracking_params: false, is_tracking_clicks: true, is_tracking_opens: true },
    send_strategy: { method: "static", datetime: c.sendTime ? iso(c.sendTime) : null, options: { is_local: false } },
    created_at: iso(c.createdAt),
    scheduled_at: c.scheduledAt ? iso(c.scheduledAt) : null,
    updated_at: iso(c.updatedAt),
    send_time: c.sendTime ? iso(c.sendTime) : null,
  },
  relationships: { "campaign-messages": { data: [{ type: "campaign-message", id: c.id }], links: { self: self(`campaigns/${c.id}/relationships/campaign-messages`), related: self(`campaigns/${c.id}/campaign-messages`) } } },
  links: { self: self(`campaigns/${c.id}`) },
});

const listResource = (l: List, withCount: boolean) => ({
  type: "list",
  id: l.id,
  attributes: { name: l.name, created: iso(l.created), updated: iso(l.updated), opt_in_process: "single_opt_in", ...(withCount ? { profile_count: l.profileCount } : {}) },
  links: { self: self(`lists/${l.id}`) },
});

const flowResource = (f: Flow) => ({
  type: "flow",
  id: f.id,
  attributes: { name: f.name, status: f.status, archived: f.archived, created: iso(f.created), updated: iso(f.updated), trigger_type: f.triggerType },
  links: { self: self(`flows/${f.id}`) },
});

const STATISTICS = ["average_order_value", "bounce_rate", "bounced", "bounced_or_failed", "bounced_or_failed_rate", "click_rate", "click_to_open_rate", "clicks",
  "clicks_unique", "conversion_rate", "conversion_uniques", "conversion_value", "conversions", "delivered", "delivery_rate", "failed", "failed_rate", "open_rate",
  "opens", "opens_unique", "recipients", "revenue_per_recipient", "spam_complaint_rate", "spam_complaints", "unsubscribe_rate", "unsubscribe_uniques", "unsubscribes"];

/** One statistic; rates are fractions in [0, 1] with 4 decimals, money a decimal in the account currency. */
function statistic(s: Stats, name: string, digits: number): number {
  const rate = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);
  const money = (minor: number) => minor / 10 ** digits;
  switch (name) {
    case "recipients": return s.recipients;
    case "delivered": return s.delivered;
    case "bounced": case "bounced_or_failed": return s.bounced;
    case "failed": case "spam_complaints": return 0;
    case "opens": return s.opens;
    case "opens_unique": return s.opensUnique;
    case "clicks": return s.clicks;
    case "clicks_unique": return s.clicksUnique;
    case "unsubscribes": case "unsubscribe_uniques": return s.unsubscribes;
    case "conversions": case "conversion_uniques": return s.conversions;
    case "conversion_value": return money(s.valueMinor);
    case "average_order_value": return s.conversions ? Math.round(s.valueMinor / s.conversions) / 10 ** digits : 0;
    case "revenue_per_recipient": return s.recipients ? Math.round(s.valueMinor / s.recipients) / 10 ** digits : 0;
    case "open_rate": return rate(s.opensUnique, s.delivered);
    case "click_rate": return rate(s.clicksUnique, s.delivered);
    case "click_to_open_rate": return rate(s.clicksUnique, s.opensUnique);
    case "bounce_rate": case "bounced_or_failed_rate": return rate(s.bounced, s.recipients);
    case "delivery_rate": return rate(s.delivered, s.recipients);
    case "unsubscribe_rate": return rate(s.unsubscribes, s.delivered);
    case "conversion_rate": return rate(s.conversions, s.delivered);
    default: return 0;
  }
}

/** POST /api/campaign-values-reports and /api/flow-values-reports. */
function valuesReport(req: SandboxRequest, account: Account, kind: "campaign" | "flow"): SandboxResponse {
  let body: any;
  try {
    body = JSON.parse(req.body.toString("utf8"));
  } catch {
    return invalid("Request body is not valid JSON.");
  }
  const type = `${kind}-values-report`;
  const a = body?.data?.attributes;
  if (body?.data?.type !== type || !a) return invalid(`data.type must be '${type}'.`, { pointer: "/data/type" });
  const statistics: string[] = Array.isArray(a.statistics) ? a.statistics : [];
  if (!statistics.length) return invalid("statistics is required.", { pointer: "/data/attributes/statistics" });
  const bad = statistics.find((s) => !STATISTICS.includes(s));
  if (bad) return invalid(`'${bad}' is not a valid statistic.`, { pointer: "/data/attributes/statistics" });
  if (!account.metrics.some((m) => m.id === a.conversion_metric_id)) return invalid("conversion_metric_id must be the id of a metric of this account.", { pointer: "/data/attributes/conversion_metric_id" });
  const t = a.timeframe ?? {};
  const now = Date.now();
  const keys: Record<string, number> = { last_7_days: 7, last_30_days: 30, last_90_days: 90, last_365_days: 365, last_12_months: 365 };
  let start: number;
  let end: number;
  if (typeof t.key === "string") {
    if (!(t.key in keys)) return invalid(`Unknown timeframe key '${t.key}'.`, { pointer: "/data/attributes/timeframe/key" });
    [start, end] = [now - keys[t.key]! * DAY_MS, now];
  } else {
    [start, end] = [Date.parse(t.start), Date.parse(t.end)];
    if (Number.isNaN(start) || Number.isNaN(end) || start > end) return invalid("timeframe needs a valid start and end.", { pointer: "/data/attributes/timeframe" });
    if (end - start > 366 * DAY_MS) return invalid("The timeframe cannot be longer than 1 year.", { pointer: "/data/attributes/timeframe" });
  }
  let exprs: Expr[] = [];
  if (a.filter) {
    try {
      exprs = parseFilter(a.filter);
    } catch (e) {
      return invalid(`Invalid filter provided: ${(e as Error).message}`, { pointer: "/data/attributes/filter" });
    }
  }
  type Result = { groupings: Record<string, string>; stats: Stats };
  let results: Result[];
  if (kind === "campaign") {
    results = account.campaigns
      .filter((c) => c.stats && c.sendTime !== null && c.sendTime >= start && c.sendTime <= end)
      .map((c) => ({ groupings: { send_channel: c.channel, campaign_id: c.id, campaign_message_id: c.id }, stats: c.stats! }));
  } else {
    results = account.flows.flatMap((f) => f.messages.map((m) => ({ groupings: { send_channel: "email", flow_id: f.id, flow_message_id: m.id }, stats: m.stats })));
  }
  try {
    results = results.filter((r) => exprs.every((e) => matches(e, r.groupings[e.field])));
  } catch (e) {
    return invalid((e as Error).message, { pointer: "/data/attributes/filter" });
  }
  return json(
    200,
    {
      data: {
        type,
        attributes: {
          results: results.map((r) => ({
            groupings: r.groupings,
            statistics: Object.fromEntries(statistics.map((s) => [s, statistic(r.stats, s, account.digits)])),
          })),
        },
        relationships: {
          [`${kind}s`]: { data: [...new Set(results.map((r) => r.groupings[`${kind}_id`]!))].map((id) => ({ type: kind, id })), links: { self: self(`${type}s/relationships/${kind}s`), related: self(`${type}s/${kind}s`) } },
        },
      },
      links: { self: self(`${type}s`) },
    },
    JSONAPI,
  );
}

// ---------------------------------------------------------------- routing

function route(req: SandboxRequest, account: Account, ok: (bucket: string, body: unknown) => SandboxResponse): SandboxResponse {
  const path = req.path.replace(/\/$/, "");
  const q = req.url.searchParams;
  const write = klaviyoCampaignWrites(req, account, { limit, errors, campaignResource }); if (write) return write;
  if (req.method === "GET" && path === "/api/accounts") {
    return ok("accounts", {
      data: [
        {
          type: "account",
          id: account.id,
          attributes: {
            test_account: false,
            contact_information: { default_sender_name: account.name, default_sender_email: `hello@${account.name.toLowerCase().replace(/[^a-z]+/g, "")}.test`, website_url: "", organization_name: account.name, street_address: {} },
            industry: "Retail",
            timezone: account.timezone,
            preferred_currency: account.currency,
            public_api_key: account.id,
            locale: "en-US",
          },
          links: { self: self(`accounts/${account.id}`) },
        },
      ],
      links: { self: self("accounts"), next: null, prev: null },
    });
  }
  if (req.method === "GET" && path === "/api/metrics") {
    return ok("metrics", {
      data: account.metrics.map((m) => ({ type: "metric", id: m.id, attributes: { name: m.name, created: iso(Date.now() - 800 * DAY_MS), updated: iso(Date.now() - 800 * DAY_MS), integration: { object: "integration", id: "0rG4eQ", key: "klaviyo", name: "Klaviyo", category: "Internal" } }, links: { self: self(`metrics/${m.id}`) } })),
      links: { self: self("metrics"), next: null, prev: null },
    });
  }
  if (req.method === "GET" && path === "/api/lists") {
    const res = paginate(req, account.key, {
      items: account.lists,
      field: (l, f) => (f === "id" ? l.id : f === "name" ? l.name : f === "created" ? l.created : f === "updated" ? l.updated : undefined),
      allowed: { id: ["any", "equals"], name: ["any", "equals"], created: ["greater-than"], updated: ["greater-than"] },
      sorts: ["id", "name", "created", "updated"],
      defaultSize: 10,
      maxSize: 10,
    });
    if ("error" in res) return res.error;
    return ok("lists", { data: res.page.map((l) => listResource(l, false)), links: { self: self("lists"), next: res.next, prev: null } });
  }
  const listMatch = /^\/api\/lists\/([^/]+)$/.exec(path);
  if (req.method === "GET" && listMatch) {
    const list = account.lists.find((l) => l.id === listMatch[1]);
    if (!list) return notFound();
    const withCount = (q.get("additional-fields[list]") ?? "").split(",").includes("profile_count");
    return ok(withCount ? "list-count" : "list", { data: listResource(list, withCount), links: { self: self(`lists/${list.id}`) } });
  }
  if (req.method === "GET" && path === "/api/campaigns") {
    const res = paginate(
      req,
      account.key,
      {
        items: account.campaigns,
        field: (c, f) =>
          ({ id: c.id, name: c.name, status: c.status, archived: c.archived, created_at: c.createdAt, scheduled_at: c.scheduledAt, updated_at: c.updatedAt, "messages.channel": c.channel })[f],
        allowed: {
          id: ["any"], "messages.channel": ["equals"], name: ["contains"], status: ["any", "equals"], archived: ["equals"],
          created_at: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"],
          scheduled_at: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"],
          updated_at: ["greater-or-equal", "greater-than", "less-or-equal", "less-than"],
        },
        sorts: ["created_at", "id", "name", "scheduled_at", "updated_at"],
        defaultSize: 100,
        maxSize: 100,
      },
      (exprs) =>
        exprs.some((e) => e.field === "messages.channel")
          ? null
          : "A channel filter is required to list campaigns. Please provide either: ?filter=equals(messages.channel,'email') to list email campaigns, or ?filter=equals(messages.channel,'sms') to list SMS campaigns.",
    );
    if ("error" in res) return res.error;
    return ok("campaigns", { data: res.page.map(campaignResource), links: { self: self("campaigns"), next: res.next, prev: null } });
  }
  if (req.method === "GET" && path === "/api/flows") {
    const res = paginate(req, account.key, {
      items: account.flows,
      field: (f, name) => ({ id: f.id, name: f.name, status: f.status, archived: f.archived, created: f.created, updated: f.updated, trigger_type: f.triggerType })[name],
      allowed: { id: ["any"], name: ["contains"], status: ["equals"], archived: ["equals"], created: ["greater-than", "less-than"], updated: ["greater-than", "less-than"], trigger_type: ["equals"] },
      sorts: ["created", "id", "name", "status", "trigger_type", "updated"],
      defaultSize: 50,
      maxSize: 50,
    });
    if ("error" in res) return res.error;
    return ok("flows", { data: res.page.map(flowResource), links: { self: self("flows"), next: res.next, prev: null } });
  }
  if (req.method === "POST" && (path === "/api/campaign-values-reports" || path === "/api/flow-values-reports")) {
    const kind = path.includes("campaign") ? "campaign" : "flow";
    const lim = limit(account.key, `${kind}-values`);
    if ("error" in lim) return lim.error;
    const res = valuesReport(req, account, kind);
    return { ...res, headers: { ...res.headers, ...lim.headers } };
  }
  return notFound(`No route for ${req.method} ${path}.`);
}

function handle(req: SandboxRequest): SandboxResponse | null {
  if (req.host !== HOST || !req.path.startsWith("/api/")) return null;
  const auth = String(req.headers.authorization ?? "");
  const m = /^Klaviyo-API-Key (\S+)$/.exec(auth);
  if (!m) return errors(401, [{ code: "not_authenticated", title: "Authentication credentials were not provided.", detail: "Missing or invalid authorization scheme. Please use Klaviyo-API-Key." }]);
  if (!KEY_PATTERN.test(m[1]!)) return errors(401, [{ code: "authentication_failed", title: "Incorrect authentication credentials.", detail: "Incorrect authentication credentials." }]);
  const revision = String(req.headers.revision ?? "");
  if (!/^\d{4}-\d{2}-\d{2}(\.pre)?$/.test(revision)) return invalid("Missing or invalid 'revision' header. Please provide a valid revision, e.g. 2026-04-15.", { parameter: "revision" });
  if (revision.slice(0, 10) > NEWEST_REVISION) return invalid(`Invalid revision '${revision}': no such revision.`, { parameter: "revision" });
  const account = accountOf(m[1]!);
  const ok = (bucket: string, body: unknown): SandboxResponse => {
    const lim = limit(account.key, bucket);
    if ("error" in lim) return lim.error;
    return json(200, body, { ...JSONAPI, ...lim.headers });
  };
  return route(req, account, ok);
}

// ---------------------------------------------------------------- control

const deliveries = new Map<string, { headers: Record<string, string>; body: string }>();

/** A system-webhook delivery, signed like Klaviyo: hex HMAC-SHA256(secret, rawBody + timestamp). */
function webhookDelivery(account: Account, secret: string, topic: string) {
  const now = Date.now();
  const webhookId = `01WH${account.id.toUpperCase()}`.padEnd(26, "0");
  const events = Array.from({ length: 2 }, (_, i) => ({
    external_id: `01EV${randomUUID().replace(/-/g, "").slice(0, 22).toUpperCase()}`,
    topic,
    payload: {
      data: {
        type: "event",
        id: `ev${i}${now.toString(36)}`,
        attributes: { timestamp: Math.floor(now / 1000), datetime: iso(now), uuid: randomUUID(), event_properties: { "Campaign Name": account.campaigns[0]?.name ?? "", $message: account.campaigns[0]?.id ?? "" } },
        relationships: { metric: { data: { type: "metric", id: account.metrics[1]?.id ?? "" } }, profile: { data: { type: "profile", id: `01PR${i}` } } },
      },
    },
  }));
  const body = JSON.stringify({ data: events, meta: { klaviyo_webhook_id: webhookId, klaviyo_account_id: account.id, timestamp: iso(now), version: "2026-04-15" } });
  const timestamp = String(Math.floor(now / 1000));
  const signature = createHmac("sha256", secret).update(body).update(timestamp).digest("hex");
  return { headers: { "content-type": "application/json", "klaviyo-webhook-id": webhookId, "klaviyo-timestamp": timestamp, "klaviyo-signature": signature }, body };
}

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  const key = String(req.url.searchParams.get("key") ?? body.key ?? "");
  if (!KEY_PATTERN.test(key)) return json(400, { error: "key must match pk_sandbox_…" });
  const account = accountOf(key);
  if (action === "stats") {
    const view = (s: Stats | null) =>
      s && { recipients: s.recipients, delivered: s.delivered, opensUnique: s.opensUnique, clicksUnique: s.clicksUnique, bounced: s.bounced, unsubscribes: s.unsubscribes, revenueMinor: s.valueMinor };
    const sum = (ms: FlowMessage[]) =>
      view(ms.reduce<Stats>((a, m) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + m.stats[k as keyof Stats]])) as Stats, statsFor(() => 0, 0, 0)))!;
    return json(200, {
      accountId: account.id,
      organization: account.name,
      currency: account.currency,
      placedOrderMetricId: account.metrics[0]!.id,
      lists: account.lists.map((l) => ({ id: l.id, name: l.name, profileCount: l.profileCount, updated: l.updated })),
      campaigns: account.campaigns.map((c) => ({ id: c.id, name: c.name, channel: c.channel, status: c.status, sendTime: c.sendTime, scheduledAt: c.scheduledAt, updatedAt: c.updatedAt, stats: view(c.stats) })),
      flows: account.flows.map((f) => ({ id: f.id, name: f.name, status: f.status, updated: f.updated, stats: sum(f.messages) })),
    });
  }
  // Limits at 100× (same headers and 429s), or back to Klaviyo's; page size caps for paging tests.
  if (action === "config" && req.method === "POST") {
    if (body.relaxed === true) relaxed.add(key);
    if (body.relaxed === false) relaxed.delete(key);
    if (body.pageCap) pageCaps.set(key, Number(body.pageCap));
    if (body.pageCap === null) pageCaps.delete(key);
    return json(200, { ok: true });
  }
  // Campaign edits happen now: `update` sent email campaigns change (updated_at, more opens) and
  // `create` new email campaigns are sent.
  if (action === "mutate" && req.method === "POST") {
    const now = Date.now();
    const r = rng(seedOf(`klaviyo-mutate:${key}:${now}`));
    const updated = account.campaigns.filter((c) => c.channel === "email" && c.status === "Sent").slice(0, Number(body.update ?? 0));
    for (const c of updated) {
      c.updatedAt = now;
      c.name = `${c.name} (edited)`;
      c.stats = { ...c.stats!, opensUnique: c.stats!.opensUnique + 7, opens: c.stats!.opens + 11, clicksUnique: c.stats!.clicksUnique + 2 };
    }
    const created: Campaign[] = Array.from({ length: Number(body.create ?? 0) }, (_, i) => {
      const list = pick(r, account.lists);
      return {
        id: ulid(r), name: `Just sent #${i + 1}`, channel: "email", status: "Sent", archived: false,
        createdAt: now - 3_600_000, scheduledAt: now - 120_000, sendTime: now - 60_000, updatedAt: now, listId: list.id,
        stats: statsFor(r, Math.max(20, Math.round(list.profileCount * 0.8)), 5000),
      };
    });
    account.campaigns.push(...created);
    return json(200, { updated: updated.map((c) => c.id), created: created.map((c) => c.id), at: now });
  }
  // Builds (and, given `url`, POSTs) a system-webhook delivery: valid, bad-signature or a replay.
  if (action === "webhook" && req.method === "POST") {
    const mode = String(body.mode ?? "valid");
    const secret = String(body.secret ?? "");
    let delivery = mode === "replay" ? deliveries.get(key) : undefined;
    if (!delivery) delivery = webhookDelivery(account, secret, String(body.topic ?? "event:klaviyo.opened_email"));
    if (mode === "bad-signature") delivery = { ...delivery, headers: { ...delivery.headers, "klaviyo-signature": createHmac("sha256", `${secret}-wrong`).update(delivery.body).update(delivery.headers["klaviyo-timestamp"]!).digest("hex") } };
    else deliveries.set(key, delivery);
    let status: number | null = null;
    if (body.url) status = (await fetch(String(body.url), { method: "POST", headers: delivery.headers, body: delivery.body })).status;
    return json(200, { ...delivery, status });
  }
  return klaviyoCampaignControl(req, action, account);
}

export const klaviyo: ProviderModule = { id: "klaviyo", handle, control, renderFault: (f) => renderFault(f) };
