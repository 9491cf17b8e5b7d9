// Mailchimp campaign writes for the sandbox: POST /campaigns, GET/PATCH /campaigns/{id},
// PUT /campaigns/{id}/content, and the actions test, schedule (future, quarter-hour times only),
// unschedule and send. Validation answers problem+json with `errors[]` of field messages, as
// Mailchimp does; the 10-simultaneous-connections limit applies (the caller counts connections).
// A sent campaign gets a report, so the next sync sees its opens and clicks; a scheduled one is
// sent once its time has passed.
import { randomUUID } from "node:crypto";
import { json, type SandboxRequest, type SandboxResponse } from "../lib.ts";
import { changed } from "../state.ts";

type Report = { emailsSent: number; uniqueOpens: number; opensTotal: number; uniqueSubscriberClicks: number; clicksTotal: number; hard: number; soft: number; unsubscribed: number; orders: number; revenueMinor: number };
type Campaign = {
  id: string; webId: number; title: string; subject: string; status: string; createTime: number; sendTime: number | null; listId: string; report: Report | null;
  api?: true; previewText?: string; fromName?: string; replyTo?: string; html?: string | null; plainText?: string | null; tests?: { emails: string[]; at: number }[];
};
type Account = { user: string; lists: { id: string; memberCount: number }[]; campaigns: Campaign[] };
export type MailchimpKit = {
  problem(status: number, title: string, detail: string, extra?: Record<string, unknown>): SandboxResponse;
  campaignResource(a: any, c: Campaign): Record<string, any>;
};

const loseNextCreate = new Set<string>();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const QUARTER_MS = 15 * 60_000;
const YEAR_MS = 365 * 86_400_000;

function read(req: SandboxRequest): any {
  try {
    return JSON.parse(req.body.toString("utf8") || "null");
  } catch {
    return undefined;
  }
}

function reportFor(sent: number, seed: number): Report {
  const f = (n: number) => ((seed * 9301 + n * 49297) % 233280) / 233280;
  const hard = Math.round(sent * 0.003);
  const soft = Math.round(sent * 0.006);
  const uniqueOpens = Math.round((sent - hard - soft) * (0.22 + f(1) * 0.25));
  const uniqueSubscriberClicks = Math.round(uniqueOpens * (0.05 + f(2) * 0.1));
  const orders = Math.round(uniqueSubscriberClicks * 0.06);
  return { emailsSent: sent, uniqueOpens, opensTotal: Math.round(uniqueOpens * 1.5), uniqueSubscriberClicks, clicksTotal: Math.round(uniqueSubscriberClicks * 1.4), hard, soft, unsubscribed: Math.round(sent * 0.002), orders, revenueMinor: orders * 3900 };
}

function markSent(a: Account, c: Campaign, at: number) {
  const list = a.lists.find((l) => l.id === c.listId);
  c.status = "sent";
  c.sendTime = at;
  c.report = reportFor(Math.max(1, list?.memberCount ?? 50), at % 1000);
  changed();
}

function tick(a: Account) {
  const now = Date.now();
  for (const c of a.campaigns) if (c.api && c.status === "schedule" && c.sendTime !== null && c.sendTime <= now) markSent(a, c, c.sendTime);
}

export function mailchimpCampaignWrites(req: SandboxRequest, a: Account, kit: MailchimpKit): SandboxResponse | null {
  tick(a);
  const path = req.path.replace(/\/$/, "");
  const invalid = (detail: string, errors?: { field: string; message: string }[]) =>
    kit.problem(400, "Invalid Resource", errors ? "The resource submitted could not be validated. For field-specific details, see the 'errors' array." : detail, errors ? { errors } : {});
  const notFound = () => kit.problem(404, "Resource Not Found", "The requested resource could not be found.");
  const noContent: SandboxResponse = { status: 204 };
  const settingsErrors = (s: any) => {
    const errs: { field: string; message: string }[] = [];
    if (s?.reply_to !== undefined && !EMAIL.test(String(s.reply_to))) errs.push({ field: "settings.reply_to", message: "This value should be a valid email." });
    if (s?.subject_line !== undefined && String(s.subject_line).length > 150) errs.push({ field: "settings.subject_line", message: "The subject line must be at most 150 characters." });
    if (s?.preview_text !== undefined && String(s.preview_text).length > 150) errs.push({ field: "settings.preview_text", message: "The preview text must be at most 150 characters." });
    return errs;
  };

  if (req.method === "POST" && path === "/3.0/campaigns") {
    const b = read(req);
    if (b === undefined || b === null || typeof b !== "object") return kit.problem(400, "JSON Parse Error", "We encountered an unspecified JSON parsing error.");
    if (!["regular", "plaintext", "absplit", "rss", "variate"].includes(b.type)) return invalid("", [{ field: "type", message: "Schema describes enum, instead found " + JSON.stringify(b.type ?? null) }]);
    const listId = b.recipients?.list_id;
    if (!a.lists.some((l) => l.id === listId)) return invalid("", [{ field: "recipients.list_id", message: listId === undefined ? "An audience (recipients.list_id) is required." : `The list '${String(listId)}' does not exist.` }]);
    const errs = settingsErrors(b.settings);
    if (errs.length) return invalid("", errs);
    const s = b.settings ?? {};
    const c: Campaign = {
      id: randomUUID().replace(/-/g, "").slice(0, 10), webId: Math.floor(1_000_000 + Math.random() * 8_999_999), title: s.title ?? "", subject: s.subject_line ?? "", status: "save", createTime: Date.now(), sendTime: null,
      listId: listId ?? "", report: null, api: true, previewText: s.preview_text ?? "", fromName: s.from_name ?? "", replyTo: s.reply_to ?? "", html: null, plainText: null, tests: [],
    };
    a.campaigns.push(c);
    changed();
    if (loseNextCreate.delete(a.user)) return kit.problem(504, "Gateway Timeout", "The server did not answer in time.");
    return json(200, view(kit, a, c));
  }
  const m = /^\/3\.0\/campaigns\/([0-9a-f]+)(\/content|\/actions\/(test|schedule|unschedule|send))?$/.exec(path);
  if (!m) return null;
  const c = a.campaigns.find((x) => x.id === m[1]);
  if (!c) return notFound();
  const editable = c.status === "save" || c.status === "paused";
  const notReady = () => {
    const missing: { field: string; message: string }[] = [];
    if (!c.listId) missing.push({ field: "recipients.list_id", message: "You need to pick an audience." });
    if (!c.subject) missing.push({ field: "settings.subject_line", message: "You need to enter a subject line." });
    if (!c.fromName) missing.push({ field: "settings.from_name", message: "You need to enter a from name." });
    if (!c.replyTo) missing.push({ field: "settings.reply_to", message: "You need to enter a reply-to address." });
    if (!c.html && !c.plainText) missing.push({ field: "content", message: "Your campaign has no content." });
    return missing.length ? kit.problem(400, "Bad Request", "Your Campaign is not ready to send.", { errors: missing }) : null;
  };
  if (!m[2] && req.method === "GET") return json(200, view(kit, a, c));
  if (!m[2] && req.method === "PATCH") {
    if (!editable) return kit.problem(400, "Bad Request", `This campaign cannot be updated because it is ${c.status === "schedule" ? "scheduled" : c.status}.`);
    const b = read(req) ?? {};
    const listId = b.recipients?.list_id;
    if (listId !== undefined && !a.lists.some((l) => l.id === listId)) return invalid("", [{ field: "recipients.list_id", message: `The list '${String(listId)}' does not exist.` }]);
    const errs = settingsErrors(b.settings);
    if (errs.length) return invalid("", errs);
    const s = b.settings ?? {};
    if (listId) c.listId = listId;
    if (s.title !== undefined) c.title = s.title;
    if (s.subject_line !== undefined) c.subject = s.subject_line;
    if (s.preview_text !== undefined) c.previewText = s.preview_text;
    if (s.from_name !== undefined) c.fromName = s.from_name;
    if (s.reply_to !== undefined) c.replyTo = s.reply_to;
    changed();
    return json(200, view(kit, a, c));
  }
  if (m[2] === "/content" && req.method === "PUT") {
    if (!editable) return kit.problem(400, "Bad Request", "The content of a scheduled or sent campaign cannot be changed.");
    const b = read(req) ?? {};
    if (typeof b.html !== "string" && typeof b.plain_text !== "string") return invalid("", [{ field: "html", message: "Provide html or plain_text." }]);
    c.html = typeof b.html === "string" ? b.html : c.html;
    c.plainText = typeof b.plain_text === "string" ? b.plain_text : c.plainText;
    changed();
    return json(200, { plain_text: c.plainText ?? "", html: c.html ?? "", _links: [] });
  }
  if (req.method !== "POST" || !m[3]) return kit.problem(405, "Method Not Allowed", "The requested method and resource are not compatible.");
  const action = m[3];
  if (action === "test") {
    const b = read(req) ?? {};
    const emails: unknown[] = Array.isArray(b.test_emails) ? b.test_emails : [];
    if (!emails.length) return invalid("", [{ field: "test_emails", message: "Provide at least one test email address." }]);
    const bad = emails.find((e) => typeof e !== "string" || !EMAIL.test(e));
    if (bad !== undefined) return invalid("", [{ field: "test_emails", message: `'${String(bad)}' is not a valid email address.` }]);
    if (!["html", "plaintext"].includes(b.send_type)) return invalid("", [{ field: "send_type", message: "Schema describes enum, instead found " + JSON.stringify(b.send_type ?? null) }]);
    const nr = notReady();
    if (nr) return nr;
    c.tests = [...(c.tests ?? []), { emails: emails as string[], at: Date.now() }];
    changed();
    return noContent;
  }
  if (action === "schedule") {
    const b = read(req) ?? {};
    const t = typeof b.schedule_time === "string" ? Date.parse(b.schedule_time) : NaN;
    if (Number.isNaN(t)) return invalid("", [{ field: "schedule_time", message: "This value should be a valid date-time (ISO 8601)." }]);
    if (!editable) return kit.problem(400, "Bad Request", `This campaign cannot be scheduled because it is ${c.status === "schedule" ? "already scheduled" : c.status}.`);
    if (t <= Date.now()) return kit.problem(400, "Bad Request", "This campaign cannot be scheduled in the past.");
    if (t % QUARTER_MS !== 0) return kit.problem(400, "Bad Request", "Schedule time must be on the quarter-hour (:00, :15, :30, :45).");
    if (t > Date.now() + YEAR_MS) return kit.problem(400, "Bad Request", "Campaigns cannot be scheduled more than a year in advance.");
    const nr = notReady();
    if (nr) return nr;
    c.status = "schedule";
    c.sendTime = t;
    changed();
    return noContent;
  }
  if (action === "unschedule") {
    if (c.status !== "schedule") return kit.problem(400, "Bad Request", "This campaign is not scheduled.");
    c.status = "save";
    c.sendTime = null;
    changed();
    return noContent;
  }
  // send
  if (!editable) return kit.problem(400, "Bad Request", `This campaign cannot be sent because it is ${c.status === "schedule" ? "scheduled" : c.status}.`);
  const nr = notReady();
  if (nr) return nr;
  markSent(a, c, Date.now());
  return noContent;
}

function view(kit: MailchimpKit, a: Account, c: Campaign) {
  const r = kit.campaignResource(a, c);
  r.settings = { ...r.settings, preview_text: c.previewText ?? "", from_name: c.fromName || r.settings.from_name, reply_to: c.replyTo || r.settings.reply_to };
  if (c.status === "schedule" && c.sendTime) r.send_time = new Date(c.sendTime).toISOString().replace(/\.\d{3}Z$/, "+00:00");
  return r;
}

/** /_sandbox/mailchimp/campaign-writes: lose the next create's answer; the test sends made. */
export function mailchimpCampaignControl(req: SandboxRequest, action: string, a: Account): SandboxResponse | null {
  if (action !== "campaign-writes") return null;
  const body = read(req) ?? {};
  if (req.method === "POST" && body.loseNextCreate === true) loseNextCreate.add(a.user);
  return json(200, { campaigns: a.campaigns.filter((c) => c.api).map((c) => ({ id: c.id, title: c.title, status: c.status, sendTime: c.sendTime, tests: c.tests ?? [], html: c.html })) });
}
