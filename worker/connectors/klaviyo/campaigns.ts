// Klaviyo email campaigns and flows → EmailCampaign. Each run: one values report (first page),
// then the campaigns themselves. Incremental runs list campaigns updated since the watermark,
// then those scheduled in the last RECENT_DAYS and not updated since (their opens and clicks
// still grow though `updated_at` does not move); the two listings never overlap.
import type { Account, Cursor, EmailCampaign, StreamPage, SyncStream } from "../types";
import { API_BASE, expectCollection, klaviyoGet, ms, type Collection, type Resource } from "./api";
import { packFigures, unpackFigures, valuesReport, type Figures } from "./reports";

const DAY_MS = 86_400_000;
/** Clock skew allowance on the updated_at watermark. */
export const OVERLAP_MS = 5 * 60_000;
/** How long after sending a campaign's figures are still refreshed without an edit. */
export const RECENT_DAYS = 14;

type CampaignAttributes = { name?: string; status?: string; send_time?: string | null; updated_at?: string };
type FlowAttributes = { name?: string; status?: string; updated?: string; created?: string };

const str = (v: unknown) => (typeof v === "string" && v ? v : null);
const isoZ = (t: number) => new Date(t).toISOString();

function row(id: string, name: string, kind: EmailCampaign["kind"], f: number[] | undefined, account: Account, extra: Pick<EmailCampaign, "status" | "sentAt" | "updatedAt">): EmailCampaign {
  const [recipients = 0, delivered = 0, opens = 0, clicks = 0, bounces = 0, unsubscribes = 0, revenueMinor = 0] = f ?? [];
  return { providerId: id, name, kind, ...extra, recipients, delivered, opens, clicks, bounces, unsubscribes, revenueMinor, currency: account.currency || null };
}

function campaignRow(c: Resource<CampaignAttributes>, figures: Figures, account: Account, runAt: number): EmailCampaign {
  const a = c.attributes ?? {};
  const sent = a.status === "Sent" || a.status === "Sending";
  return row(c.id, a.name ?? c.id, "campaign", figures[c.id], account, {
    status: a.status ?? "unknown",
    sentAt: sent ? ms(a.send_time) : null,
    updatedAt: ms(a.updated_at) ?? runAt,
  });
}

function listingUrl(phase: string, since: number | null): string {
  const filters = ["equals(messages.channel,'email')"];
  if (since !== null && phase === "changed") filters.push(`greater-than(updated_at,${isoZ(since - OVERLAP_MS)})`);
  if (since !== null && phase === "recent") {
    filters.push(`greater-than(scheduled_at,${isoZ(since - RECENT_DAYS * DAY_MS)})`, `less-or-equal(updated_at,${isoZ(since - OVERLAP_MS)})`);
  }
  const q = new URLSearchParams({
    filter: filters.join(","),
    sort: "updated_at",
    "page[size]": "100",
    "fields[campaign]": "name,status,archived,send_time,scheduled_at,created_at,updated_at",
  });
  return `${API_BASE}/campaigns?${q}`;
}

export const campaignsStream: SyncStream = {
  name: "campaigns",
  async page(rt, { secrets, account, cursor, since }): Promise<StreamPage> {
    const runAt = typeof cursor?.runAt === "number" ? cursor.runAt : rt.now();
    const phase = str(cursor?.phase) ?? "report";
    if (phase === "report") {
      const { figures, next } = await valuesReport(rt, { secrets, account, kind: "campaign", runAt, url: str(cursor?.url), into: unpackFigures(cursor?.figures) });
      const stay: Cursor = next ? { phase: "report", url: next } : { phase: "changed" };
      return { batch: {}, next: { ...stay, runAt, figures: packFigures(figures) }, watermark: runAt };
    }
    const figures = unpackFigures(cursor?.figures);
    const { body } = await klaviyoGet<Collection<CampaignAttributes>>(rt, secrets, str(cursor?.url) ?? listingUrl(phase, since));
    const campaigns = expectCollection(body, "campaigns").data.map((c) => campaignRow(c, figures, account, runAt));
    const more = body.links?.next;
    let next: Cursor | null = null;
    if (more) next = { phase, url: more, runAt, figures: cursor?.figures ?? null };
    else if (phase === "changed" && since !== null) next = { phase: "recent", runAt, figures: cursor?.figures ?? null };
    return { batch: { campaigns }, next, watermark: runAt };
  },
};

/** Flows are few and always running: every run re-reads all of them with the last year's figures. */
export const flowsStream: SyncStream = {
  name: "flows",
  async page(rt, { secrets, account, cursor }): Promise<StreamPage> {
    const runAt = typeof cursor?.runAt === "number" ? cursor.runAt : rt.now();
    if ((str(cursor?.phase) ?? "report") === "report") {
      const { figures, next } = await valuesReport(rt, { secrets, account, kind: "flow", runAt, url: str(cursor?.url), into: unpackFigures(cursor?.figures) });
      return { batch: {}, next: { phase: next ? "report" : "list", url: next, runAt, figures: packFigures(figures) } };
    }
    const figures = unpackFigures(cursor?.figures);
    const url = str(cursor?.url) ?? `${API_BASE}/flows?sort=id&page[size]=50&fields[flow]=name,status,archived,created,updated,trigger_type`;
    const { body } = await klaviyoGet<Collection<FlowAttributes>>(rt, secrets, url);
    const flows = expectCollection(body, "flows").data.map((f) =>
      row(f.id, f.attributes?.name ?? f.id, "flow", figures[f.id], account, {
        status: f.attributes?.status ?? "unknown",
        sentAt: null,
        updatedAt: ms(f.attributes?.updated) ?? ms(f.attributes?.created) ?? runAt,
      }),
    );
    const more = body.links?.next;
    return { batch: { campaigns: flows }, next: more ? { phase: "list", url: more, runAt, figures: cursor?.figures ?? null } : null };
  },
};
