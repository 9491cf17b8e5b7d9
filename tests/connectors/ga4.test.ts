import { describe, expect, it } from "vitest";
import { ga4 } from "../../worker/connectors/ga4";
import { windowStart } from "../../worker/connectors/ga4/report";
import { ProviderError } from "../../worker/connectors/http";
import type { Account, OAuthFlow, Secrets } from "../../worker/connectors/types";
import { authorizeSilently, injectFaults, rowsOf, sandboxControl, sandboxRuntime, syncAll, type RowStore } from "../support/connectors";

const flow = ga4.auth.kind === "oauth2" ? ga4.auth.flow : (undefined as never as OAuthFlow);
const rt = sandboxRuntime();
let n = 0;
const userOf = (tag: string) => `ga4-${tag}-${Date.now().toString(36)}-${++n}@example.test`;

type Report = { rows: number; sessions: number; totalUsers: number; newUsers: number; keyEvents: number; revenueMinor: number };
type Stats = { currencyCode: string; firstDate: string; lastDate: string; reports: Record<"total" | "channel" | "landing_page", Report> };

async function pkce() {
  const verifier = `v-${crypto.randomUUID()}-${crypto.randomUUID()}`;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return { verifier, challenge };
}

/** Authorizes (prompt=none) and exchanges the code, as the connect route does. */
async function connect(user: string, input: Account = {}) {
  const { verifier, challenge } = await pkce();
  const url = flow.authorizeUrl(rt, { state: "st-1", codeChallenge: challenge, account: { ...input, loginHint: user } });
  const back = await authorizeSilently(url);
  expect(back.state).toBe("st-1");
  const grant = await flow.exchange(rt, { code: back.code!, codeVerifier: verifier, account: input, query: back });
  return { grant, secrets: grant.secrets, account: grant.account! };
}

const stats = (account: Account, start: string, end = "2999-12-31") =>
  sandboxControl<Stats>(`ga4/stats?property=${account.propertyId}&start=${start}&end=${end}`);

const sum = (store: RowStore, dimension: string, metric: string) =>
  rowsOf(store, "metrics").filter((m) => m.dimension === dimension && m.metric === metric).reduce((a, m) => a + m.value, 0);

/** The store holds exactly what the sandbox serves for the window: row counts and exact sums. */
function expectExact(store: RowStore, s: Stats) {
  const dims: [string, keyof Stats["reports"]][] = [["", "total"], ["channel", "channel"], ["landing_page", "landing_page"]];
  for (const [dimension, report] of dims) {
    const r = s.reports[report];
    const rows = rowsOf(store, "metrics").filter((m) => m.dimension === dimension);
    expect(rows.length, `${report} metric rows`).toBe(r.rows * 5);
    expect(sum(store, dimension, "sessions")).toBe(r.sessions);
    expect(sum(store, dimension, "users")).toBe(r.totalUsers);
    expect(sum(store, dimension, "new_users")).toBe(r.newUsers);
    expect(sum(store, dimension, "conversions")).toBe(r.keyEvents);
    expect(sum(store, dimension, "revenue"), `${report} revenue (minor units)`).toBe(r.revenueMinor);
  }
}

describe("ga4: oauth", () => {
  it("builds a Google authorize URL with offline access, PKCE S256 and the analytics scope; the consent page offers Approve/Deny", async () => {
    const url = new URL(flow.authorizeUrl(rt, { state: "s", codeChallenge: "abc", account: {} }));
    expect(url.pathname).toBe("/ga4/accounts.google.com/o/oauth2/v2/auth");
    const q = url.searchParams;
    expect(q.get("client_id")).toBe("qweb-sandbox-client");
    expect(q.get("redirect_uri")).toBe(rt.app.redirectUri);
    expect(q.get("scope")).toBe("https://www.googleapis.com/auth/analytics.readonly");
    expect(q.get("access_type")).toBe("offline");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("state")).toBe("s");
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Approve");
    expect(html).toContain("Deny");
    // The browser posts the form back: Approve redirects with a code, Deny with access_denied.
    const form = (decision: string) => {
      const body = new URLSearchParams(q);
      body.set("decision", decision);
      return fetch(url.origin + url.pathname, { method: "POST", body, redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" } });
    };
    const approved = new URL((await form("approve")).headers.get("location")!);
    expect(approved.origin + approved.pathname).toBe(rt.app.redirectUri);
    expect(approved.searchParams.get("code")).toBeTruthy();
    expect(approved.searchParams.get("state")).toBe("s");
    const denied = new URL((await form("deny")).headers.get("location")!);
    expect(denied.searchParams.get("error")).toBe("access_denied");
  });

  it("exchanges the code, keeps a refresh token and picks the first property with its currency", async () => {
    const user = userOf("oauth");
    const before = Date.now();
    const { grant, account } = await connect(user);
    const { properties } = await sandboxControl<{ properties: { id: string; displayName: string; currencyCode: string }[] }>(`ga4/properties?user=${encodeURIComponent(user)}`);
    expect(grant.secrets.accessToken).toMatch(/^ya29\./);
    expect(grant.secrets.refreshToken).toBeTruthy();
    expect(grant.expiresAt! - before).toBeGreaterThan(3500_000);
    expect(grant.expiresAt! - Date.now()).toBeLessThanOrEqual(3599_000);
    expect(grant.scopes).toEqual(["https://www.googleapis.com/auth/analytics.readonly"]);
    expect(account.propertyId).toBe(properties[0]!.id);
    expect(grant.label).toBe(properties[0]!.displayName);
    expect(account.currencyCode).toBe(properties[0]!.currencyCode);
    expect(ga4.accountKey!(account, grant.label!)).toBe(`properties/${properties[0]!.id}`);
  });

  it("honours a propertyId input and refuses a property the Google user cannot read", async () => {
    const user = userOf("pick");
    const { properties } = await sandboxControl<{ properties: { id: string }[] }>(`ga4/properties?user=${encodeURIComponent(user)}`);
    const last = properties.at(-1)!.id;
    const { account } = await connect(user, { propertyId: `properties/${last}` });
    expect(account.propertyId).toBe(last);
    const err = await connect(user, { propertyId: "999999999" }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("permanent");
  });

  it("rejects a code redeemed with the wrong PKCE verifier", async () => {
    const { challenge } = await pkce();
    const url = flow.authorizeUrl(rt, { state: "x", codeChallenge: challenge, account: { loginHint: userOf("pkce") } });
    const back = await authorizeSilently(url);
    const err = await flow.exchange(rt, { code: back.code!, codeVerifier: "not-the-verifier", account: {}, query: back }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
  });

  it("refreshes: a new access token, the same refresh token; a bad refresh token is unauthorized (needs reconnect)", async () => {
    const { secrets, account } = await connect(userOf("refresh"));
    const fresh = await flow.refresh!(rt, { secrets, account });
    expect(fresh.secrets.accessToken).not.toBe(secrets.accessToken);
    expect(fresh.secrets.refreshToken).toBe(secrets.refreshToken);
    expect(fresh.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    const r = await syncAll(ga4, rt, { secrets: fresh.secrets, account, streams: ["daily_totals"] });
    expect(rowsOf(r.store, "metrics").length).toBeGreaterThan(0);

    const err = await flow.refresh!(rt, { secrets: { ...secrets, refreshToken: "1//bogus" }, account }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
  });

  it("revokes the grant: the refresh token and its access tokens stop working", async () => {
    const { secrets, account } = await connect(userOf("revoke"));
    await flow.revoke!(rt, { secrets, account });
    const refresh = await flow.refresh!(rt, { secrets, account }).catch((e) => e);
    expect(refresh.kind).toBe("unauthorized");
    const page = await ga4.streams[0]!.page(rt, { secrets, account, cursor: null, since: null }).catch((e) => e);
    expect(page.kind).toBe("unauthorized");
    await flow.revoke!(rt, { secrets, account }); // revoking twice is harmless
  });
});

describe("ga4: sync", () => {
  it("full sync brings a year of daily rows (totals, channels, landing pages) exactly, revenue in minor units", async () => {
    const { secrets, account } = await connect(userOf("full"));
    const runAt = Date.now();
    const r = await syncAll(ga4, rt, { secrets, account });
    const s = await stats(account, windowStart(runAt, null));
    expect(r.duplicates).toBe(0);
    expect(r.errors).toEqual([]);
    expect(s.reports.total.rows).toBe(365);
    expectExact(r.store, s);
    const metrics = rowsOf(r.store, "metrics");
    expect(metrics.every((m) => /^\d{4}-\d{2}-\d{2}$/.test(m.date))).toBe(true);
    expect(metrics.filter((m) => m.metric === "revenue").every((m) => m.currency === s.currencyCode && Number.isInteger(m.value))).toBe(true);
    expect(metrics.filter((m) => m.metric !== "revenue").every((m) => m.currency === undefined)).toBe(true);
    expect(new Set(metrics.filter((m) => m.dimension === "channel").map((m) => m.dimensionValue))).toContain("Organic Search");
    expect(metrics.some((m) => m.dimension === "landing_page" && m.dimensionValue === "/")).toBe(true);
    const dates = metrics.filter((m) => m.dimension === "").map((m) => m.date).sort();
    expect(dates[0]).toBe(`${s.firstDate.slice(0, 4)}-${s.firstDate.slice(4, 6)}-${s.firstDate.slice(6)}`);
    for (const name of ga4.streams.map((x) => x.name)) expect(r.watermarks[name]).toBeGreaterThanOrEqual(runAt);
  });

  it("incremental sync re-fetches only the last 3 settling days and picks up their late revisions", async () => {
    const { secrets, account } = await connect(userOf("incr"));
    const full = await syncAll(ga4, rt, { secrets, account });
    const since = full.watermarks.daily_totals!;
    const settled = await sandboxControl<{ dates: string[] }>("ga4/settle", { property: account.propertyId, days: 2 });
    const incr = await syncAll(ga4, rt, { secrets, account, since: full.watermarks, store: full.store });
    const start = windowStart(Date.now(), since);
    const windowStats = await stats(account, start);
    // Only the window's rows travelled; all of them, and none twice.
    const received = Object.values(incr.received).flat().flatMap((b) => b.metrics ?? []);
    const counts = windowStats.reports;
    expect(received.length).toBe((counts.total.rows + counts.channel.rows + counts.landing_page.rows) * 5);
    expect(received.every((m) => m.date >= start)).toBe(true);
    expect(incr.duplicates).toBe(0);
    expect(windowStats.reports.total.rows).toBe(3);
    // The upserted store now equals the provider's whole (revised) year.
    expectExact(incr.store, await stats(account, windowStart(Date.now(), null)));
    expect(received.some((m) => m.date === settled.dates[0] && m.metric === "sessions")).toBe(true);
  });

  it("pages through a report with limit/offset until rowCount when the provider returns short pages", async () => {
    const { secrets, account } = await connect(userOf("pages"));
    await sandboxControl("ga4/config", { property: account.propertyId, maxRows: 700 });
    const r = await syncAll(ga4, rt, { secrets, account });
    const s = await stats(account, windowStart(Date.now(), null));
    expect(r.pages.daily_totals).toBe(1);
    expect(r.pages.daily_by_channel).toBe(Math.ceil(s.reports.channel.rows / 700));
    expect(r.pages.daily_by_landing_page).toBe(Math.ceil(s.reports.landing_page.rows / 700));
    expect(r.pages.daily_by_landing_page).toBeGreaterThan(3);
    expect(r.duplicates).toBe(0);
    expectExact(r.store, s);
  });
});

describe("ga4: errors", () => {
  /** Connects, caps pages so a run has several, and injects `kind` on the 3rd runReport page. */
  async function faultedSync(kind: "429" | "500" | "malformed" | "timeout" | "token-expired", opts: { timeoutMs?: number } = {}) {
    const { secrets, account } = await connect(userOf(`fault-${kind}`));
    await sandboxControl("ga4/config", { property: account.propertyId, maxRows: 900 });
    await injectFaults({ provider: "ga4", kind, match: `properties/${account.propertyId}:runReport`, after: 2, retryAfter: 1 });
    const r = await syncAll(ga4, sandboxRuntime({ timeoutMs: opts.timeoutMs ?? 5000 }), { secrets, account, streams: ["daily_by_channel"] });
    const s = await stats(account, windowStart(Date.now(), null));
    const rows = rowsOf(r.store, "metrics");
    expect(r.duplicates).toBe(0);
    expect(rows.length).toBe(s.reports.channel.rows * 5);
    expect(sum(r.store, "channel", "sessions")).toBe(s.reports.channel.sessions);
    expect(sum(r.store, "channel", "revenue")).toBe(s.reports.channel.revenueMinor);
    expect(r.errors).toHaveLength(1);
    // The failed page was retried with the very same cursor (offset 1800 = the 3rd page).
    expect(r.errors[0]!.cursor?.offset).toBe(1800);
    return r;
  }

  it("429 RESOURCE_EXHAUSTED with Retry-After: rate-limited, waits, same cursor, exact rows", async () => {
    const r = await faultedSync("429");
    expect(r.errors[0]).toMatchObject({ kind: "rate-limited", status: 429, retryAfterMs: 1000 });
  });

  it("500: transient, retried, exact rows", async () => {
    const r = await faultedSync("500");
    expect(r.errors[0]).toMatchObject({ kind: "transient", status: 500 });
  });

  it("malformed JSON: transient, retried, exact rows", async () => {
    const r = await faultedSync("malformed");
    expect(r.errors[0]!.kind).toBe("transient");
  });

  it("timeout (short rt.timeoutMs): transient, retried, exact rows", async () => {
    const r = await faultedSync("timeout", { timeoutMs: 400 });
    expect(r.errors[0]!.kind).toBe("transient");
  });

  it("expired access token mid-run: unauthorized → refresh → exact rows", async () => {
    const r = await faultedSync("token-expired");
    expect(r.errors[0]).toMatchObject({ kind: "unauthorized", status: 401 });
    expect(r.refreshes).toBe(1);
  });

  it("an access token past its expires_in is refused and the driver refreshes it", async () => {
    const user = userOf("expiry");
    const { secrets, account } = await connect(user);
    await sandboxControl("google/expire", { user });
    const r = await syncAll(ga4, rt, { secrets, account, streams: ["daily_totals"] });
    expect(r.refreshes).toBe(1);
    expect(r.secrets.accessToken).not.toBe(secrets.accessToken);
    expect(r.secrets.refreshToken).toBe(secrets.refreshToken);
    expect(rowsOf(r.store, "metrics").length).toBe((await stats(account, windowStart(Date.now(), null))).reports.total.rows * 5);
  });

  it("a property this token cannot read is permanent, not retried", async () => {
    const { secrets } = await connect(userOf("foreign"));
    const other = await connect(userOf("other"));
    const err = await ga4.streams[0]!.page(rt, { secrets, account: other.account, cursor: null, since: null }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("permanent");
    expect(err.opts.status).toBe(403);
  });

  it("money: GA4's float-noisy revenue strings become exact minor units", async () => {
    // Float noise needs minor units: a generated property in JPY (no decimals) cannot show it.
    let connected = await connect(userOf("money"));
    for (let i = 0; i < 20 && (await stats(connected.account, windowStart(Date.now(), null))).currencyCode === "JPY"; i++) {
      connected = await connect(userOf("money"));
    }
    const { secrets, account } = connected;
    const res = await fetch(`${rt.sandboxUrl}/ga4/analyticsdata.googleapis.com/v1beta/properties/${account.propertyId}:runReport`, {
      method: "POST",
      headers: { authorization: `Bearer ${(secrets as Secrets).accessToken}`, "content-type": "application/json" },
      body: JSON.stringify({ dateRanges: [{ startDate: "365daysAgo", endDate: "today" }], dimensions: [{ name: "date" }], metrics: [{ name: "totalRevenue" }] }),
    });
    const raw = (await res.json()) as { rows: { metricValues: { value: string }[] }[] };
    const values = raw.rows.map((row) => row.metricValues[0]!.value);
    const r = await syncAll(ga4, rt, { secrets, account, streams: ["daily_totals"] });
    const s = await stats(account, windowStart(Date.now(), null));
    expect(sum(r.store, "", "revenue")).toBe(s.reports.total.revenueMinor);
    // Summing the raw strings as floats would drift; the connector does not.
    expect(values.length).toBe(365);
    expect(values.some((v) => /\.\d{3,}/.test(v))).toBe(true);
  });
});
