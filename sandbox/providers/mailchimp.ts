// Mailchimp: OAuth at login.mailchimp.com (authorize, token, metadata; tokens never expire) and
// the Marketing API 3.0 at {dc}.api.mailchimp.com (lists, campaigns, reports, list webhooks) with
// count/offset paging, problem+json errors and the 10-simultaneous-connections limit (429, no
// Retry-After). Webhooks are unsigned form posts; the receiver checks a secret in its URL.
//
// Sandbox users: the authorize request's `login_hint` (a sandbox-only parameter, ignored by real
// Mailchimp) names the Mailchimp user; each user is one account with its own data center and data.
import { randomUUID } from "node:crypto";
import {
  between,
  businessName,
  checkToken,
  consentPage,
  DAY_MS,
  header,
  html,
  issueCode,
  issueTokens,
  json,
  pick,
  readForm,
  redeemCode,
  redirect,
  rng,
  seedOf,
  type Fault,
  type ProviderModule,
  type SandboxRequest,
  type SandboxResponse,
} from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";
import { mailchimpCampaignControl, mailchimpCampaignWrites } from "./mailchimp-campaigns.ts";

const CLIENT = { id: "qweb-sandbox-client", secret: "qweb-sandbox-secret" };
const LOGIN_HOST = "login.mailchimp.com";
const DEFAULT_USER = "sandbox-user";
const MAX_CONNECTIONS = 10;

// ---------------------------------------------------------------- errors

const problem = (status: number, title: string, detail: string, extra: Record<string, unknown> = {}): SandboxResponse => ({
  status,
  headers: { "content-type": "application/problem+json; charset=utf-8" },
  body: JSON.stringify({ type: "https://mailchimp.com/developer/marketing/docs/errors/", title, status, detail, instance: randomUUID(), ...extra }),
});
const tooMany = () => problem(429, "Too Many Requests", `You have exceeded the limit of ${MAX_CONNECTIONS} simultaneous connections.`);
const keyInvalid = () => problem(401, "API Key Invalid", "Your API key may be invalid, or you've attempted to access the wrong datacenter.");
const notFound = () => problem(404, "Resource Not Found", "The requested resource could not be found.");

function renderFault(f: Fault): SandboxResponse | null {
  switch (f.kind) {
    case "429":
    case "throttled":
      return tooMany();
    case "500":
      return problem(500, "Internal Server Error", "An unexpected internal error has occurred. Please contact Support for more information.");
    case "503":
      return problem(503, "Service Unavailable", "This service is temporarily unavailable.");
    case "token-expired":
      return keyInvalid();
    default:
      return null;
  }
}

// ---------------------------------------------------------------- generated accounts

type Report = { emailsSent: number; uniqueOpens: number; opensTotal: number; uniqueSubscriberClicks: number; clicksTotal: number; hard: number; soft: number; unsubscribed: number; orders: number; revenueMinor: number };
type Campaign = { id: string; webId: number; title: string; subject: string; status: string; createTime: number; sendTime: number | null; listId: string; report: Report | null };
type List = { id: string; webId: number; name: string; created: number; memberCount: number; unsubscribeCount: number; lastSub: number; campaignLastSent: number | null };
type Hook = { id: string; url: string; listId: string };
type Account = { user: string; userId: number; loginId: number; dc: string; name: string; currency: string; lists: List[]; campaigns: Campaign[]; hooks: Hook[] };

const HEX = "0123456789abcdef";
const hexId = (r: () => number, len: number) => Array.from({ length: len }, () => pick(r, [...HEX])).join("");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
const ORGS = ["Copper Kettle Cafe", "Maple Yoga Studio", "Harbor Books", "Lumen Skincare", "Fjord Knitwear", "Bistro Uno"];
const LISTS = ["Newsletter", "Customers", "Events", "Wholesale Partners", "Members", "Donors"];
const SUBJECTS = ["This week at", "New season, new menu", "You're invited", "A little thank you", "Last call", "Our favourite finds", "Behind the counter",
  "Save the date", "Fresh from the studio", "Monthly roundup", "Gift ideas", "We're hiring"];

function reportFor(r: () => number, sent: number, aovMinor: number): Report {
  const hard = Math.round(sent * r() * 0.006);
  const soft = Math.round(sent * r() * 0.012);
  const uniqueOpens = Math.round((sent - hard - soft) * (0.22 + r() * 0.3));
  const uniqueSubscriberClicks = Math.round(uniqueOpens * (0.04 + r() * 0.14));
  const orders = Math.round(uniqueSubscriberClicks * r() * 0.12);
  return {
    emailsSent: sent,
    uniqueOpens,
    opensTotal: Math.round(uniqueOpens * (1.3 + r())),
    uniqueSubscriberClicks,
    clicksTotal: Math.round(uniqueSubscriberClicks * (1.2 + r() * 0.8)),
    hard,
    soft,
    unsubscribed: Math.round(sent * r() * 0.004),
    orders,
    revenueMinor: Math.round(orders * aovMinor * (0.7 + r() * 0.6)),
  };
}

const accounts = new Map<string, Account>();
persisted("mailchimp", {
  save: () => ({ accounts: entries(accounts), pageCaps: entries(pageCaps), latency: entries(latency) }),
  load: (d) => {
    refill(accounts, d.accounts);
    refill(pageCaps, d.pageCaps);
    refill(latency, d.latency);
  },
});
const byToken = (token: string | undefined) => {
  const t = checkToken("mailchimp", token);
  return t ? accountOf(t.account) : null;
};

function accountOf(user: string): Account {
  const hit = accounts.get(user);
  if (hit) return hit;
  const u = rng(seedOf(`mailchimp-user:${user}`));
  const dc = pick(u, ["us1", "us6", "us14", "us19", "us21"]);
  const userId = between(u, 10_000_000, 99_999_999);
  const r = rng(seedOf(`mailchimp:${dc}:${userId}`));
  const now = Date.now();
  const currency = pick(r, ["USD", "USD", "EUR", "GBP", "AUD"]);
  const aovMinor = between(r, 25, 110) * 100 + between(r, 0, 99);
  const lists: List[] = LISTS.slice(0, between(r, 2, 6)).map((name) => {
    const created = now - between(r, 300, 1500) * DAY_MS;
    return { id: hexId(r, 10), webId: between(r, 100_000, 999_999), name, created, memberCount: between(r, 30, 40_000), unsubscribeCount: between(r, 0, 900), lastSub: now - between(r, 1, 30) * DAY_MS, campaignLastSent: null };
  });
  const campaigns: Campaign[] = [];
  const count = between(r, 30, 80);
  for (let i = 0; i < count; i++) {
    const list = pick(r, lists);
    const roll = r();
    const status = roll < 0.85 ? "sent" : roll < 0.93 ? "save" : roll < 0.97 ? "schedule" : "paused";
    const sendTime = status === "sent" ? now - between(r, 3 * 3600, 360 * 24 * 3600) * 1000 : null;
    const createTime = (sendTime ?? now - between(r, 1, 60) * DAY_MS) - between(r, 1, 14) * DAY_MS;
    const subject = `${pick(r, SUBJECTS)} #${i + 1}`;
    const report = sendTime ? reportFor(r, Math.max(10, Math.round(list.memberCount * (0.85 + r() * 0.14))), aovMinor) : null;
    campaigns.push({ id: hexId(r, 10), webId: between(r, 1_000_000, 9_999_999), title: `${subject} (${list.name})`, subject, status, createTime, sendTime, listId: list.id, report });
    if (sendTime && (!list.campaignLastSent || sendTime > list.campaignLastSent)) list.campaignLastSent = sendTime;
  }
  const account: Account = { user, userId, loginId: userId + 7, dc, name: businessName(user) ?? pick(r, ORGS), currency, lists, campaigns, hooks: [] };
  accounts.set(user, account);
  changed();
  return account;
}

// ---------------------------------------------------------------- OAuth

const errorPage = (title: string) => html(400, `<!doctype html><title>${title}</title><h1>${title}</h1>`);

function authorize(req: SandboxRequest): SandboxResponse {
  const p: Record<string, string> = req.method === "POST" ? readForm(req) : Object.fromEntries(req.url.searchParams);
  if (p.client_id !== CLIENT.id) return errorPage("Invalid client_id");
  let ok = false;
  try {
    ok = new URL(p.redirect_uri ?? "").pathname === "/api/integrations/oauth/callback";
  } catch {}
  if (!ok) return errorPage("Invalid redirect_uri");
  const back = (params: Record<string, string | undefined>) => {
    const u = new URL(p.redirect_uri!);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
    return redirect(u.toString());
  };
  if (p.response_type !== "code") return back({ error: "unsupported_response_type", state: p.state });
  const user = p.login_hint || DEFAULT_USER;
  if (req.method === "POST" && p.decision !== "approve") return back({ error: "access_denied", state: p.state });
  if (p.prompt !== "none" && req.method !== "POST") {
    const hidden = { ...p };
    delete hidden.decision;
    return consentPage({ providerName: "Mailchimp", account: `${accountOf(user).name} (${user})`, scopes: ["Full access to your Mailchimp account"], action: req.url.pathname, hidden });
  }
  const code = issueCode({ provider: "mailchimp", account: user, scopes: [], redirectUri: p.redirect_uri!, clientId: p.client_id });
  return back({ code, state: p.state });
}

function token(req: SandboxRequest): SandboxResponse {
  const f = readForm(req);
  if (f.client_id !== CLIENT.id || f.client_secret !== CLIENT.secret) return json(401, { error: "invalid_client", error_description: "Invalid client credentials" });
  if (f.grant_type !== "authorization_code") return json(400, { error: "unsupported_grant_type", error_description: "Only authorization_code is supported" });
  const g = redeemCode("mailchimp", f.code ?? "", { clientId: f.client_id, redirectUri: f.redirect_uri });
  if ("error" in g) return json(400, { error: g.error, error_description: "Invalid authorization code" });
  const t = issueTokens("mailchimp", g.account, [], null);
  return json(200, { access_token: t.accessToken, expires_in: 0, scope: null });
}

function metadata(req: SandboxRequest): SandboxResponse {
  const m = /^OAuth (\S+)$/.exec(header(req, "authorization") ?? "");
  const account = byToken(m?.[1]);
  if (!account) return json(401, { error: "invalid_token", error_description: "The access token provided is invalid" });
  return json(200, {
    dc: account.dc,
    role: "owner",
    accountname: account.name,
    user_id: account.userId,
    login: { email: `${account.user}@example.test`, avatar: null, login_id: account.loginId, login_name: account.user, login_email: `${account.user}@example.test` },
    login_url: "https://login.mailchimp.com",
    api_endpoint: `https://${account.dc}.api.mailchimp.com`,
  });
}

// ---------------------------------------------------------------- Marketing API

const links = (rel: string, href: string) => [{ rel, href, method: "GET", targetSchema: "", schema: "" }];

function listResource(a: Account, l: List) {
  return {
    id: l.id,
    web_id: l.webId,
    name: l.name,
    contact: { company: a.name, country: "US" },
    permission_reminder: "You signed up on our website.",
    campaign_defaults: { from_name: a.name, from_email: `hello@${a.user}.test`, subject: "", language: "en" },
    date_created: iso(l.created),
    list_rating: 3,
    email_type_option: false,
    visibility: "prv",
    double_optin: false,
    stats: {
      member_count: l.memberCount,
      unsubscribe_count: l.unsubscribeCount,
      cleaned_count: Math.round(l.memberCount * 0.01),
      campaign_count: a.campaigns.filter((c) => c.listId === l.id).length,
      campaign_last_sent: l.campaignLastSent ? iso(l.campaignLastSent) : "",
      last_sub_date: iso(l.lastSub),
      last_unsub_date: "",
      // Percentages here, unlike the fractions in reports.
      open_rate: 41.2,
      click_rate: 3.1,
    },
    _links: links("self", `https://${a.dc}.api.mailchimp.com/3.0/lists/${l.id}`),
  };
}

// Every sandbox Mailchimp currency has two decimals.
const money = (minor: number) => minor / 100;

function campaignResource(a: Account, c: Campaign) {
  const list = a.lists.find((l) => l.id === c.listId)!;
  const rep = c.report;
  return {
    id: c.id,
    web_id: c.webId,
    type: "regular",
    create_time: iso(c.createTime),
    archive_url: `http://eepurl.com/${c.id.slice(0, 6)}`,
    status: c.status,
    emails_sent: rep?.emailsSent ?? 0,
    send_time: c.sendTime ? iso(c.sendTime) : "",
    content_type: "template",
    recipients: { list_id: list.id, list_is_active: true, list_name: list.name, recipient_count: rep?.emailsSent ?? list.memberCount },
    settings: { subject_line: c.subject, title: c.title, from_name: a.name, reply_to: `hello@${a.user}.test` },
    tracking: { opens: true, html_clicks: true, text_clicks: false },
    ...(rep
      ? {
          report_summary: {
            opens: rep.opensTotal,
            unique_opens: rep.uniqueOpens,
            open_rate: rep.uniqueOpens / Math.max(1, rep.emailsSent - rep.hard - rep.soft),
            clicks: rep.clicksTotal,
            subscriber_clicks: rep.uniqueSubscriberClicks,
            click_rate: rep.uniqueSubscriberClicks / Math.max(1, rep.emailsSent - rep.hard - rep.soft),
            ecommerce: { total_orders: rep.orders, total_spent: money(rep.revenueMinor), total_revenue: money(rep.revenueMinor) },
          },
        }
      : {}),
    _links: links("self", `https://${a.dc}.api.mailchimp.com/3.0/campaigns/${c.id}`),
  };
}

function reportResource(a: Account, c: Campaign) {
  const rep = c.report!;
  const delivered = Math.max(1, rep.emailsSent - rep.hard - rep.soft);
  return {
    id: c.id,
    campaign_title: c.title,
    type: "regular",
    list_id: c.listId,
    list_is_active: true,
    list_name: a.lists.find((l) => l.id === c.listId)!.name,
    subject_line: c.subject,
    emails_sent: rep.emailsSent,
    abuse_reports: 0,
    unsubscribed: rep.unsubscribed,
    send_time: iso(c.sendTime!),
    bounces: { hard_bounces: rep.hard, soft_bounces: rep.soft, syntax_errors: 0 },
    forwards: { forwards_count: 0, forwards_opens: 0 },
    opens: { opens_total: rep.opensTotal, unique_opens: rep.uniqueOpens, open_rate: rep.uniqueOpens / delivered, last_open: iso(c.sendTime! + 86_400_000) },
    clicks: {
      clicks_total: rep.clicksTotal,
      unique_clicks: rep.uniqueSubscriberClicks + Math.round(rep.uniqueSubscriberClicks * 0.1),
      unique_subscriber_clicks: rep.uniqueSubscriberClicks,
      click_rate: rep.uniqueSubscriberClicks / delivered,
      last_click: iso(c.sendTime! + 90_000_000),
    },
    ecommerce: { total_orders: rep.orders, total_spent: money(rep.revenueMinor), total_revenue: money(rep.revenueMinor), currency_code: a.currency },
    _links: links("self", `https://${a.dc}.api.mailchimp.com/3.0/reports/${c.id}`),
  };
}

const pageCaps = new Map<string, number>();
const latency = new Map<string, number>();
const active = new Map<string, number>();

/** count/offset paging; `null` on invalid parameters. */
function window<T>(req: SandboxRequest, a: Account, items: T[]): { page: T[]; total: number } | null {
  const q = req.url.searchParams;
  const count = Number(q.get("count") ?? 10);
  const offset = Number(q.get("offset") ?? 0);
  if (!Number.isInteger(count) || count < 1 || count > 1000 || !Number.isInteger(offset) || offset < 0) return null;
  const take = Math.min(count, pageCaps.get(a.user) ?? count);
  return { page: items.slice(offset, offset + take), total: items.length };
}

function timeParam(req: SandboxRequest, name: string): number | null | undefined {
  const v = req.url.searchParams.get(name);
  if (v === null || v === "") return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function api(req: SandboxRequest, a: Account): SandboxResponse {
  const path = req.path.replace(/\/$/, "");
  const invalid = (detail: string) => problem(400, "Invalid Resource", detail);
  const write = mailchimpCampaignWrites(req, a, { problem, campaignResource }); if (write) return write;
  if (req.method === "GET" && path === "/3.0/ping") return json(200, { health_status: "Everything's Chimpy!" });
  if (req.method === "GET" && path === "/3.0/lists") {
    const w = window(req, a, [...a.lists].sort((x, y) => x.created - y.created));
    if (!w) return invalid("count must be 1–1000 and offset non-negative.");
    return json(200, { lists: w.page.map((l) => listResource(a, l)), total_items: w.total, constraints: { may_create: true, max_instances: 1, current_total_instances: a.lists.length }, _links: links("self", "") });
  }
  if (req.method === "GET" && path === "/3.0/campaigns") {
    const q = req.url.searchParams;
    const bounds = ["since_send_time", "before_send_time", "since_create_time", "before_create_time"].map((n) => [n, timeParam(req, n)] as const);
    const bad = bounds.find(([, t]) => t === null);
    if (bad) return invalid(`${bad[0]} must be an ISO 8601 date-time.`);
    const t = Object.fromEntries(bounds) as Record<string, number | undefined>;
    const status = q.get("status");
    if (status && !["save", "paused", "schedule", "sending", "sent"].includes(status)) return invalid(`Invalid status: ${status}.`);
    const sortField = q.get("sort_field") ?? "create_time";
    if (!["create_time", "send_time"].includes(sortField)) return invalid(`Invalid sort_field: ${sortField}.`);
    const dir = q.get("sort_dir") === "DESC" ? -1 : 1;
    const items = a.campaigns
      .filter((c) => !status || c.status === status)
      .filter((c) => t.since_send_time === undefined || (c.sendTime !== null && c.sendTime >= t.since_send_time))
      .filter((c) => t.before_send_time === undefined || (c.sendTime !== null && c.sendTime < t.before_send_time))
      .filter((c) => t.since_create_time === undefined || c.createTime >= t.since_create_time)
      .filter((c) => t.before_create_time === undefined || c.createTime < t.before_create_time)
      .sort((x, y) => ((sortField === "send_time" ? (x.sendTime ?? 0) - (y.sendTime ?? 0) : x.createTime - y.createTime) || (x.id < y.id ? -1 : 1)) * dir);
    const w = window(req, a, items);
    if (!w) return invalid("count must be 1–1000 and offset non-negative.");
    return json(200, { campaigns: w.page.map((c) => campaignResource(a, c)), total_items: w.total, _links: links("self", "") });
  }
  const rep = /^\/3\.0\/reports\/([0-9a-f]+)$/.exec(path);
  if (req.method === "GET" && rep) {
    const c = a.campaigns.find((x) => x.id === rep[1]);
    return c?.report ? json(200, reportResource(a, c)) : notFound();
  }
  const hooks = /^\/3\.0\/lists\/([0-9a-f]+)\/webhooks$/.exec(path);
  if (hooks) {
    if (!a.lists.some((l) => l.id === hooks[1])) return notFound();
    if (req.method === "GET") return json(200, { webhooks: a.hooks.filter((h) => h.listId === hooks[1]), list_id: hooks[1], total_items: a.hooks.length });
    if (req.method === "POST") {
      let body: { url?: string } | null = null;
      try {
        body = JSON.parse(req.body.toString("utf8"));
      } catch {}
      if (!body?.url || !/^https?:\/\//.test(body.url)) return invalid("The resource submitted could not be validated: url is required.");
      const hook = { id: randomUUID().replace(/-/g, "").slice(0, 10), url: body.url, listId: hooks[1]! };
      a.hooks.push(hook);
      changed();
      return json(200, { ...hook, list_id: hook.listId, events: { subscribe: true, unsubscribe: true, profile: true, cleaned: true, upemail: true, campaign: true }, sources: { user: true, admin: true, api: false } });
    }
  }
  return notFound();
}

function handle(req: SandboxRequest): SandboxResponse | null {
  if (req.host === LOGIN_HOST) {
    if (req.path === "/oauth2/authorize") return authorize(req);
    if (req.path === "/oauth2/token" && req.method === "POST") return token(req);
    if (req.path === "/oauth2/metadata" && req.method === "GET") return metadata(req);
    return null;
  }
  const dc = /^(us\d+)\.api\.mailchimp\.com$/.exec(req.host)?.[1];
  if (!dc || !req.path.startsWith("/3.0/")) return null;
  const m = /^(?:Bearer|OAuth) (\S+)$/.exec(header(req, "authorization") ?? "");
  const a = byToken(m?.[1]);
  if (!a || a.dc !== dc) return keyInvalid();
  const inFlight = active.get(a.user) ?? 0;
  if (inFlight >= MAX_CONNECTIONS) return tooMany();
  const delay = latency.get(a.user) ?? 0;
  active.set(a.user, inFlight + 1);
  const release = () => active.set(a.user, (active.get(a.user) ?? 1) - 1);
  if (delay) setTimeout(release, delay);
  else release();
  return { ...api(req, a), delayMs: delay || undefined };
}

// ---------------------------------------------------------------- control

const lastDelivery = new Map<string, { url: string; body: string; headers: Record<string, string> }>();

async function control(req: SandboxRequest, action: string): Promise<SandboxResponse | null> {
  const body = req.method === "POST" ? (JSON.parse(req.body.toString("utf8") || "{}") as Record<string, any>) : {};
  const user = String(req.url.searchParams.get("user") ?? body.user ?? DEFAULT_USER);
  const a = accountOf(user);
  if (action === "stats") {
    return json(200, {
      dc: a.dc,
      userId: a.userId,
      accountname: a.name,
      currency: a.currency,
      lists: a.lists.map((l) => ({ id: l.id, name: l.name, memberCount: l.memberCount })),
      campaigns: a.campaigns.map((c) => ({ id: c.id, title: c.title, status: c.status, createTime: c.createTime, sendTime: c.sendTime, report: c.report })),
      webhooks: a.hooks,
    });
  }
  // Page caps (paging tests) and per-request latency (so simultaneous connections pile up).
  if (action === "config" && req.method === "POST") {
    if (body.pageCap !== undefined) body.pageCap ? pageCaps.set(user, Number(body.pageCap)) : pageCaps.delete(user);
    if (body.latencyMs !== undefined) body.latencyMs ? latency.set(user, Number(body.latencyMs)) : latency.delete(user);
    return json(200, { ok: true });
  }
  // `create` campaigns are created and sent now; the `bump` most recently sent gain opens/clicks.
  if (action === "mutate" && req.method === "POST") {
    const now = Date.now();
    const r = rng(seedOf(`mailchimp-mutate:${user}:${now}`));
    const bumped = a.campaigns.filter((c) => c.report).sort((x, y) => y.sendTime! - x.sendTime!).slice(0, Number(body.bump ?? 0));
    for (const c of bumped) c.report = { ...c.report!, uniqueOpens: c.report!.uniqueOpens + 9, opensTotal: c.report!.opensTotal + 14, uniqueSubscriberClicks: c.report!.uniqueSubscriberClicks + 3 };
    const created = Array.from({ length: Number(body.create ?? 0) }, (_, i) => {
      const list = pick(r, a.lists);
      const c: Campaign = { id: hexId(r, 10), webId: between(r, 1_000_000, 9_999_999), title: `Just sent #${i + 1} (${list.name})`, subject: `Just sent #${i + 1}`, status: "sent", createTime: now - 30_000, sendTime: now - 10_000, listId: list.id, report: reportFor(r, list.memberCount, 4000) };
      a.campaigns.push(c);
      return c.id;
    });
    return json(200, { bumped: bumped.map((c) => c.id), created, at: now });
  }
  // An (unsigned) webhook delivery: form body; the URL carries ?secret= (wrong for "bad-secret").
  if (action === "webhook" && req.method === "POST") {
    const mode = String(body.mode ?? "valid");
    const base = String(body.url ?? "http://localhost:8787/api/webhooks/mailchimp/sandbox");
    let d = mode === "replay" ? lastDelivery.get(user) : undefined;
    if (!d) {
      const list = a.lists[0]!;
      const type = String(body.type ?? "subscribe");
      const firedAt = new Date().toISOString().slice(0, 19).replace("T", " ");
      const email = `subscriber.${Date.now().toString(36)}@example.test`;
      const form = new URLSearchParams({ type, fired_at: firedAt });
      if (type === "campaign") {
        const c = a.campaigns.find((x) => x.report)!;
        for (const [k, v] of Object.entries({ id: c.id, subject: c.subject, status: "sent", reason: "", list_id: list.id })) form.set(`data[${k}]`, v);
      } else {
        for (const [k, v] of Object.entries({ id: randomUUID().slice(0, 10), list_id: list.id, email, email_type: "html", "merges][EMAIL": email, "merges][FNAME": "Sam", ip_opt: "10.20.10.30" })) form.set(`data[${k}]`, v);
        if (type === "unsubscribe") form.set("data[reason]", "manual");
      }
      const url = new URL(base);
      url.searchParams.set("secret", String(body.secret ?? ""));
      d = { url: url.toString(), body: form.toString(), headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "MailChimp" } };
    }
    if (mode === "bad-secret") {
      const url = new URL(d.url);
      url.searchParams.set("secret", `${url.searchParams.get("secret")}-wrong`);
      d = { ...d, url: url.toString() };
    } else lastDelivery.set(user, d);
    let status: number | null = null;
    if (body.send) status = (await fetch(d.url, { method: "POST", headers: d.headers, body: d.body })).status;
    return json(200, { ...d, status });
  }
  return mailchimpCampaignControl(req, action, a);
}

export const mailchimp: ProviderModule = { id: "mailchimp", handle, control, renderFault: (f) => renderFault(f) };
