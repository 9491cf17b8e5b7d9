import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { mailchimp } from "../../worker/connectors/mailchimp";
import { OVERLAP_MS, RECENT_DAYS } from "../../worker/connectors/mailchimp/streams";
import type { EmailCampaign, OAuthFlow } from "../../worker/connectors/types";
import { authorizeSilently, injectFaults, rowsOf, sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";

const flow = mailchimp.auth.kind === "oauth2" ? mailchimp.auth.flow : (undefined as never as OAuthFlow);
const rt = sandboxRuntime();
const DAY_MS = 86_400_000;
let n = 0;
const userOf = (tag: string) => `mc-${tag}-${Date.now().toString(36)}-${++n}`;

type Report = { emailsSent: number; uniqueOpens: number; uniqueSubscriberClicks: number; hard: number; soft: number; unsubscribed: number; revenueMinor: number };
type Stats = {
  dc: string;
  userId: number;
  accountname: string;
  currency: string;
  lists: { id: string; name: string; memberCount: number }[];
  campaigns: { id: string; title: string; status: string; createTime: number; sendTime: number | null; report: Report | null }[];
  webhooks: { url: string; listId: string }[];
};
const stats = (user: string) => sandboxControl<Stats>(`mailchimp/stats?user=${user}`);

async function connect(tag: string, config: { pageCap?: number; latencyMs?: number } = {}) {
  const user = userOf(tag);
  if (Object.keys(config).length) await sandboxControl("mailchimp/config", { user, ...config });
  const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "st", account: {} }), { login_hint: user });
  const grant = await flow.exchange(rt, { code: back.code!, account: {}, query: back });
  return { user, grant, secrets: grant.secrets, account: grant.account! };
}

function expectCampaign(row: EmailCampaign, c: Stats["campaigns"][number], currency: string) {
  const r = c.report;
  const bounces = r ? r.hard + r.soft : 0;
  expect({ ...row }, c.title).toMatchObject({
    name: c.title,
    kind: "campaign",
    status: c.status,
    sentAt: c.sendTime === null ? null : Math.floor(c.sendTime / 1000) * 1000,
    recipients: r?.emailsSent ?? 0,
    delivered: r ? r.emailsSent - bounces : 0,
    opens: r?.uniqueOpens ?? 0,
    clicks: r?.uniqueSubscriberClicks ?? 0,
    bounces,
    unsubscribes: r?.unsubscribed ?? 0,
    revenueMinor: r?.revenueMinor ?? 0,
    currency: r ? currency : null,
  });
}

function expectAll(rows: EmailCampaign[], s: Stats) {
  expect(rows.map((c) => c.providerId).sort()).toEqual(s.campaigns.map((c) => c.id).sort());
  for (const c of s.campaigns) expectCampaign(rows.find((r) => r.providerId === c.id)!, c, s.currency);
}

describe("mailchimp: oauth", () => {
  it("authorizes at login.mailchimp.com and shows the consent page", async () => {
    const url = new URL(flow.authorizeUrl(rt, { state: "abc", account: {} }));
    expect(url.pathname).toBe("/mailchimp/login.mailchimp.com/oauth2/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: "code", client_id: "qweb-sandbox-client", redirect_uri: rt.app.redirectUri, state: "abc" });
    expect(flow.pkce).toBe(false);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Approve");
  });

  it("exchanges the code for a never-expiring token and learns the data center from the metadata", async () => {
    const { user, grant, account } = await connect("oauth");
    const s = await stats(user);
    expect(grant.expiresAt).toBeNull();
    expect(grant.scopes).toEqual([]);
    expect(grant.secrets.refreshToken).toBeUndefined();
    expect(account).toMatchObject({ dc: s.dc, accountId: String(s.userId) });
    expect(grant.label).toBe(s.accountname);
    expect(flow.refresh).toBeUndefined();
    expect(mailchimp.accountKey!(account, grant.label!)).toBe(`${s.dc}:${s.userId}`);
  });

  it("refuses a used or unknown code and never builds a host from a bad data center", async () => {
    const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "s", account: {} }), { login_hint: userOf("code") });
    await flow.exchange(rt, { code: back.code!, account: {}, query: back });
    const again = await flow.exchange(rt, { code: back.code!, account: {}, query: back }).catch((e) => e);
    expect(again).toBeInstanceOf(ProviderError);
    expect(again.kind).toBe("permanent");
    const { secrets } = await connect("dc");
    const bad = await mailchimp.streams[0]!.page(rt, { secrets, account: { dc: "evil.example/x?" }, cursor: null, since: null }).catch((e) => e);
    expect(bad.kind).toBe("permanent");
  });
});

describe("mailchimp: sync", () => {
  it("full sync: every audience with its member count, every campaign with its report figures", async () => {
    const { user, secrets, account } = await connect("full");
    const r = await syncAll(mailchimp, rt, { secrets, account });
    const s = await stats(user);
    expect(r.errors).toEqual([]);
    expect(r.duplicates).toBe(0);
    expect(rowsOf(r.store, "audiences").map((a) => [a.providerId, a.name, a.memberCount]).sort()).toEqual(s.lists.map((l) => [l.id, l.name, l.memberCount]).sort());
    expectAll(rowsOf(r.store, "campaigns"), s);
    expect(s.campaigns.some((c) => c.status !== "sent")).toBe(true);
  });

  it("incremental: campaigns created since the watermark, plus recent sends whose reports still grow", async () => {
    const { user, secrets, account } = await connect("incr");
    const full = await syncAll(mailchimp, rt, { secrets, account, streams: ["campaigns"] });
    const since = full.watermarks.campaigns!;
    const changed = await sandboxControl<{ created: string[]; bumped: string[] }>("mailchimp/mutate", { user, create: 2, bump: 2 });
    const incr = await syncAll(mailchimp, rt, { secrets, account, since, streams: ["campaigns"], store: full.store });
    const s = await stats(user);
    const expected = s.campaigns
      .filter((c) => c.createTime >= since - OVERLAP_MS || (c.sendTime !== null && c.sendTime >= since - RECENT_DAYS * DAY_MS))
      .map((c) => c.id);
    const received = incr.received.campaigns!.flatMap((b) => b.campaigns ?? []);
    expect(received.map((c) => c.providerId).sort()).toEqual(expected.sort());
    expect(received.map((c) => c.providerId)).toEqual(expect.arrayContaining(changed.created));
    expect(received.length).toBeLessThan(s.campaigns.length / 2);
    expect(incr.duplicates).toBe(0);
    for (const row of received) expectCampaign(row, s.campaigns.find((c) => c.id === row.providerId)!, s.currency);
    // Campaigns bumped but sent long ago wait for a full sync; the store holds the rest exactly.
    const stale = changed.bumped.filter((id) => !expected.includes(id));
    expectAll(rowsOf(incr.store, "campaigns").filter((c) => !stale.includes(c.providerId)), { ...s, campaigns: s.campaigns.filter((c) => !stale.includes(c.id)) });
  });

  it("pages with count/offset until total_items", async () => {
    const { user, secrets, account } = await connect("pages", { pageCap: 4 });
    const r = await syncAll(mailchimp, rt, { secrets, account });
    const s = await stats(user);
    expect(r.pages.campaigns).toBe(Math.ceil(s.campaigns.length / 4));
    expect(r.pages.lists).toBe(Math.ceil(s.lists.length / 4));
    expect(r.duplicates).toBe(0);
    expectAll(rowsOf(r.store, "campaigns"), s);
  });

  it("stays under Mailchimp's 10 simultaneous connections (the 11th gets a 429 without Retry-After)", async () => {
    const { user, secrets, account } = await connect("conns", { pageCap: 12, latencyMs: 150 });
    const s = await stats(user);
    const url = `${rt.sandboxUrl}/mailchimp/${s.dc}.api.mailchimp.com/3.0/ping`;
    const burst = await Promise.all(Array.from({ length: 12 }, () => fetch(url, { headers: { authorization: `Bearer ${secrets.accessToken}` } })));
    const refused = burst.filter((res) => res.status === 429);
    expect(refused.length).toBe(2);
    expect(refused[0]!.headers.get("retry-after")).toBeNull();
    expect(refused[0]!.headers.get("content-type")).toContain("application/problem+json");
    expect(((await refused[0]!.json()) as { detail: string }).detail).toContain("10 simultaneous connections");
    await Promise.all(burst.map((res) => res.text().catch(() => "")));
    const page = await mailchimp.streams[1]!.page(rt, { secrets, account, cursor: null, since: null });
    expect(page.batch.campaigns).toHaveLength(12);
  });
});

describe("mailchimp: errors", () => {
  async function faulted(kind: "429" | "500" | "malformed" | "timeout", timeoutMs = 5000) {
    const { user, secrets, account } = await connect(`fault-${kind}`, { pageCap: 10 });
    await injectFaults({ provider: "mailchimp", kind, match: "api.mailchimp.com/3.0/campaigns?count=", after: 1 });
    const r = await syncAll(mailchimp, sandboxRuntime({ timeoutMs }), { secrets, account, streams: ["campaigns"] });
    const s = await stats(user);
    expect(r.duplicates).toBe(0);
    expectAll(rowsOf(r.store, "campaigns"), s);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.cursor?.offset).toBe(10);
    return r;
  }

  it("429 (no Retry-After): rate-limited, left to the engine's jittered backoff, same cursor", async () => {
    const r = await faulted("429");
    expect(r.errors[0]).toMatchObject({ kind: "rate-limited", status: 429 });
    expect(r.errors[0]!.retryAfterMs).toBeUndefined();
  });

  it("500: transient, same cursor, exact rows", async () => {
    expect((await faulted("500")).errors[0]).toMatchObject({ kind: "transient", status: 500 });
  });

  it("malformed JSON: transient, same cursor, exact rows", async () => {
    expect((await faulted("malformed")).errors[0]!.kind).toBe("transient");
  });

  it("timeout: transient, same cursor, exact rows", async () => {
    expect((await faulted("timeout", 400)).errors[0]!.kind).toBe("transient");
  });

  it("a revoked token (401) cannot be refreshed: the sync stops as unauthorized", async () => {
    const { secrets, account } = await connect("revoked");
    await injectFaults({ provider: "mailchimp", kind: "token-expired", match: secrets.accessToken!, count: 3 });
    const err = await syncAll(mailchimp, rt, { secrets, account, streams: ["lists"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
    await sandboxControl("faults?provider=mailchimp", undefined, "DELETE");
  });
});

describe("mailchimp: webhooks", () => {
  const secret = "mc-webhook-secret-0123456789";
  type Delivery = { url: string; body: string; headers: Record<string, string> };
  const deliver = (user: string, mode: string, type?: string) => sandboxControl<Delivery>("mailchimp/webhook", { user, secret, mode, type });
  const input = (d: Delivery) => ({ rawBody: new TextEncoder().encode(d.body), headers: new Headers(d.headers), url: new URL(d.url) });
  const hex = async (s: string) => [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s)))].map((b) => b.toString(16).padStart(2, "0")).join("");

  it("verifies the secret in the URL and parses a form-encoded subscribe for its list", async () => {
    const { user } = await connect("hook");
    const s = await stats(user);
    const d = await deliver(user, "valid");
    expect(await mailchimp.webhook!.verify({ ...input(d), secret })).toBe(true);
    const event = (await mailchimp.webhook!.parse(input(d)))!;
    expect(event).toMatchObject({ topic: "subscribe", accountKey: s.lists[0]!.id, batch: {} });
    expect(event.eventId).toBe(`mc:${await hex(d.body)}`);
    const campaign = (await mailchimp.webhook!.parse(input(await deliver(user, "valid", "campaign"))))!;
    expect(campaign.topic).toBe("campaign");
  });

  it("rejects a wrong or missing secret; ignores bodies that are not Mailchimp events", async () => {
    const { user } = await connect("hookbad");
    const bad = await deliver(user, "bad-secret");
    expect(await mailchimp.webhook!.verify({ ...input(bad), secret })).toBe(false);
    const good = await deliver(user, "valid");
    expect(await mailchimp.webhook!.verify({ ...input(good), url: new URL("http://localhost:8787/api/webhooks/mailchimp/x"), secret })).toBe(false);
    expect(await mailchimp.webhook!.verify({ ...input(good), secret: "" })).toBe(false);
    expect(await mailchimp.webhook!.parse({ ...input(good), rawBody: new TextEncoder().encode("type=hack&data[list_id]=x") })).toBeNull();
    expect(await mailchimp.webhook!.parse({ ...input(good), rawBody: new TextEncoder().encode("type=subscribe") })).toBeNull();
  });

  it("a replayed delivery has the same event id; a new one does not", async () => {
    const { user } = await connect("hookreplay");
    const first = await deliver(user, "valid");
    const replay = await deliver(user, "replay");
    expect(await mailchimp.webhook!.verify({ ...input(replay), secret })).toBe(true);
    expect((await mailchimp.webhook!.parse(input(replay)))!.eventId).toBe((await mailchimp.webhook!.parse(input(first)))!.eventId);
    const other = await deliver(user, "valid");
    expect((await mailchimp.webhook!.parse(input(other)))!.eventId).not.toBe((await mailchimp.webhook!.parse(input(first)))!.eventId);
  });

  it("subscribe() registers the delivery URL with its secret on every list, once", async () => {
    const { user, secrets, account } = await connect("hooksub");
    const deliveryUrl = "http://localhost:8787/api/webhooks/mailchimp/int_123";
    await mailchimp.webhook!.subscribe!(rt, { secrets, account, deliveryUrl, secret });
    await mailchimp.webhook!.subscribe!(rt, { secrets, account, deliveryUrl, secret });
    const s = await stats(user);
    expect(s.webhooks.map((h) => h.listId).sort()).toEqual(s.lists.map((l) => l.id).sort());
    const registered = new URL(s.webhooks[0]!.url);
    expect(registered.searchParams.get("secret")).toBe(secret);
    expect(await mailchimp.webhook!.verify({ rawBody: new Uint8Array(), headers: new Headers(), url: registered, secret })).toBe(true);
  });
});
