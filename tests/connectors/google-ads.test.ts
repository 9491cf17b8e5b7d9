import { describe, expect, it } from "vitest";
import { googleAds } from "../../worker/connectors/google-ads";
import { listAccessibleCustomers, searchStream } from "../../worker/connectors/google-ads/api";
import { microsToMinor, windowStart } from "../../worker/connectors/google-ads/streams";
import { ProviderError } from "../../worker/connectors/http";
import type { Account, OAuthFlow } from "../../worker/connectors/types";
import { call, connectOAuth, drain, env, ownerWithWorkspace, rowsOf } from "../integrations/support";
import { authorizeSilently, injectFaults, rowsOf as storeRows, sandboxControl, sandboxRuntime, syncAll, type RowStore } from "../support/connectors";

const flow = googleAds.auth.kind === "oauth2" ? googleAds.auth.flow : (undefined as never as OAuthFlow);
const settings = { developerToken: "qweb-sandbox-developer-token", apiVersion: "v23" };
const rt = sandboxRuntime({ settings });
let n = 0;
const userOf = (tag: string) => `gads-${tag}-${Date.now().toString(36)}-${++n}@example.test`;

type Campaign = { id: string; name: string; status: string; budget: { id: string; amountMicros: number; shared: boolean } };
type Manager = { id: string; name: string; clients: { id: string; name: string; currency: string; campaigns: Campaign[] }[] };
type Stats = { rows: number; spendMinor: number; impressions: number; clicks: number; conversions: number; valueMinor: number; currency: string };

async function pkce() {
  const verifier = `v-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return { verifier, challenge: btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "") };
}

async function connect(user: string, input: Account = {}) {
  const { verifier, challenge } = await pkce();
  const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "g", codeChallenge: challenge, account: { ...input, loginHint: user } }));
  const grant = await flow.exchange(rt, { code: back.code!, codeVerifier: verifier, account: input, query: back });
  return { grant, secrets: grant.secrets, account: grant.account! };
}

const accounts = (user: string) => sandboxControl<Manager>(`google-ads/accounts?user=${encodeURIComponent(user)}`);
const stats = (user: string, customer: string, start: string) => sandboxControl<Stats>(`google-ads/stats?user=${encodeURIComponent(user)}&customer=${customer}&start=${start}`);

function expectExact(store: RowStore, s: Stats) {
  const rows = storeRows(store, "adInsights");
  expect(rows.length).toBe(s.rows);
  expect(rows.reduce((a, r) => a + r.spendMinor, 0), "spend in minor units").toBe(s.spendMinor);
  expect(rows.reduce((a, r) => a + r.impressions, 0)).toBe(s.impressions);
  expect(rows.reduce((a, r) => a + r.clicks, 0)).toBe(s.clicks);
  expect(Math.round(rows.reduce((a, r) => a + r.conversions, 0) * 100) / 100).toBe(s.conversions);
  expect(rows.reduce((a, r) => a + r.conversionValueMinor, 0)).toBe(s.valueMinor);
  expect(rows.every((r) => r.currency === s.currency && r.reach === null)).toBe(true);
}

describe("google-ads: oauth and accounts", () => {
  it("Google OAuth with the adwords scope; the client account is found behind the manager (login-customer-id)", async () => {
    const url = new URL(flow.authorizeUrl(rt, { state: "s", codeChallenge: "c", account: {} }));
    expect(url.pathname).toBe("/google-ads/accounts.google.com/o/oauth2/v2/auth");
    expect(url.searchParams.get("scope")).toBe("https://www.googleapis.com/auth/adwords");
    const user = userOf("oauth");
    const { grant, account } = await connect(user);
    const m = await accounts(user);
    expect(grant.secrets.refreshToken).toBeTruthy();
    expect(account).toMatchObject({ customerId: m.clients[0]!.id, loginCustomerId: m.id, currency: m.clients[0]!.currency });
    expect(googleAds.accountKey!(account, grant.label!)).toBe(`customers/${m.clients[0]!.id}`);
    expect(grant.label).toContain(m.clients[0]!.name);
    const last = m.clients.at(-1)!.id;
    expect((await connect(user, { customerId: last.replace(/^(\d{3})(\d{3})/, "$1-$2-") })).account.customerId).toBe(last);
    const err = await connect(user, { customerId: "111-111-1111" }).catch((e) => e);
    expect(err.kind).toBe("permanent");
  });

  it("without login-customer-id the client refuses (USER_PERMISSION_DENIED); a missing developer token is refused too", async () => {
    const user = userOf("mcc");
    const { secrets, account } = await connect(user);
    const denied = await searchStream(rt, secrets, account.customerId!, "SELECT customer.id FROM customer").catch((e) => e);
    expect(denied).toBeInstanceOf(ProviderError);
    expect(denied.kind).toBe("permanent");
    expect(denied.message).toContain("authorizationError.USER_PERMISSION_DENIED");
    const noToken = await listAccessibleCustomers(sandboxRuntime({ settings: { apiVersion: "v23", developerToken: "" } }), secrets).catch((e) => e);
    expect(noToken.message).toContain("DEVELOPER_TOKEN_INVALID");
  });

  it("the API version comes from the runtime settings (GOOGLE_ADS_API_VERSION)", async () => {
    const user = userOf("version");
    const { secrets } = await connect(user);
    await sandboxControl("requests", undefined, "DELETE");
    await listAccessibleCustomers(sandboxRuntime({ settings: { ...settings, apiVersion: "v22" } }), secrets);
    const { requests } = await sandboxControl<{ requests: { path: string }[] }>("requests?provider=google-ads");
    expect(requests.map((r) => r.path)).toContain("googleads.googleapis.com/v22/customers:listAccessibleCustomers");
  });
});

describe("google-ads: sync", () => {
  it("full sync: campaigns with budgets (shared ones flagged) and two years of daily metrics, exactly; micros → minor units", async () => {
    const user = userOf("full");
    const { secrets, account } = await connect(user);
    const runAt = Date.now();
    const r = await syncAll(googleAds, rt, { secrets, account });
    expect(r.errors).toEqual([]);
    expect(r.duplicates).toBe(0);
    const s = await stats(user, account.customerId!, windowStart(runAt, null));
    expectExact(r.store, s);
    const m = await accounts(user);
    const campaigns = storeRows(r.store, "adCampaigns");
    expect(campaigns.length).toBe(m.clients[0]!.campaigns.length);
    for (const c of m.clients[0]!.campaigns) {
      expect(campaigns.find((x) => x.providerId === c.id)).toMatchObject({
        name: c.name, status: c.status, channel: "google", sharedBudget: c.budget.shared, budgetId: c.budget.id,
        dailyBudgetMinor: microsToMinor(c.budget.amountMicros, s.currency),
      });
    }
    expect(campaigns.filter((c) => c.sharedBudget).length).toBe(2);
    expect(storeRows(r.store, "adAccounts")).toMatchObject([{ providerId: account.customerId, channel: "google", currency: s.currency }]);
  });

  it("micros round half up to minor units", () => {
    expect(microsToMinor("1234567", "USD")).toBe(123);
    expect(microsToMinor("1235000", "USD")).toBe(124);
    expect(microsToMinor("1234999", "USD")).toBe(123);
    expect(microsToMinor("2500000", "JPY")).toBe(3);
    expect(microsToMinor(undefined, "USD")).toBe(0);
  });

  it("incremental sync re-reads only the settling days and changes nothing", async () => {
    const user = userOf("incr");
    const { secrets, account } = await connect(user);
    const full = await syncAll(googleAds, rt, { secrets, account });
    const size = full.store.adInsights.size;
    const incr = await syncAll(googleAds, rt, { secrets, account, since: full.watermarks, store: full.store });
    expect(incr.pages.campaign_daily).toBe(1);
    const dates = new Set(incr.received.campaign_daily!.flatMap((b) => b.adInsights ?? []).map((i) => i.date));
    expect(dates.size).toBeLessThanOrEqual(4);
    expect(incr.store.adInsights.size).toBe(size);
  });

  it("QuotaError RESOURCE_EXHAUSTED: the retryDelay is honoured; after 500s and a timeout the rows are exact", async () => {
    const user = userOf("faults");
    const { secrets, account } = await connect(user);
    await injectFaults([
      { provider: "google-ads", kind: "429", match: "searchStream", after: 3, retryAfter: 7 },
      { provider: "google-ads", kind: "500", match: "searchStream", after: 5 },
      { provider: "google-ads", kind: "timeout", match: "searchStream", after: 6 },
    ]);
    const runAt = Date.now();
    const r = await syncAll(googleAds, rt, { secrets, account, maxWaitMs: 20 });
    expect(r.errors.map((e) => e.kind)).toEqual(["rate-limited", "transient", "transient"]);
    expect(r.errors[0]).toMatchObject({ status: 429, retryAfterMs: 7000 });
    expectExact(r.store, await stats(user, account.customerId!, windowStart(runAt, null)));
  });

  it("through the engine: connect via the API, the daily rows land in ad_insights_daily exactly", async () => {
    const { t, ws } = await ownerWithWorkspace("Ads Client");
    const user = userOf("engine");
    const runAt = Date.now();
    const i = await connectOAuth(t, ws.id, "google-ads", {}, { login_hint: user });
    await drain(ws.id);
    const s = await stats(user, i.account.customerId!, windowStart(runAt, null));
    expect(await rowsOf("ad_insights_daily", i.id)).toBe(s.rows);
    const sum = await env.DB.prepare("SELECT SUM(spend_minor) AS s FROM ad_insights_daily WHERE integration_id = ?").bind(i.id).first<{ s: number }>();
    expect(sum!.s).toBe(s.spendMinor);
    expect(await rowsOf("ad_campaigns", i.id)).toBe((await accounts(user)).clients[0]!.campaigns.length);
    expect((await call("GET", `/api/integrations/${i.id}`, { token: t.token })).json).toMatchObject({ status: "active", reconnectBy: null });
  });
});
