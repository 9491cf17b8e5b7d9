// Klaviyo campaign writes for the sandbox: create a campaign with its message and audiences,
// update it and its message, templates (CODE editor), assign a template to a message, send jobs
// (immediate → Sent with figures; static → Scheduled, Sent once its time has passed), revert or
// cancel a send job, and template preview sends (test emails). Validation answers Klaviyo's
// JSON:API error bodies; every write counts in the campaigns rate-limit window (10/s, 150/min),
// preview sends in their own (1/s, 15/min, 100/day). Campaigns land in the account's campaigns, so
// the next sync (listing and values report) sees them.
import { randomUUID } from "node:crypto";
import { DAY_MS, json, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed, entries, persisted, refill } from "../state.ts";

type Stats = { recipients: number; delivered: number; opens: number; opensUnique: number; clicks: number; clicksUnique: number; bounced: number; unsubscribes: number; conversions: number; valueMinor: number };
type Content = { subject?: string; preview_text?: string; from_email?: string; from_label?: string; reply_to_email?: string };
type Campaign = {
  id: string; name: string; channel: "email" | "sms"; status: string; archived: boolean; createdAt: number; scheduledAt: number | null; sendTime: number | null; updatedAt: number; listId: string; stats: Stats | null;
  messageId?: string; templateId?: string | null; content?: Content; strategy?: { method: string; datetime: number | null }; label?: string;
};
type Account = { key: string; lists: { id: string; profileCount: number }[]; campaigns: Campaign[] };
type ErrorSpec = { code: string; title: string; detail: string; source?: Record<string, string> };
export type KlaviyoKit = {
  limit(key: string, bucket: string): { headers: Record<string, string> } | { error: SandboxResponse };
  errors(status: number, list: ErrorSpec[], headers?: Record<string, string>): SandboxResponse;
  campaignResource(c: Campaign): Record<string, any>;
};

type Template = { id: string; name: string; html: string; text: string; created: number };
const templates = new Map<string, Template[]>();
/** Tests: the next campaign create of these keys happens but its answer is lost (504). */
const loseNextCreate = new Set<string>();
/** Test emails sent, per key (what a test send would have delivered). */
const previews = new Map<string, { templateId: string; emails: string[]; at: number }[]>();
persisted("klaviyo-campaigns", {
  save: () => ({ templates: entries(templates), previews: entries(previews) }),
  load: (d) => {
    refill(templates, d.templates);
    refill(previews, d.previews);
  },
});

const JSONAPI = { "content-type": "application/vnd.api+json" };
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ulid = () => "01" + Array.from({ length: 24 }, () => CROCKFORD[Math.floor(Math.random() * 32)]).join("");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
const self = (p: string) => `https://a.klaviyo.com/api/${p}/`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function read(req: SandboxRequest): any {
  try {
    return JSON.parse(req.body.toString("utf8") || "null");
  } catch {
    return undefined;
  }
}

/** Figures of a campaign just sent to a list: about 90 % reached, 20–45 % opened. */
function sentStats(recipients: number, seed: number): Stats {
  const f = (n: number) => ((seed * 9301 + n * 49297) % 233280) / 233280;
  const bounced = Math.round(recipients * 0.008);
  const delivered = recipients - bounced;
  const opensUnique = Math.round(delivered * (0.2 + f(1) * 0.25));
  const clicksUnique = Math.round(opensUnique * (0.06 + f(2) * 0.1));
  const conversions = Math.round(clicksUnique * 0.08);
  return { recipients, delivered, opensUnique, opens: Math.round(opensUnique * 1.4), clicksUnique, clicks: Math.round(clicksUnique * 1.3), bounced, unsubscribes: Math.round(delivered * 0.002), conversions, valueMinor: conversions * 4500 };
}

function markSent(a: Account, c: Campaign, at: number) {
  const list = a.lists.find((l) => l.id === c.listId);
  c.status = "Sent";
  c.sendTime = at;
  c.updatedAt = Math.max(at, Date.now());
  c.stats = sentStats(Math.max(1, Math.round((list?.profileCount ?? 100) * 0.9)), at % 1000);
  changed();
}

/** Scheduled campaigns whose time has come are sent (Klaviyo does it on its own). */
function tick(a: Account) {
  const now = Date.now();
  for (const c of a.campaigns) if (c.messageId && c.status === "Scheduled" && c.sendTime !== null && c.sendTime <= now) markSent(a, c, c.sendTime);
}

/** send_strategy as the revision shapes it: options_static before 2026-07-15, datetime/options after. */
function strategyOf(raw: any, revision: string): { method: string; datetime: number | null } | string {
  if (raw === undefined || raw === null) return { method: "immediate", datetime: null };
  const method = raw.method;
  if (method === "immediate") return { method, datetime: null };
  if (method !== "static") return `'${String(method)}' is not a supported send_strategy method.`;
  const when = revision >= "2026-07-15" ? raw.datetime : raw.options_static?.datetime;
  if (typeof when !== "string") return revision >= "2026-07-15" ? "send_strategy.datetime is required for a static send." : "send_strategy.options_static.datetime is required for a static send.";
  const t = Date.parse(when);
  if (Number.isNaN(t)) return `'${when}' is not a valid datetime.`;
  return { method, datetime: t };
}

function resource(kit: KlaviyoKit, c: Campaign) {
  const r = kit.campaignResource(c);
  r.attributes.send_strategy = c.strategy?.method === "static" ? { method: "static", datetime: iso(c.strategy.datetime!), options: { is_local: false } } : { method: "immediate" };
  r.relationships["campaign-messages"].data = [{ type: "campaign-message", id: c.messageId ?? c.id }];
  return r;
}

const messageResource = (c: Campaign) => ({
  type: "campaign-message",
  id: c.messageId,
  attributes: { definition: { channel: "email", label: c.label ?? c.name, content: c.content ?? {} }, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt) },
  relationships: { campaign: { data: { type: "campaign", id: c.id } }, template: { data: c.templateId ? { type: "template", id: c.templateId } : null } },
  links: { self: self(`campaign-messages/${c.messageId}`) },
});

export function klaviyoCampaignWrites(req: SandboxRequest, a: Account, kit: KlaviyoKit): SandboxResponse | null {
  tick(a);
  const path = req.path.replace(/\/$/, "");
  const revision = String(req.headers.revision ?? "").slice(0, 10);
  const invalid = (detail: string, pointer = "/data") => kit.errors(400, [{ code: "invalid", title: "Invalid input.", detail, source: { pointer } }]);
  const notFound = (detail = "A resource with that id could not be found.") => kit.errors(404, [{ code: "not_found", title: "Not found.", detail }]);
  const counted = (bucket: string, status: number, body: unknown): SandboxResponse => {
    const lim = kit.limit(a.key, bucket);
    if ("error" in lim) return lim.error;
    return status === 204 ? { status, headers: lim.headers } : json(status, body, { ...JSONAPI, ...lim.headers });
  };
  const mine = (id: string | undefined) => a.campaigns.find((c) => c.id === id && c.channel === "email");

  if (req.method === "POST" && path === "/api/campaigns") {
    const body = read(req);
    const at = body?.data?.attributes;
    if (body?.data?.type !== "campaign" || !at) return invalid("data.type must be 'campaign'.", "/data/type");
    if (typeof at.name !== "string" || !at.name.trim()) return invalid("name is required.", "/data/attributes/name");
    const included: unknown[] = Array.isArray(at.audiences?.included) ? at.audiences.included : [];
    if (!included.length) return invalid("At least one included audience is required.", "/data/attributes/audiences/included");
    const unknown = included.filter((id) => !a.lists.some((l) => l.id === id));
    if (unknown.length) return invalid(`The following audience ids are invalid: ${unknown.join(", ")}.`, "/data/attributes/audiences/included");
    const strategy = strategyOf(at.send_strategy, revision);
    if (typeof strategy === "string") return invalid(strategy, "/data/attributes/send_strategy");
    const def = at["campaign-messages"]?.data?.[0]?.attributes?.definition;
    if (def?.channel !== "email") return invalid("campaign-messages must hold one message with channel 'email'.", "/data/attributes/campaign-messages");
    if (!def.content?.subject) return invalid("An email message needs a subject.", "/data/attributes/campaign-messages/data/0/attributes/definition/content/subject");
    if (def.content.from_email && !EMAIL.test(def.content.from_email)) return invalid(`'${def.content.from_email}' is not a valid email address.`, "/data/attributes/campaign-messages/data/0/attributes/definition/content/from_email");
    const lim = kit.limit(a.key, "campaigns");
    if ("error" in lim) return lim.error;
    const now = Date.now();
    const c: Campaign = {
      id: ulid(), name: at.name, channel: "email", status: "Draft", archived: false, createdAt: now, scheduledAt: null, sendTime: null, updatedAt: now, listId: String(included[0]), stats: null,
      messageId: ulid(), templateId: null, content: def.content, strategy, label: def.label,
    };
    a.campaigns.push(c);
    changed();
    if (loseNextCreate.delete(a.key)) return kit.errors(504, [{ code: "gateway_timeout", title: "Gateway timeout.", detail: "The request timed out." }]);
    return json(201, { data: resource(kit, c), links: { self: self("campaigns") } }, { ...JSONAPI, ...lim.headers });
  }
  const one = /^\/api\/campaigns\/([^/]+)$/.exec(path);
  if (one && req.method === "GET") {
    const c = mine(one[1]);
    return c ? counted("campaigns", 200, { data: resource(kit, c), links: { self: self(`campaigns/${c.id}`) } }) : notFound();
  }
  if (one && req.method === "PATCH") {
    const c = mine(one[1]);
    if (!c) return notFound();
    const body = read(req);
    if (body?.data?.type !== "campaign" || body.data.id !== c.id) return invalid("data.type must be 'campaign' and data.id the campaign's id.");
    if (c.status !== "Draft") return invalid(`A campaign that is ${c.status} cannot be edited.`);
    const at = body.data.attributes ?? {};
    if (at.send_strategy !== undefined) {
      const s = strategyOf(at.send_strategy, revision);
      if (typeof s === "string") return invalid(s, "/data/attributes/send_strategy");
      c.strategy = s;
    }
    if (typeof at.name === "string" && at.name) c.name = at.name;
    if (Array.isArray(at.audiences?.included) && at.audiences.included.length) {
      const bad = at.audiences.included.filter((id: string) => !a.lists.some((l) => l.id === id));
      if (bad.length) return invalid(`The following audience ids are invalid: ${bad.join(", ")}.`, "/data/attributes/audiences/included");
      c.listId = at.audiences.included[0];
    }
    c.updatedAt = Date.now();
    changed();
    return counted("campaigns", 200, { data: resource(kit, c) });
  }
  const msgs = /^\/api\/campaigns\/([^/]+)\/campaign-messages$/.exec(path);
  if (msgs && req.method === "GET") {
    const c = mine(msgs[1]);
    return c ? counted("campaigns", 200, { data: c.messageId ? [messageResource(c)] : [{ type: "campaign-message", id: c.id, attributes: {} }], links: { self: self(`campaigns/${c.id}/campaign-messages`) } }) : notFound();
  }
  const msg = /^\/api\/campaign-messages\/([^/]+)$/.exec(path);
  if (msg && req.method === "PATCH") {
    const c = a.campaigns.find((x) => x.messageId === msg[1]);
    if (!c) return notFound();
    const def = read(req)?.data?.attributes?.definition;
    if (!def || def.channel !== "email") return invalid("definition.channel must be 'email'.", "/data/attributes/definition");
    if (c.status !== "Draft") return invalid(`A campaign that is ${c.status} cannot be edited.`);
    c.content = { ...c.content, ...def.content };
    if (def.label) c.label = def.label;
    c.updatedAt = Date.now();
    changed();
    return counted("campaigns", 200, { data: messageResource(c) });
  }
  if (req.method === "POST" && path === "/api/templates") {
    const at = read(req)?.data?.attributes;
    if (!at) return invalid("data.type must be 'template'.", "/data/type");
    if (typeof at.name !== "string" || !at.name) return invalid("name is required.", "/data/attributes/name");
    if (!["CODE", "USER_DRAGGABLE", "SYSTEM_DRAGGABLE"].includes(at.editor_type)) return invalid(`'${at.editor_type}' is not a valid editor_type.`, "/data/attributes/editor_type");
    if (at.editor_type === "CODE" && (typeof at.html !== "string" || !at.html.trim())) return invalid("html is required for a CODE template.", "/data/attributes/html");
    const t: Template = { id: randomUUID().replace(/-/g, "").slice(0, 6), name: at.name, html: at.html ?? "", text: at.text ?? "", created: Date.now() };
    templates.set(a.key, [...(templates.get(a.key) ?? []), t]);
    changed();
    return counted("campaigns", 201, { data: { type: "template", id: t.id, attributes: { name: t.name, editor_type: at.editor_type, html: t.html, text: t.text, created: iso(t.created), updated: iso(t.created) }, links: { self: self(`templates/${t.id}`) } } });
  }
  if (req.method === "POST" && path === "/api/campaign-message-assign-template") {
    const d = read(req)?.data;
    if (d?.type !== "campaign-message") return invalid("data.type must be 'campaign-message'.", "/data/type");
    const c = a.campaigns.find((x) => x.messageId && x.messageId === d.id);
    if (!c) return notFound("No campaign message with that id.");
    const tid = d.relationships?.template?.data?.id;
    if (!(templates.get(a.key) ?? []).some((t) => t.id === tid)) return invalid(`Template '${String(tid)}' does not exist.`, "/data/relationships/template/data/id");
    if (c.status !== "Draft") return invalid(`A campaign that is ${c.status} cannot be edited.`);
    c.templateId = tid;
    c.updatedAt = Date.now();
    changed();
    return counted("campaigns", 201, { data: messageResource(c) });
  }
  if (req.method === "POST" && path === "/api/campaign-send-jobs") {
    const d = read(req)?.data;
    if (d?.type !== "campaign-send-job" || typeof d.id !== "string") return invalid("data.type must be 'campaign-send-job' and data.id a campaign id.");
    const c = mine(d.id);
    if (!c) return notFound("No campaign with that id.");
    if (c.status !== "Draft") return invalid(`The campaign is ${c.status}; only a Draft campaign can be sent.`);
    if (!c.templateId) return invalid("The campaign message has no template; assign one before sending.", "/data/id");
    const now = Date.now();
    const s = c.strategy ?? { method: "immediate", datetime: null };
    if (s.method === "static") {
      if (s.datetime! <= now) return invalid("The send time must be in the future.", "/data/attributes/send_strategy");
      if (s.datetime! > now + 365 * DAY_MS) return invalid("The send time cannot be more than a year away.", "/data/attributes/send_strategy");
    }
    const lim = kit.limit(a.key, "campaigns");
    if ("error" in lim) return lim.error;
    if (s.method === "static") {
      c.status = "Scheduled";
      c.scheduledAt = now;
      c.sendTime = s.datetime;
      c.updatedAt = now;
      changed();
    } else {
      c.scheduledAt = now;
      markSent(a, c, now);
    }
    return json(202, { data: { type: "campaign-send-job", id: c.id, attributes: { status: s.method === "static" ? "queued" : "complete" } } }, { ...JSONAPI, ...lim.headers });
  }
  const job = /^\/api\/campaign-send-jobs\/([^/]+)$/.exec(path);
  if (job && req.method === "PATCH") {
    const c = mine(job[1]);
    if (!c) return notFound("No campaign send job with that id.");
    const action = read(req)?.data?.attributes?.action;
    if (action !== "cancel" && action !== "revert") return invalid("action must be 'cancel' or 'revert'.", "/data/attributes/action");
    if (c.status !== "Scheduled" && c.status !== "Sending") return invalid(`The campaign is ${c.status}; only a scheduled or sending campaign can be ${action === "cancel" ? "cancelled" : "reverted"}.`);
    c.status = action === "cancel" ? "Cancelled" : "Draft";
    c.sendTime = null;
    c.scheduledAt = null;
    c.updatedAt = Date.now();
    changed();
    return counted("campaigns", 204, null);
  }
  if (req.method === "POST" && path === "/api/template-preview-send-jobs") {
    if (revision < "2026-10-15" && !String(req.headers.revision ?? "").endsWith(".pre")) return notFound(`No route for POST /api/template-preview-send-jobs in revision ${revision}.`);
    const d = read(req)?.data;
    if (d?.type !== "template-preview-send-job") return invalid("data.type must be 'template-preview-send-job'.", "/data/type");
    const emails: unknown[] = Array.isArray(d.attributes?.emails) ? d.attributes.emails : [];
    if (!emails.length || emails.length > 10) return invalid("emails must hold 1 to 10 addresses.", "/data/attributes/emails");
    const bad = emails.find((e) => typeof e !== "string" || !EMAIL.test(e));
    if (bad !== undefined) return invalid(`'${String(bad)}' is not a valid email address.`, "/data/attributes/emails");
    const tid = d.relationships?.template?.data?.id;
    if (!(templates.get(a.key) ?? []).some((t) => t.id === tid)) return invalid(`Template '${String(tid)}' does not exist.`, "/data/relationships/template/data/id");
    const lim = previewLimit(a.key);
    if (lim) return kit.errors(429, [{ code: "throttled", title: "Request was throttled.", detail: `Request was throttled. Expected available in ${lim} second${lim === 1 ? "" : "s"}.` }], { "retry-after": String(lim) });
    previews.set(a.key, [...(previews.get(a.key) ?? []), { templateId: tid, emails: emails as string[], at: Date.now() }]);
    changed();
    return json(202, { data: { type: "template-preview-send-job", id: ulid(), attributes: { status: "queued", created_at: iso(Date.now()) } } }, JSONAPI);
  }
  return null;
}

const previewWindows = new Map<string, number[]>();
/** 1/s, 15/min, 100/day per account: seconds to wait, or 0. */
function previewLimit(key: string): number {
  const now = Date.now();
  const times = (previewWindows.get(key) ?? []).filter((t) => now - t < DAY_MS);
  const within = (ms: number) => times.filter((t) => now - t < ms);
  let wait = 0;
  if (within(1000).length >= 1) wait = Math.max(wait, 1);
  if (within(60_000).length >= 15) wait = Math.max(wait, Math.ceil((within(60_000)[0]! + 60_000 - now) / 1000));
  if (times.length >= 100) wait = Math.max(wait, Math.ceil((times[0]! + DAY_MS - now) / 1000));
  if (!wait) {
    times.push(now);
    previewWindows.set(key, times);
  }
  return wait;
}

/**
 * /_sandbox/klaviyo/campaign-writes: lose the next create's answer, delete a list (as someone
 * would in Klaviyo's UI), and what the test sends delivered.
 */
export function klaviyoCampaignControl(req: SandboxRequest, action: string, a: Account): SandboxResponse | null {
  if (action !== "campaign-writes") return null;
  const body = read(req) ?? {};
  if (req.method === "POST" && body.loseNextCreate === true) loseNextCreate.add(a.key);
  if (req.method === "POST" && typeof body.removeList === "string") {
    a.lists.splice(0, a.lists.length, ...a.lists.filter((l) => l.id !== body.removeList));
    changed();
  }
  return json(200, { previews: previews.get(a.key) ?? [], templates: (templates.get(a.key) ?? []).map((t) => ({ id: t.id, name: t.name })) });
}
