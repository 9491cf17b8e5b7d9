import { describe, expect, it } from "vitest";
import { meta } from "../../worker/connectors/meta";
import { windowStart } from "../../worker/connectors/meta/graph";
import { ProviderError } from "../../worker/connectors/http";
import { injectFaults, rowsOf, sandboxControl, syncAll, type RowStore } from "../support/connectors";
import { connect, flow, rt, slugOf, statsOf, userOf, type MetaUser, type Stats } from "./meta-support";

const DAY = 86_400_000;

/** The store holds exactly what the sandbox serves: per asset, every metric of every day; per ad account, every campaign-day. */
function expectExact(store: RowStore, user: MetaUser, s: Stats) {
  const insights = rowsOf(store, "socialInsights");
  for (const p of user.pages) {
    const rows = insights.filter((m) => m.accountId === p.id);
    expect(rows.length, `page ${p.id} insight rows`).toBe(s.social[p.id]!.rows);
    for (const metric of ["page_media_view", "page_post_engagements", "page_follows", "page_total_media_view_unique"]) {
      expect(rows.filter((m) => m.metric === metric).reduce((a, m) => a + m.value, 0), metric).toBe(s.social[p.id]![metric]);
    }
    if (p.ig) {
      const ig = insights.filter((m) => m.accountId === p.ig!.id);
      expect(ig.length).toBe(s.social[p.ig.id]!.rows);
      expect(ig.filter((m) => m.metric === "reach").reduce((a, m) => a + m.value, 0)).toBe(s.social[p.ig.id]!.reach);
    }
  }
  const ads = rowsOf(store, "adInsights");
  for (const a of user.adAccounts) {
    const ids = new Set(user.campaigns.filter((c) => c.account === a.id).map((c) => c.id));
    const rows = ads.filter((r) => ids.has(r.campaignId));
    const want = s.ads[a.id]!;
    expect(rows.length, `ad account ${a.id} insight rows`).toBe(want.rows);
    expect(rows.reduce((x, r) => x + r.spendMinor, 0), "spend (minor units)").toBe(want.spendMinor);
    expect(rows.reduce((x, r) => x + r.impressions, 0)).toBe(want.impressions);
    expect(rows.reduce((x, r) => x + r.clicks, 0)).toBe(want.clicks);
    // One action type (purchase), not the sum of its aliases (omni_purchase, fb_pixel_purchase).
    expect(rows.reduce((x, r) => x + r.conversions, 0)).toBe(want.purchases);
    expect(rows.reduce((x, r) => x + r.conversionValueMinor, 0)).toBe(want.valueMinor);
    expect(rows.every((r) => r.currency === a.currency)).toBe(true);
  }
}

describe("meta: oauth", () => {
  it("Facebook Login: authorize URL with the scopes; the consent page offers Approve/Deny", async () => {
    const url = new URL(flow.authorizeUrl(rt, { state: "s", account: {} }));
    expect(url.pathname).toBe("/meta/www.facebook.com/v24.0/dialog/oauth");
    expect(url.searchParams.get("client_id")).toBe("qweb-sandbox-client");
    expect(url.searchParams.get("scope")).toContain("read_insights");
    expect(url.searchParams.get("scope")).toContain("ads_read");
    const page = await fetch(url);
    const html = await page.text();
    expect(html).toContain("Approve");
    expect(html).toContain("Deny");
  });

  it("code → short-lived → long-lived token (~60 days, no refresh token); lists Pages, IG accounts and ad accounts", async () => {
    const slug = slugOf("oauth");
    const before = Date.now();
    const { grant, account } = await connect(slug);
    const user = await userOf(slug);
    expect(grant.secrets.accessToken).toMatch(/^EAAL/);
    expect(grant.secrets.refreshToken).toBeUndefined();
    expect(grant.expiresAt! - before).toBeGreaterThan(59 * DAY);
    expect(flow.refresh).toBeUndefined();
    expect(account.pages).toBe(user.pages.map((p) => p.id).join(","));
    expect(account.igAccounts).toBe(user.pages.flatMap((p) => (p.ig ? [p.ig.id] : [])).join(","));
    expect(account.adAccounts).toBe(user.adAccounts.map((a) => a.id).join(","));
    expect(grant.label).toContain(user.pages[0]!.name);
    expect(meta.accountKey!(account, grant.label!)).toBe(`meta-user:${user.id}`);
    // The account coordinates hold no token.
    expect(JSON.stringify(account)).not.toContain("EAA");
  });

  it("a used code is refused (unauthorized: connect again)", async () => {
    const slug = slugOf("reuse");
    const { authorizeSilently } = await import("../support/connectors");
    const back = await authorizeSilently(flow.authorizeUrl(rt, { state: "x", account: { loginHint: slug } }));
    await flow.exchange(rt, { code: back.code!, account: {}, query: back });
    const err = await flow.exchange(rt, { code: back.code!, account: {}, query: back }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
  });
});

describe("meta: sync", () => {
  it("full sync: accounts, two years of page/IG insights, posts and media, campaigns, ad sets and daily ads insights, exactly", async () => {
    const slug = slugOf("full");
    const { secrets, account } = await connect(slug);
    const user = await userOf(slug);
    const runAt = Date.now();
    const r = await syncAll(meta, rt, { secrets, account });
    expect(r.duplicates).toBe(0);
    expect(r.errors).toEqual([]);
    const s = await statsOf(slug, windowStart(runAt, null));

    const accounts = rowsOf(r.store, "socialAccounts");
    expect(accounts.filter((a) => a.kind === "page").map((a) => a.name).sort()).toEqual(user.pages.map((p) => p.name).sort());
    expect(accounts.filter((a) => a.kind === "ig").length).toBe(user.pages.filter((p) => p.ig).length);
    expect(accounts.find((a) => a.providerId === user.pages[0]!.id)!.followers).toBe(user.pages[0]!.followers);
    expectExact(r.store, user, s);

    const posts = rowsOf(r.store, "socialPosts");
    for (const p of user.pages) {
      expect(posts.filter((x) => x.accountId === p.id).length).toBe(s.social[p.id]!.posts);
      if (p.ig) expect(posts.filter((x) => x.accountId === p.ig!.id).length).toBe(s.social[p.ig.id]!.posts);
    }
    expect(posts.every((p) => p.engagement >= p.likes + p.comments && p.views > 0)).toBe(true);

    const campaigns = rowsOf(r.store, "adCampaigns");
    expect(campaigns.length).toBe(user.campaigns.length);
    for (const c of user.campaigns) {
      const got = campaigns.find((x) => x.providerId === c.id)!;
      expect(got).toMatchObject({ name: c.name, status: c.status, dailyBudgetMinor: c.dailyBudget, lifetimeBudgetMinor: c.lifetimeBudget, channel: "meta" });
      expect(got.currency).toBe(user.adAccounts.find((a) => a.id === c.account)!.currency);
    }
    expect(rowsOf(r.store, "adSets").length).toBe(user.adSets.length);
    expect(rowsOf(r.store, "adAccounts").map((a) => a.providerId).sort()).toEqual(user.adAccounts.map((a) => a.id).sort());
  });

  it("incremental sync re-reads only the last days and changes nothing; small pages give the same exact rows", async () => {
    const slug = slugOf("incr");
    await sandboxControl("meta/config", { user: slug, maxPage: 2, maxDataPage: 20 });
    const { secrets, account } = await connect(slug);
    const user = await userOf(slug);
    const runAt = Date.now();
    const full = await syncAll(meta, rt, { secrets, account });
    expect(full.pages.ad_campaigns).toBeGreaterThan(1);
    expect(full.pages.ad_sets).toBeGreaterThan(1);
    expect(full.pages.page_posts).toBeGreaterThan(user.pages.length * 10);
    expect(full.pages.social_accounts).toBe(1);
    expectExact(full.store, user, await statsOf(slug, windowStart(runAt, null)));
    const before = { insights: full.store.socialInsights.size, ads: full.store.adInsights.size, posts: full.store.socialPosts.size };

    const incr = await syncAll(meta, rt, { secrets, account, since: full.watermarks, store: full.store });
    expect(incr.duplicates).toBe(0);
    // The window is the last settling days only, not two years.
    const days = new Set(rowsOf(incr.store, "socialInsights").length ? incr.received.page_insights!.flatMap((b) => b.socialInsights ?? []).map((m) => m.date) : []);
    expect(days.size).toBeLessThanOrEqual(4);
    expect(incr.pages.page_insights).toBe(user.pages.length);
    expect({ insights: incr.store.socialInsights.size, ads: incr.store.adInsights.size, posts: incr.store.socialPosts.size }).toEqual(before);
    const recent = incr.received.page_posts!.flatMap((b) => b.socialPosts ?? []);
    expect(recent.every((p) => p.publishedAt >= full.watermarks.page_posts! - 28 * DAY)).toBe(true);
  });

  it("faults: after a #4 app limit, a 500, a timeout and a malformed body the rows are still exact", async () => {
    const slug = slugOf("faults");
    const { secrets, account } = await connect(slug);
    const user = await userOf(slug);
    await injectFaults([
      { provider: "meta", kind: "429", match: "/insights?metric=page_", after: 2 },
      { provider: "meta", kind: "500", match: "act_", after: 3 },
      { provider: "meta", kind: "timeout", match: "/media" },
      { provider: "meta", kind: "malformed", match: `/insights?level=campaign`, after: 1 },
    ]);
    const runAt = Date.now();
    const r = await syncAll(meta, rt, { secrets, account, maxWaitMs: 50 });
    expect(r.errors.map((e) => e.kind).sort()).toEqual(["rate-limited", "transient", "transient", "transient"]);
    expect(r.errors.find((e) => e.kind === "rate-limited")!.retryAfterMs).toBe(60_000);
    expect(r.duplicates).toBe(0);
    expectExact(r.store, user, await statsOf(slug, windowStart(runAt, null)));
  });

  it("business use case throttling (#80000): waits estimated_time_to_regain_access minutes", async () => {
    const slug = slugOf("buc");
    const { secrets, account } = await connect(slug);
    await injectFaults({ provider: "meta", kind: "throttled", match: "/insights?level=campaign", retryAfter: 180 });
    const r = await syncAll(meta, rt, { secrets, account, streams: ["ad_insights"], maxWaitMs: 10 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ kind: "rate-limited", status: 400, retryAfterMs: 3 * 60_000 });
    expect(r.errors[0]!.cursor).toBeNull();
  });

  it("error 190 (expired session) is unauthorized with no refresh: the engine marks the integration needs-reconnect", async () => {
    const slug = slugOf("expired");
    const { secrets, account } = await connect(slug);
    await injectFaults({ provider: "meta", kind: "token-expired", match: "me/accounts" });
    const err = await syncAll(meta, rt, { secrets, account, streams: ["social_accounts"] }).catch((e) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.kind).toBe("unauthorized");
    expect(err.message).toContain("#190/463");
    // A token the sandbox ended (the user logged out) is the same #190.
    await sandboxControl("meta/expire", { user: slug });
    const err2 = await meta.streams[0]!.page(rt, { secrets, account, cursor: null, since: null }).catch((e) => e);
    expect(err2.kind).toBe("unauthorized");
  });

  it("deprecated metric names are refused by the sandbox like Meta (#100), so the connector's names are the current ones", async () => {
    const slug = slugOf("metrics");
    const { account } = await connect(slug);
    const { secrets } = await connect(slug);
    const tokenRes = await fetch(`${rt.sandboxUrl}/meta/graph.facebook.com/v24.0/${account.pages!.split(",")[0]}?fields=access_token`, { headers: { authorization: `Bearer ${secrets.accessToken}` } });
    const pageToken = ((await tokenRes.json()) as { access_token: string }).access_token;
    const res = await fetch(`${rt.sandboxUrl}/meta/graph.facebook.com/v24.0/${account.pages!.split(",")[0]}/insights?metric=page_impressions&period=day`, { headers: { authorization: `Bearer ${pageToken}` } });
    const body = (await res.json()) as { error: { code: number; type: string; fbtrace_id: string } };
    expect(res.status).toBe(400);
    expect(body.error).toMatchObject({ code: 100, type: "OAuthException" });
    expect(body.error.fbtrace_id).toBeTruthy();
  });
});
