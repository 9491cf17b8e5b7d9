import { describe, expect, it } from "vitest";
import { ProviderError } from "../../worker/connectors/http";
import { klaviyo } from "../../worker/connectors/klaviyo";
import { API_BASE, klaviyoGet } from "../../worker/connectors/klaviyo/api";
import { OVERLAP_MS, RECENT_DAYS } from "../../worker/connectors/klaviyo/campaigns";
import type { ApiKeyFlow, Audience, EmailCampaign } from "../../worker/connectors/types";
import { injectFaults, rowsOf, sandboxControl, sandboxRuntime, syncAll } from "../support/connectors";

const flow = klaviyo.auth.kind === "api-key" ? klaviyo.auth.flow : (undefined as never as ApiKeyFlow);
const rt = sandboxRuntime();
const DAY_MS = 86_400_000;
let n = 0;
const keyOf = (tag: string) => `pk_sandbox_${tag}_${Date.now().toString(36)}${++n}`;

type Figures = { recipients: number; delivered: number; opensUnique: number; clicksUnique: number; bounced: number; unsubscribes: number; revenueMinor: number };
type Stats = {
  accountId: string;
  organization: string;
  currency: string;
  placedOrderMetricId: string;
  lists: { id: string; name: string; profileCount: number }[];
  campaigns: { id: string; name: string; channel: string; status: string; sendTime: number | null; scheduledAt: number | null; updatedAt: number; stats: Figures | null }[];
  flows: { id: string; name: string; status: string; stats: Figures }[];
};

const stats = (key: string) => sandboxControl<Stats>(`klaviyo/stats?key=${key}`);

/** A verified connection; `relaxed` lifts the sandbox limits 100× (same headers and 429 shape). */
async function connect(tag: string, opts: { relaxed?: boolean; pageCap?: number } = {}) {
  const key = keyOf(tag);
  if (opts.relaxed ?? true) await sandboxControl("klaviyo/config", { key, relaxed: true, ...(opts.pageCap ? { pageCap: opts.pageCap } : {}) });
  const { account, label } = await flow.verify(rt, { secrets: { apiKey: key }, account: {} });
  return { key, secrets: { apiKey: key }, account, label };
}

/** What a synced campaign/flow row must say, from the sandbox's own figures. */
function expectFigures(row: EmailCampaign, f: Figures | null, currency: string) {
  const want = f ?? { recipients: 0, delivered: 0, opensUnique: 0, clicksUnique: 0, bounced: 0, unsubscribes: 0, revenueMinor: 0 };
  expect({ ...row }, row.name).toMatchObject({
    recipients: want.recipients,
    delivered: want.delivered,
    opens: want.opensUnique,
    clicks: want.clicksUnique,
    bounces: want.bounced,
    unsubscribes: want.unsubscribes,
    revenueMinor: want.revenueMinor,
    currency,
  });
}

function expectLists(audiences: Audience[], s: Stats) {
  expect(audiences.map((a) => [a.providerId, a.name, a.memberCount, a.kind]).sort()).toEqual(s.lists.map((l) => [l.id, l.name, l.profileCount, "list"]).sort());
}

/** Every email campaign (not SMS) and every flow, with the figures of the year's report. */
function expectCampaigns(rows: EmailCampaign[], s: Stats, now: number, opts: { flows?: boolean } = {}) {
  const email = s.campaigns.filter((c) => c.channel === "email");
  const campaigns = rows.filter((c) => c.kind === "campaign");
  expect(campaigns.map((c) => c.providerId).sort()).toEqual(email.map((c) => c.id).sort());
  for (const c of email) {
    const row = campaigns.find((x) => x.providerId === c.id)!;
    expect(row.name).toBe(c.name);
    expect(row.status).toBe(c.status);
    expect(row.updatedAt).toBe(Math.floor(c.updatedAt / 1000) * 1000);
    expect(row.sentAt).toBe(c.status === "Sent" ? Math.floor(c.sendTime! / 1000) * 1000 : null);
    const inReport = c.stats && c.sendTime !== null && c.sendTime >= now - 365 * DAY_MS;
    expectFigures(row, inReport ? c.stats : null, s.currency);
  }
  if (opts.flows === false) return;
  const flows = rows.filter((c) => c.kind === "flow");
  expect(flows.map((f) => f.providerId).sort()).toEqual(s.flows.map((f) => f.id).sort());
  for (const f of s.flows) expectFigures(flows.find((x) => x.providerId === f.id)!, f.stats, s.currency);
}

async function requestCount(pathPart: string) {
  const { requests } = await sandboxControl<{ requests: { path: string }[] }>("requests?provider=klaviyo");
  return requests.filter((r) => r.path.includes(pathPart)).length;
}

describe("klaviyo: api key", () => {
  it("verifies a private key with real calls and records the account, currency and Placed Order metric", async () => {
    const { key, account, label } = await connect("verify");
    const s = await stats(key);
    expect(account).toMatchObject({ accountId: s.accountId, currency: s.currency, conversionMetricId: s.placedOrderMetricId });
    expect(label).toBe(s.organization);
    expect(klaviyo.accountKey!(account, label)).toBe(s.accountId);
  });

  it("refuses a key Klaviyo rejects (401) and a public key without calling", async () => {
    const err = await flow.verify(rt, { secrets: { apiKey: "pk_live_0123456789abcdef" }, account: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
    expect(err.opts.status).toBe(401);
    const before = await requestCount("/api/accounts");
    const pub = await flow.verify(rt, { secrets: { apiKey: "AbC123" }, account: {} }).catch((e) => e);
    expect(pub.kind).toBe("unauthorized");
    expect(await requestCount("/api/accounts")).toBe(before);
  });

  it("sends the pinned revision: without it Klaviyo answers a JSON:API 400", async () => {
    const { key } = await connect("revision");
    const res = await fetch(`${rt.sandboxUrl}/klaviyo/a.klaviyo.com/api/accounts`, { headers: { authorization: `Klaviyo-API-Key ${key}` } });
    const body = (await res.json()) as { errors: { code: string; title: string; detail: string; id: string }[] };
    expect(res.status).toBe(400);
    expect(body.errors[0]).toMatchObject({ code: "invalid" });
    expect(body.errors[0]!.id).toBeTruthy();
  });
});

describe("klaviyo: sync", () => {
  it("full sync: every list with its member count, every email campaign and flow with exact figures, one report each", async () => {
    const { key, secrets, account } = await connect("full");
    const reportsBefore = await requestCount("values-reports");
    const runAt = Date.now();
    const r = await syncAll(klaviyo, rt, { secrets, account });
    const s = await stats(key);
    expect(r.errors).toEqual([]);
    expect(r.duplicates).toBe(0);
    expectLists(rowsOf(r.store, "audiences"), s);
    expectCampaigns(rowsOf(r.store, "campaigns"), s, runAt);
    expect(await requestCount("values-reports")).toBe(reportsBefore + 2);
    expect(s.campaigns.some((c) => c.channel === "sms")).toBe(true); // filtered out by the channel filter
    expect(r.watermarks.campaigns).toBeGreaterThanOrEqual(runAt);
  });

  it("incremental: exactly the campaigns updated or created since the watermark, plus recent sends whose figures still move", async () => {
    const { key, secrets, account } = await connect("incr");
    const full = await syncAll(klaviyo, rt, { secrets, account, streams: ["campaigns"] });
    const since = full.watermarks.campaigns!;
    await new Promise((r) => setTimeout(r, 5));
    const changed = await sandboxControl<{ updated: string[]; created: string[] }>("klaviyo/mutate", { key, update: 3, create: 2 });
    const incr = await syncAll(klaviyo, rt, { secrets, account, since, streams: ["campaigns"], store: full.store });
    const s = await stats(key);
    const boundary = since - OVERLAP_MS;
    const expected = s.campaigns
      .filter((c) => c.channel === "email")
      .filter((c) => c.updatedAt > boundary || (c.scheduledAt !== null && c.scheduledAt > since - RECENT_DAYS * DAY_MS))
      .map((c) => c.id);
    const received = incr.received.campaigns!.flatMap((b) => b.campaigns ?? []);
    expect(received.map((c) => c.providerId).sort()).toEqual(expected.sort());
    expect(received.map((c) => c.providerId)).toEqual(expect.arrayContaining([...changed.updated, ...changed.created]));
    expect(received.length).toBeLessThan(s.campaigns.length / 2);
    expect(incr.duplicates).toBe(0);
    for (const id of [...changed.updated, ...changed.created]) {
      const want = s.campaigns.find((c) => c.id === id)!;
      const got = received.find((c) => c.providerId === id)!;
      expect(got.name).toBe(want.name);
      expectFigures(got, want.stats, s.currency);
    }
    expectCampaigns(rowsOf(incr.store, "campaigns"), s, Date.now(), { flows: false });
  });

  it("follows links.next across several pages of lists, campaigns and flows", async () => {
    const { key, secrets, account } = await connect("pages", { pageCap: 3 });
    const r = await syncAll(klaviyo, rt, { secrets, account });
    const s = await stats(key);
    const email = s.campaigns.filter((c) => c.channel === "email").length;
    // report page + listing pages; lists: one listing page per 3 lists + one count page per list.
    expect(r.pages.campaigns).toBe(1 + Math.ceil(email / 3));
    expect(r.pages.flows).toBe(1 + Math.ceil(s.flows.length / 3));
    expect(r.pages.lists).toBe(Math.ceil(s.lists.length / 3) + s.lists.length);
    expect(r.duplicates).toBe(0);
    expectLists(rowsOf(r.store, "audiences"), s);
    expectCampaigns(rowsOf(r.store, "campaigns"), s, Date.now());
  });

  it("paces profile_count (1/s) by the RateLimit headers instead of hitting 429s", async () => {
    let key = "";
    for (let i = 0; i < 50 && !key; i++) {
      const candidate = `pk_sandbox_pacing_${i}_${Date.now().toString(36)}`;
      if ((await stats(candidate)).lists.length <= 4) key = candidate;
    }
    const { account } = await flow.verify(rt, { secrets: { apiKey: key }, account: {} });
    const started = Date.now();
    const r = await syncAll(klaviyo, rt, { secrets: { apiKey: key }, account, streams: ["lists"] });
    const s = await stats(key);
    expect(r.errors).toEqual([]);
    expect(rowsOf(r.store, "audiences").length).toBe(s.lists.length);
    expect(Date.now() - started).toBeGreaterThanOrEqual((s.lists.length - 1) * 900);
  });

  it("the reporting API's 1/s burst and 2/min steady limits answer 429 with Retry-After; the sync waits and finishes exactly", async () => {
    const key = keyOf("reports");
    const { account } = await flow.verify(rt, { secrets: { apiKey: key }, account: {} });
    const secrets = { apiKey: key };
    const first = await syncAll(klaviyo, rt, { secrets, account, streams: ["campaigns"] });
    const second = await syncAll(klaviyo, rt, { secrets, account, streams: ["campaigns"] });
    expect(first.errors).toEqual([]);
    expect(second.errors[0]).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 1000 });
    expect(rowsOf(second.store, "campaigns").length).toBe(rowsOf(first.store, "campaigns").length);
    // A third report within the minute: the steady window is spent until it resets.
    const err = await klaviyo.streams[1]!.page(rt, { secrets, account, cursor: null, since: null }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("rate-limited");
    expect(err.opts.retryAfterMs).toBeGreaterThan(30_000);
  });
});

describe("klaviyo: errors", () => {
  async function faulted(kind: "429" | "500" | "malformed" | "timeout", timeoutMs = 5000) {
    const { key, secrets, account } = await connect(`fault-${kind}`, { pageCap: 10 });
    // Requests of this key: report, listing page 1, listing page 2 ← the fault.
    await injectFaults({ provider: "klaviyo", kind, match: key, after: 2, retryAfter: 1 });
    const r = await syncAll(klaviyo, sandboxRuntime({ timeoutMs }), { secrets, account, streams: ["campaigns"] });
    const s = await stats(key);
    const campaigns = rowsOf(r.store, "campaigns");
    expect(r.duplicates).toBe(0);
    expect(campaigns.map((c) => c.providerId).sort()).toEqual(s.campaigns.filter((c) => c.channel === "email").map((c) => c.id).sort());
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.cursor?.phase).toBe("changed");
    expect(String(r.errors[0]!.cursor?.url)).toContain("page%5Bcursor%5D");
    return r;
  }

  it("429 throttled with Retry-After: waits and retries the same cursor", async () => {
    const r = await faulted("429");
    expect(r.errors[0]).toMatchObject({ kind: "rate-limited", retryAfterMs: 1000 });
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

  it("a revoked key (401) is unauthorized and an API key cannot be refreshed: the sync stops", async () => {
    const { key, secrets, account } = await connect("revoked");
    await injectFaults({ provider: "klaviyo", kind: "token-expired", match: key, count: 5 });
    const err = await syncAll(klaviyo, rt, { secrets, account, streams: ["lists"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
    await sandboxControl(`faults?provider=klaviyo`, undefined, "DELETE");
  });

  it("a JSON:API 400 (campaigns without the required channel filter) is permanent", async () => {
    const { secrets } = await connect("badreq");
    const err = await klaviyoGet(rt, secrets, `${API_BASE}/campaigns`).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("permanent");
    expect(err.message).toContain("channel filter is required");
  });
});

describe("klaviyo: webhooks", () => {
  const secret = "whsec-klaviyo-0123456789abcdef";
  type Delivery = { headers: Record<string, string>; body: string };
  const deliver = (key: string, mode: string) => sandboxControl<Delivery>("klaviyo/webhook", { key, secret, mode });
  const asInput = (d: Delivery) => ({ rawBody: new TextEncoder().encode(d.body), headers: new Headers(d.headers), url: new URL("http://localhost:8787/api/webhooks/klaviyo/int1") });

  it("verifies a correctly signed delivery and parses it to one event of the account", async () => {
    const { key, account } = await connect("hook");
    const d = await deliver(key, "valid");
    expect(await klaviyo.webhook!.verify({ ...asInput(d), secret })).toBe(true);
    const event = (await klaviyo.webhook!.parse(asInput(d)))!;
    expect(event.accountKey).toBe(account.accountId);
    expect(event.topic).toBe("event:klaviyo.opened_email");
    expect(event.eventId).toContain(d.headers["klaviyo-webhook-id"]!);
  });

  it("rejects a bad signature, a wrong secret, a tampered body and a tampered timestamp", async () => {
    const { key } = await connect("hookbad");
    const bad = await deliver(key, "bad-signature");
    expect(await klaviyo.webhook!.verify({ ...asInput(bad), secret })).toBe(false);
    const good = await deliver(key, "valid");
    expect(await klaviyo.webhook!.verify({ ...asInput(good), secret: "another-secret-0000" })).toBe(false);
    expect(await klaviyo.webhook!.verify({ ...asInput({ ...good, body: good.body.replace("opened", "clicked") }), secret })).toBe(false);
    const ts = { ...good, headers: { ...good.headers, "klaviyo-timestamp": String(Number(good.headers["klaviyo-timestamp"]) + 1) } };
    expect(await klaviyo.webhook!.verify({ ...asInput(ts), secret })).toBe(false);
    expect(await klaviyo.webhook!.verify({ ...asInput({ ...good, headers: {} }), secret })).toBe(false);
  });

  it("a replayed delivery verifies but parses to the same event id (the engine ignores it)", async () => {
    const { key } = await connect("hookreplay");
    const first = await deliver(key, "valid");
    const replay = await deliver(key, "replay");
    expect(replay.body).toBe(first.body);
    expect(await klaviyo.webhook!.verify({ ...asInput(replay), secret })).toBe(true);
    expect((await klaviyo.webhook!.parse(asInput(replay)))!.eventId).toBe((await klaviyo.webhook!.parse(asInput(first)))!.eventId);
    const other = await deliver(key, "valid");
    expect((await klaviyo.webhook!.parse(asInput(other)))!.eventId).not.toBe((await klaviyo.webhook!.parse(asInput(first)))!.eventId);
    // A body naming another webhook than its header is not processed.
    expect((await klaviyo.webhook!.parse({ ...asInput(first), headers: new Headers({ ...first.headers, "klaviyo-webhook-id": "01OTHER" }) }))).toBeNull();
  });
});
