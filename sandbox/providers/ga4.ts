// Google Analytics 4: Admin API (accountSummaries, properties) and Data API (runReport, metadata)
// over a year of generated daily data per property, ending yesterday (UTC). Google OAuth hosts
// under the /ga4/ prefix are answered by the shared Google module.
import { between, businessName, DAY_MS, isoDay, json, pick, rng, seedOf, type ProviderModule, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { googleError, googleFault, googleUser, handleGoogleOAuth } from "./google.ts";

const READ_SCOPES = ["https://www.googleapis.com/auth/analytics.readonly", "https://www.googleapis.com/auth/analytics"];
const HISTORY_DAYS = 365;

// ---------------------------------------------------------------- accounts and properties

type Property = {
  id: string;
  displayName: string;
  account: string;
  accountName: string;
  currencyCode: string;
  timeZone: string;
  createTime: string;
};
type AccountSummary = { id: string; name: string; properties: Property[] };

const COMPANIES = ["Acme", "Northwind", "Bistro Uno", "Lumen Labs", "Harbor & Co", "Fjord Outdoor", "Maple Studio", "Copper Kettle"];
const summaryCache = new Map<string, AccountSummary[]>();
const propertyOwner = new Map<string, string>();

/** The GA4 accounts and properties a Google user can read (1–2 accounts, 1–2 properties each). */
export function summariesOf(user: string): AccountSummary[] {
  const cached = summaryCache.get(user);
  if (cached) return cached;
  const r = rng(seedOf(`google-user:${user}`));
  const accounts: AccountSummary[] = [];
  const accountCount = r() < 0.3 ? 2 : 1;
  for (let a = 0; a < accountCount; a++) {
    // A business's own Google user (bistro-uno@…) owns that business's account.
    const company = (a === 0 && businessName(user.split("@")[0]!)) || pick(r, COMPANIES);
    const accountId = String(between(r, 10_000_000, 299_999_999));
    const properties: Property[] = [];
    const propertyCount = r() < 0.4 ? 2 : 1;
    for (let p = 0; p < propertyCount; p++) {
      const id = String(between(r, 300_000_000, 499_999_999));
      properties.push({
        id,
        displayName: `${company} ${p === 0 ? "Web" : "App"}`,
        account: `accounts/${accountId}`,
        accountName: company,
        currencyCode: pick(r, ["USD", "USD", "USD", "EUR", "GBP", "JPY"]),
        timeZone: "Etc/UTC",
        createTime: new Date(Date.UTC(2021, between(r, 0, 11), between(r, 1, 28))).toISOString(),
      });
      if (propertyOwner.get(id) !== user) changed();
      propertyOwner.set(id, user);
    }
    accounts.push({ id: accountId, name: company, properties });
  }
  summaryCache.set(user, accounts);
  return accounts;
}

const propertyOf = (user: string, id: string) => summariesOf(user).flatMap((a) => a.properties).find((p) => p.id === id);

// ---------------------------------------------------------------- generated daily data

const METRICS = ["sessions", "totalUsers", "newUsers", "keyEvents", "totalRevenue"] as const;
const METRIC_INDEX: Record<string, number> = { sessions: 0, totalUsers: 1, newUsers: 2, keyEvents: 3, conversions: 3, totalRevenue: 4 };
const METRIC_TYPE = ["TYPE_INTEGER", "TYPE_INTEGER", "TYPE_INTEGER", "TYPE_FLOAT", "TYPE_CURRENCY"];
const DIMENSIONS: Record<string, Report | "date"> = {
  date: "date",
  sessionDefaultChannelGroup: "channel",
  landingPage: "landing_page",
  landingPagePlusQueryString: "landing_page",
};
const CHANNELS: [string, number, number][] = [
  // name, share of sessions, key-event rate
  ["Organic Search", 0.34, 0.02],
  ["Direct", 0.22, 0.025],
  ["Paid Search", 0.12, 0.03],
  ["Organic Social", 0.08, 0.01],
  ["Email", 0.07, 0.045],
  ["Referral", 0.06, 0.02],
  ["Paid Social", 0.05, 0.015],
  ["Display", 0.03, 0.008],
  ["Unassigned", 0.03, 0.01],
];
const PAGE_POOL = ["/", "/pricing", "/about", "/contact", "/blog", "/shop", "/collections/new", "/collections/sale", "/products/classic-tee",
  "/products/canvas-tote", "/products/gift-card", "/products/mug", "/blog/spring-guide", "/blog/how-we-roast", "/blog/behind-the-scenes",
  "/blog/holiday-gift-ideas", "/faq", "/careers", "/locations", "/menu", "/book", "/newsletter", "/returns", "/shipping", "(not set)"];

export type Report = "total" | "channel" | "landing_page";
/** One report row: date YYYYMMDD, dimension value, [sessions, users, newUsers, keyEvents, revenueMinor], revenue as served. */
type Row = { date: string; dim: string; v: number[]; revenue: string };
type Dataset = { day: string; digits: number; rows: Record<Report, Row[]> };

const datasets = new Map<string, Dataset>();
/** Late-settling data: a date's revision makes its figures grow (see the "settle" control). */
const revisions = new Map<string, Map<string, number>>();

/** Splits `total` in proportion to `weights` into integers that sum exactly to it (largest remainder). */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let rest = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k]![1]]!++;
  return out;
}

const ymd = (iso: string) => iso.replaceAll("-", "");

function generate(propertyId: string, currencyCode: string): Dataset {
  const today = isoDay(Date.now());
  const cached = datasets.get(propertyId);
  if (cached && cached.day === today) return cached;
  const digits = currencyCode === "JPY" ? 0 : 2;
  const p = rng(seedOf(`ga4:${propertyId}`));
  const base = between(p, 150, 2500);
  const weekend = 0.55 + p() * 0.55;
  const aovMinor = (between(p, 25, 140) * 100 + between(p, 0, 99)) * (digits === 0 ? 1.5 : 1);
  // The home page always leads; the rest of the site varies per property.
  const pool = PAGE_POOL.slice(1);
  for (let k = pool.length - 1; k > 0; k--) {
    const j = Math.floor(p() * (k + 1));
    [pool[k], pool[j]] = [pool[j]!, pool[k]!];
  }
  const pages = ["/", ...pool.slice(0, between(p, 9, 21))];
  const pageWeights = pages.map((_, k) => 1 / (k + 1) ** 0.9);
  const revs = revisions.get(propertyId);
  const rows: Record<Report, Row[]> = { total: [], channel: [], landing_page: [] };
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  for (let i = HISTORY_DAYS; i >= 1; i--) {
    const ms = todayMs - i * DAY_MS;
    const iso = isoDay(ms);
    const date = ymd(iso);
    const r = rng(seedOf(`ga4:${propertyId}:${date}`));
    const d = new Date(ms);
    const dayOfYear = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
    const seasonal = 1 + 0.2 * Math.cos((2 * Math.PI * (dayOfYear - 340)) / 365);
    const weekly = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? weekend : 1;
    const trend = 0.85 + (0.15 * (HISTORY_DAYS - i)) / HISTORY_DAYS;
    const settled = 1 + 0.04 * (revs?.get(iso) ?? 0);
    const sessions = Math.max(20, Math.round(base * seasonal * weekly * trend * (0.85 + 0.3 * r()) * settled));

    const channelSessions = allocate(sessions, CHANNELS.map(([, share]) => share * (0.75 + 0.5 * r())));
    const totals = [0, 0, 0, 0, 0];
    let revenueFloat = 0;
    CHANNELS.forEach(([name, , rate], k) => {
      const s = channelSessions[k]!;
      const conv = r();
      const usersRate = 0.72 + 0.12 * r();
      const newRate = 0.35 + 0.4 * r();
      const aovNoise = 0.7 + 0.6 * r();
      if (s === 0) return;
      const users = Math.max(1, Math.round(s * usersRate));
      const keyEvents = Math.round(s * rate * (0.6 + 0.8 * conv));
      const revenueMinor = Math.round(keyEvents * aovMinor * aovNoise);
      const v = [s, users, Math.round(users * newRate), keyEvents, revenueMinor];
      v.forEach((x, m) => (totals[m]! += x));
      revenueFloat += revenueMinor / 10 ** digits;
      rows.channel.push({ date, dim: name, v, revenue: String(revenueMinor / 10 ** digits) });
    });
    // GA4 sums doubles: the total's revenue string can carry float noise ("1234.5600000000002").
    rows.total.push({ date, dim: "", v: totals, revenue: String(revenueFloat) });

    const weights = pageWeights.map((w) => w * (0.7 + 0.6 * r()));
    const split = totals.map((t) => allocate(t, weights));
    pages.forEach((page, k) => {
      const v = split.map((col) => col[k]!);
      if (v[0] === 0) return;
      rows.landing_page.push({ date, dim: page, v, revenue: String(v[4]! / 10 ** digits) });
    });
  }
  for (const list of Object.values(rows)) list.sort((a, b) => (a.date === b.date ? (a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : 0) : a.date < b.date ? -1 : 1));
  const ds = { day: today, digits, rows };
  datasets.set(propertyId, ds);
  return ds;
}

function inRange(rows: Row[], start: string, end: string) {
  return rows.filter((row) => row.date >= ymd(start) && row.date <= ymd(end));
}

// ---------------------------------------------------------------- Data API

/** "2025-01-01" | "today" | "yesterday" | "NdaysAgo" → YYYY-MM-DD (UTC, the sandbox properties' zone). */
function resolveDate(s: unknown): string | null {
  if (typeof s !== "string") return null;
  const now = Date.now();
  if (s === "today") return isoDay(now);
  if (s === "yesterday") return isoDay(now - DAY_MS);
  const ago = /^(\d+)daysAgo$/.exec(s);
  if (ago) return isoDay(now - Number(ago[1]) * DAY_MS);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? s : null;
}

const pageCaps = new Map<string, number>();
const quota = new Map<string, { hour: number; tokens: number; day: number; dayTokens: number }>();
persisted("ga4", {
  save: () => ({ propertyOwner: entries(propertyOwner), pageCaps: entries(pageCaps), revisions: entries(revisions).map(([k, m]) => [k, entries(m)]) }),
  load: (d) => {
    refill(propertyOwner, d.propertyOwner);
    refill(pageCaps, d.pageCaps);
    refill(revisions, (d.revisions ?? []).map(([k, m]: [string, [string, number][]]) => [k, new Map(m)]));
    summaryCache.clear();
    datasets.clear();
  },
});

function runReport(req: SandboxRequest, property: Property): SandboxResponse {
  let body: any;
  try {
    body = JSON.parse(req.body.toString("utf8") || "{}");
  } catch {
    return googleError(400, "Invalid JSON payload received.");
  }
  const ranges = Array.isArray(body.dateRanges) ? body.dateRanges : [];
  if (ranges.length !== 1) return googleError(400, "The sandbox supports exactly one dateRange.");
  const start = resolveDate(ranges[0].startDate);
  const end = resolveDate(ranges[0].endDate);
  if (!start || !end) return googleError(400, "Invalid date range: startDate and endDate must be YYYY-MM-DD, today, yesterday or NdaysAgo.");
  if (start > end) return googleError(400, "Invalid date range: startDate is after endDate.");

  const dimNames: string[] = (body.dimensions ?? []).map((d: any) => d?.name);
  for (const n of dimNames) if (!(n in DIMENSIONS)) return googleError(400, `Field ${n} is not a valid dimension. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
  const breakdown = dimNames.map((n) => DIMENSIONS[n]).filter((d) => d !== "date") as Report[];
  if (!dimNames.includes("date") || breakdown.length > 1) return googleError(400, "The sandbox serves the date dimension plus at most one of sessionDefaultChannelGroup, landingPage.");
  const report: Report = breakdown[0] ?? "total";
  const metricNames: string[] = (body.metrics ?? []).map((m: any) => m?.name);
  if (!metricNames.length) return googleError(400, "At least one metric is required.");
  for (const n of metricNames) if (!(n in METRIC_INDEX)) return googleError(400, `Field ${n} is not a valid metric. For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema`);
  const limit = body.limit === undefined ? 10_000 : Number(body.limit);
  const offset = body.offset === undefined ? 0 : Number(body.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > 250_000) return googleError(400, "limit must be between 1 and 250000.");
  if (!Number.isInteger(offset) || offset < 0) return googleError(400, "offset must be non-negative.");

  const ds = generate(property.id, property.currencyCode);
  let rows = inRange(ds.rows[report], start, end);
  const orderBys: any[] = Array.isArray(body.orderBys) ? body.orderBys : [];
  if (orderBys.length) {
    rows = [...rows].sort((a, b) => {
      for (const o of orderBys) {
        const dir = o.desc ? -1 : 1;
        let c = 0;
        if (o.metric) {
          const m = METRIC_INDEX[o.metric.metricName] ?? 0;
          c = a.v[m]! - b.v[m]!;
        } else if (o.dimension) {
          const key = (row: Row) => (o.dimension.dimensionName === "date" ? row.date : row.dim);
          c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
        }
        if (c) return c * dir;
      }
      return 0;
    });
  }
  const pageSize = Math.min(limit, pageCaps.get(property.id) ?? limit);
  const slice = rows.slice(offset, offset + pageSize);
  const value = (row: Row, name: string) => {
    const m = METRIC_INDEX[name]!;
    return m === 4 ? row.revenue : String(row.v[m]);
  };

  const hour = Math.floor(Date.now() / 3_600_000);
  const q = quota.get(property.id) ?? { hour, tokens: 0, day: Math.floor(hour / 24), dayTokens: 0 };
  if (q.hour !== hour) Object.assign(q, { hour, tokens: 0 });
  if (q.day !== Math.floor(hour / 24)) Object.assign(q, { day: Math.floor(hour / 24), dayTokens: 0 });
  const cost = 1 + Math.floor(slice.length / 2000);
  q.tokens += cost;
  q.dayTokens += cost;
  quota.set(property.id, q);

  return json(200, {
    dimensionHeaders: dimNames.map((name) => ({ name })),
    metricHeaders: metricNames.map((name) => ({ name, type: METRIC_TYPE[METRIC_INDEX[name]!] })),
    // proto3 JSON omits empty and zero fields: no "rows" and no "rowCount" when nothing matched.
    ...(slice.length
      ? {
          rows: slice.map((row) => ({
            dimensionValues: dimNames.map((n) => ({ value: DIMENSIONS[n] === "date" ? row.date : row.dim })),
            metricValues: metricNames.map((n) => ({ value: value(row, n) })),
          })),
        }
      : {}),
    ...(rows.length ? { rowCount: rows.length } : {}),
    metadata: { currencyCode: property.currencyCode, timeZone: property.timeZone },
    ...(body.returnPropertyQuota
      ? {
          propertyQuota: {
            tokensPerDay: { consumed: cost, remaining: Math.max(0, 200_000 - q.dayTokens) },
            tokensPerHour: { consumed: cost, remaining: Math.max(0, 40_000 - q.tokens) },
            concurrentRequests: { remaining: 10 },
            serverErrorsPerProjectPerHour: { remaining: 10 },
            potentiallyThresholdedRequestsPerHour: { remaining: 120 },
            tokensPerProjectPerHour: { consumed: cost, remaining: Math.max(0, 14_000 - q.tokens) },
          },
        }
      : {}),
    kind: "analyticsData#runReport",
  });
}

function metadata(property: Property): SandboxResponse {
  return json(200, {
    name: `properties/${property.id}/metadata`,
    dimensions: Object.keys(DIMENSIONS).map((apiName) => ({ apiName, uiName: apiName, category: "Session" })),
    metrics: METRICS.map((apiName, m) => ({ apiName, uiName: apiName, type: METRIC_TYPE[m], category: "Session" })),
  });
}

// ---------------------------------------------------------------- Admin API

function propertyResource(p: Property) {
  return {
    name: `properties/${p.id}`,
    propertyType: "PROPERTY_TYPE_ORDINARY",
    createTime: p.createTime,
    updateTime: p.createTime,
    parent: p.account,
    displayName: p.displayName,
    industryCategory: "SHOPPING",
    timeZone: p.timeZone,
    currencyCode: p.currencyCode,
    serviceLevel: "GOOGLE_ANALYTICS_STANDARD",
    account: p.account,
  };
}

function accountSummaries(req: SandboxRequest, user: string): SandboxResponse {
  const all = summariesOf(user);
  const size = Math.min(Number(req.url.searchParams.get("pageSize") ?? 50) || 50, 200);
  const from = Number(Buffer.from(req.url.searchParams.get("pageToken") ?? "", "base64url").toString() || 0);
  const page = all.slice(from, from + size);
  return json(200, {
    accountSummaries: page.map((a) => ({
      name: `accountSummaries/${a.id}`,
      account: `accounts/${a.id}`,
      displayName: a.name,
      propertySummaries: a.properties.map((p) => ({ property: `properties/${p.id}`, displayName: p.displayName, propertyType: "PROPERTY_TYPE_ORDINARY", parent: p.account })),
    })),
    ...(from + size < all.length ? { nextPageToken: Buffer.from(String(from + size)).toString("base64url") } : {}),
  });
}

function handle(req: SandboxRequest): SandboxResponse | null {
  const oauth = handleGoogleOAuth(req);
  if (oauth) return oauth;
  if (req.host !== "analyticsadmin.googleapis.com" && req.host !== "analyticsdata.googleapis.com") return null;
  const who = googleUser(req, READ_SCOPES);
  if ("error" in who) return who.error;
  if (req.host === "analyticsadmin.googleapis.com" && req.method === "GET" && req.path === "/v1beta/accountSummaries") return accountSummaries(req, who.user);
  const m = /^\/v1beta\/properties\/([^/:]+)(:runReport|\/metadata)?$/.exec(req.path);
  if (!m) return googleError(404, `Method not found: ${req.path}`);
  if (!/^\d+$/.test(m[1]!)) return googleError(400, `Invalid property ID: ${m[1]}. A numeric Property ID is required.`);
  const property = propertyOf(who.user, m[1]!);
  if (!property) return googleError(403, "User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.");
  if (req.host === "analyticsadmin.googleapis.com" && !m[2] && req.method === "GET") return json(200, propertyResource(property));
  if (req.host === "analyticsdata.googleapis.com" && m[2] === ":runReport" && req.method === "POST") return runReport(req, property);
  if (req.host === "analyticsdata.googleapis.com" && m[2] === "/metadata" && req.method === "GET") return metadata(property);
  return googleError(404, `Method not found: ${req.method} ${req.path}`);
}

// ---------------------------------------------------------------- control

function knownProperty(id: string | null | undefined): Property | null {
  const user = id ? propertyOwner.get(id) : undefined;
  return user ? (propertyOf(user, id!) ?? null) : null;
}

function control(req: SandboxRequest, action: string): SandboxResponse | null {
  const q = req.url.searchParams;
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  // The properties of a Google user (the first is the one the connector picks).
  if (action === "properties") return json(200, { properties: summariesOf((q.get("user") ?? "").toLowerCase()).flatMap((a) => a.properties) });
  const property = knownProperty(q.get("property") ?? body.property);
  if (!property) return json(404, { error: "unknown property (list it through its Google user first)" });
  // Exact figures of what runReport serves for a date range, per report.
  if (action === "stats") {
    const ds = generate(property.id, property.currencyCode);
    const start = q.get("start") ?? "2000-01-01";
    const end = q.get("end") ?? "2999-12-31";
    const reports = Object.fromEntries(
      (Object.keys(ds.rows) as Report[]).map((rep) => {
        const rows = inRange(ds.rows[rep], start, end);
        const sum = (m: number) => rows.reduce((a, row) => a + row.v[m]!, 0);
        return [rep, { rows: rows.length, sessions: sum(0), totalUsers: sum(1), newUsers: sum(2), keyEvents: sum(3), revenueMinor: sum(4) }];
      }),
    );
    const dates = ds.rows.total.map((row) => row.date);
    return json(200, { property: property.id, displayName: property.displayName, currencyCode: property.currencyCode, timeZone: property.timeZone, firstDate: dates[0], lastDate: dates.at(-1), reports });
  }
  // Caps the rows one runReport page returns, so tests see several pages.
  if (action === "config" && req.method === "POST") {
    if (body.maxRows) pageCaps.set(property.id, Number(body.maxRows));
    else pageCaps.delete(property.id);
    return json(200, { ok: true });
  }
  // Late-arriving data: the last `days` days (ending yesterday) grow, like GA4 settling.
  if (action === "settle" && req.method === "POST") {
    const days = Number(body.days ?? 2);
    const revs = revisions.get(property.id) ?? new Map<string, number>();
    const changed: string[] = [];
    for (let i = 1; i <= days; i++) {
      const iso = isoDay(Date.now() - i * DAY_MS);
      revs.set(iso, (revs.get(iso) ?? 0) + 1);
      changed.push(iso);
    }
    revisions.set(property.id, revs);
    datasets.delete(property.id);
    return json(200, { dates: changed });
  }
  return null;
}

export const ga4: ProviderModule = { id: "ga4", handle, control, renderFault: (f) => googleFault(f) };
