// Mailchimp lists → Audience and campaigns (+ one report each) → EmailCampaign, count/offset paged.
// Incremental runs read campaigns created since the watermark, then campaigns created before it
// but sent in the last RECENT_DAYS (their reports still grow); the two never overlap.
import { toMinor } from "../../lib/money";
import { ProviderError } from "../http";
import type { Account, Audience, ConnectorRuntime, Cursor, EmailCampaign, Secrets, StreamPage, SyncStream } from "../types";
import { mailchimpGet, mapLimited, ms } from "./api";

const DAY_MS = 86_400_000;
export const PAGE_SIZE = 100;
export const RECENT_DAYS = 14;
/** Clock-skew allowance on the create_time watermark. */
export const OVERLAP_MS = 5 * 60_000;
/** Report calls in flight per page (Mailchimp allows 10 simultaneous connections per user). */
export const REPORT_CONCURRENCY = 3;

type ListBody = { lists?: { id: string; name?: string; date_created?: string; stats?: { member_count?: number; last_sub_date?: string; last_unsub_date?: string; campaign_last_sent?: string } }[]; total_items?: number };
type CampaignBody = { campaigns?: { id: string; status?: string; create_time?: string; send_time?: string; emails_sent?: number; settings?: { title?: string; subject_line?: string } }[]; total_items?: number };
type Report = {
  emails_sent?: number;
  unsubscribed?: number;
  bounces?: { hard_bounces?: number; soft_bounces?: number };
  opens?: { unique_opens?: number };
  clicks?: { unique_subscriber_clicks?: number };
  ecommerce?: { total_revenue?: number | string; currency_code?: string };
};

const offsetOf = (c: Cursor | null) => (typeof c?.offset === "number" ? c.offset : 0);
const isoZ = (t: number) => new Date(t).toISOString();

/** The next offset, or null when the listing is exhausted. */
function after(offset: number, got: number, total: number | undefined): number | null {
  const next = offset + got;
  return got > 0 && next < (total ?? 0) ? next : null;
}

export const listsStream: SyncStream = {
  name: "lists",
  async page(rt, { secrets, account, cursor }): Promise<StreamPage> {
    const offset = offsetOf(cursor);
    const body = await mailchimpGet<ListBody>(rt, secrets, account, `/lists?count=${PAGE_SIZE}&offset=${offset}`);
    if (!Array.isArray(body.lists)) throw new ProviderError("transient", "mailchimp /lists: unexpected response", { provider: "mailchimp" });
    const audiences: Audience[] = body.lists.map((l) => {
      const s = l.stats ?? {};
      const times = [l.date_created, s.last_sub_date, s.last_unsub_date, s.campaign_last_sent].map(ms).filter((t): t is number => t !== null);
      return { providerId: l.id, name: l.name ?? l.id, kind: "list", memberCount: s.member_count ?? 0, updatedAt: times.length ? Math.max(...times) : rt.now() };
    });
    const next = after(offset, body.lists.length, body.total_items);
    return { batch: { audiences }, next: next === null ? null : { offset: next } };
  },
};

async function toCampaign(rt: ConnectorRuntime, secrets: Secrets, account: Account, c: NonNullable<CampaignBody["campaigns"]>[number]): Promise<EmailCampaign> {
  const sentAt = ms(c.send_time);
  const sent = c.status === "sent" || c.status === "sending";
  const r: Report = sent ? await mailchimpGet<Report>(rt, secrets, account, `/reports/${encodeURIComponent(c.id)}`) : {};
  const bounces = (r.bounces?.hard_bounces ?? 0) + (r.bounces?.soft_bounces ?? 0);
  const recipients = r.emails_sent ?? c.emails_sent ?? 0;
  const currency = r.ecommerce?.currency_code ?? null;
  return {
    providerId: c.id,
    name: c.settings?.title || c.settings?.subject_line || c.id,
    kind: "campaign",
    status: c.status ?? "unknown",
    sentAt: sent ? sentAt : null,
    recipients,
    delivered: Math.max(0, recipients - bounces),
    opens: r.opens?.unique_opens ?? 0,
    clicks: r.clicks?.unique_subscriber_clicks ?? 0,
    bounces,
    unsubscribes: r.unsubscribed ?? 0,
    revenueMinor: currency ? toMinor(r.ecommerce?.total_revenue ?? 0, currency) : 0,
    currency,
    // Mailchimp has no updated_at; send time only ever moves forward from creation.
    updatedAt: sentAt ?? ms(c.create_time) ?? rt.now(),
  };
}

function listing(phase: string, since: number | null, offset: number): string {
  const q = new URLSearchParams({ count: String(PAGE_SIZE), offset: String(offset), sort_field: "create_time", sort_dir: "ASC" });
  if (since !== null && phase === "created") q.set("since_create_time", isoZ(since - OVERLAP_MS));
  if (since !== null && phase === "sent") {
    q.set("since_send_time", isoZ(since - RECENT_DAYS * DAY_MS));
    q.set("before_create_time", isoZ(since - OVERLAP_MS));
  }
  return `/campaigns?${q}`;
}

export const campaignsStream: SyncStream = {
  name: "campaigns",
  async page(rt, { secrets, account, cursor, since }): Promise<StreamPage> {
    const runAt = typeof cursor?.runAt === "number" ? cursor.runAt : rt.now();
    const phase = typeof cursor?.phase === "string" ? cursor.phase : "created";
    const offset = offsetOf(cursor);
    const body = await mailchimpGet<CampaignBody>(rt, secrets, account, listing(phase, since, offset));
    if (!Array.isArray(body.campaigns)) throw new ProviderError("transient", "mailchimp /campaigns: unexpected response", { provider: "mailchimp" });
    const campaigns = await mapLimited(body.campaigns, REPORT_CONCURRENCY, (c) => toCampaign(rt, secrets, account, c));
    const nextOffset = after(offset, body.campaigns.length, body.total_items);
    let next: Cursor | null = null;
    if (nextOffset !== null) next = { phase, offset: nextOffset, runAt };
    else if (phase === "created" && since !== null) next = { phase: "sent", offset: 0, runAt };
    return { batch: { campaigns }, next, watermark: runAt };
  },
};
