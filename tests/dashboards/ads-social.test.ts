// Ads and social figures on the dashboard: each KPI against the Meta and Google Ads sandboxes' own
// sums, and the rollups against a recomputation here from the raw synced rows.
import { describe, expect, it } from "vitest";
import { connectOAuth, drain, ownerWithWorkspace, sandboxControl } from "../integrations/support";
import { statsOf, userOf as metaUserOf } from "../connectors/meta-support";
import { addDays, byMonth, byYear, call, dashboard, dayIn, env, expectStatus, kpi, setTimeZone, storedMonths, storedYears, uid } from "./support";

type GadsStats = { rows: number; spendMinor: number; impressions: number; clicks: number; conversions: number; valueMinor: number; currency: string };
const gadsStats = (user: string, customer: string, start: string, end: string) =>
  sandboxControl<GadsStats>(`google-ads/stats?user=${encodeURIComponent(user)}&customer=${customer}&start=${start}&end=${end}`);
const today = () => new Date().toISOString().slice(0, 10);

const AD_FIELDS: [string, string][] = [["ad_spend", "spend_minor"], ["ad_impressions", "impressions"], ["ad_clicks", "clicks"], ["ad_reach", "reach"], ["ad_conversions", "conversions"], ["ad_conversion_value", "conversion_value_minor"]];
const MONEY = new Set(["ad_spend", "ad_conversion_value"]);
const INSIGHTS: Record<string, string> = { page_total_media_view_unique: "social_reach", reach: "social_reach", page_media_view: "social_views", page_post_engagements: "social_engagement", page_follows: "social_follows", follower_count: "social_follows" };
const FACT_METRICS = [...AD_FIELDS.map(([m]) => m), "social_reach", "social_views", "social_engagement", "social_follows", "social_followers", "posts", "post_reach", "post_engagement"];

/** The social and ads rollups recomputed here from the raw D1 rows, keyed like the table. */
async function recomputed(integrationId: string, provider: string, tz: string): Promise<Record<string, number>> {
  const all = async (sql: string) => (await env.DB.prepare(sql).bind(integrationId).all<any>()).results;
  const out: Record<string, number> = {};
  const add = (k: string, v: number) => (out[k] = (out[k] ?? 0) + v);
  for (const r of await all("SELECT * FROM ad_insights_daily WHERE integration_id = ?")) {
    for (const [m, f] of AD_FIELDS) {
      if (r[f] === null || (m === "ad_reach" && provider !== "meta")) continue;
      const cur = MONEY.has(m) ? r.currency : "";
      add(`${m}||${r.date}|${cur}`, r[f]);
      add(`${m}|ad_campaign:${r.campaign_id}|${r.date}|${cur}`, r[f]);
    }
  }
  for (const r of await all("SELECT * FROM social_insights_daily WHERE integration_id = ?")) {
    const m = INSIGHTS[r.metric];
    if (!m) continue;
    add(`${m}||${r.date}|`, r.value);
    add(`${m}|social_account:${r.account_id}|${r.date}|`, r.value);
  }
  for (const p of await all("SELECT * FROM social_posts WHERE integration_id = ?")) {
    const d = dayIn(tz, p.published_at);
    for (const [m, v] of [["posts", 1], ["post_reach", p.reach], ["post_engagement", p.engagement]] as const) {
      add(`${m}||${d}|`, v);
      add(`${m}|post:${p.provider_id}|${d}|`, v);
    }
  }
  for (const a of await all("SELECT * FROM social_accounts WHERE integration_id = ?")) out[`social_followers|social_account:${a.provider_id}|${dayIn(tz, a.updated_at)}|`] = a.followers;
  return rounded(out);
}

/** Conversions are fractional (Google Ads): sums in another order differ in the last bits. */
const rounded = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));

async function stored(integrationId: string): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare(
    `SELECT metric, dimension, dimension_value, day, currency, value FROM metric_rollups WHERE integration_id = ? AND metric IN (${FACT_METRICS.map(() => "?").join(",")})`,
  ).bind(integrationId, ...FACT_METRICS).all<any>();
  return rounded(Object.fromEntries(results.map((r) => [`${r.metric}|${r.dimension ? `${r.dimension}:${r.dimension_value}` : ""}|${r.day}|${r.currency}`, r.value])));
}

/**
 * The sandboxes generate each user's accounts and delivery from its name, in days counted back
 * from today: these fixed users give the same figures on every run. Meta: a USD and a EUR ad
 * account with five campaigns each delivering in the test's range (a random user can have an
 * account whose campaigns all ended before it); Google Ads: one GBP client. Three currencies.
 */
const META_USER = "meta-dash-fixed-1";
const GADS_USER = "gads-dash-fixed-3@example.test";

async function connectBoth(name: string) {
  const { t, ws } = await ownerWithWorkspace(name);
  const slug = META_USER;
  const gUser = GADS_USER;
  const meta = await connectOAuth(t, ws.id, "meta", {}, { login_hint: slug });
  const google = await connectOAuth(t, ws.id, "google-ads", {}, { login_hint: gUser });
  await drain(ws.id);
  return { t, ws, slug, gUser, meta, google };
}

describe("dashboards: ads and social", () => {
  it("ads KPIs equal the Meta and Google Ads sandboxes' own sums for the range, per currency; CTR, CPC, CPA and ROAS are ratios of those sums; the campaign table adds up; social KPIs equal the Meta sandbox's insights", async () => {
    const { t, ws, slug, gUser, google } = await connectBoth("Ads Dash Co");
    const to = addDays(today(), -3);
    const from = addDays(to, -41);
    const user = await metaUserOf(slug);
    const m = await statsOf(slug, from, to);
    const g = await gadsStats(gUser, google.account.customerId!, from, to);
    const spend: Record<string, number> = { [g.currency]: g.spendMinor };
    const value: Record<string, number> = { [g.currency]: g.valueMinor };
    let impressions = g.impressions, clicks = g.clicks, conversions = g.conversions;
    for (const a of user.adAccounts) {
      const s = m.ads[a.id]!;
      spend[a.currency] = (spend[a.currency] ?? 0) + s.spendMinor;
      value[a.currency] = (value[a.currency] ?? 0) + s.valueMinor;
      impressions += s.impressions; clicks += s.clicks; conversions += s.purchases;
    }
    // Every currency had spend in the range (the fixed users above guarantee it), so each per-currency assertion below tests something.
    expect(Object.keys(spend).sort()).toEqual(["EUR", "GBP", "USD"]);
    expect(Object.values(spend).every((x) => x > 0)).toBe(true);

    const d = await dashboard(t, ws.id, { area: "ads", from, to, compare: "none" });
    expect(d.connectedAreas).toEqual(expect.arrayContaining(["ads", "social"]));
    expect(kpi(d, "ad_spend").value).toEqual(spend);
    expect(kpi(d, "ad_conversion_value").value).toEqual(value);
    expect(kpi(d, "ad_impressions").value[""]).toBe(impressions);
    expect(kpi(d, "ad_clicks").value[""]).toBe(clicks);
    expect(kpi(d, "ad_conversions").value[""]).toBeCloseTo(conversions, 6);
    expect(kpi(d, "ctr").value[""]).toBeCloseTo(clicks / impressions, 10);
    for (const cur of Object.keys(spend)) {
      expect(kpi(d, "roas").value[cur], `ROAS ${cur}`).toBeCloseTo(value[cur]! / spend[cur]!, 10);
      expect(kpi(d, "cpc").value[cur], `CPC ${cur}`).toBeCloseTo(spend[cur]! / clicks, 10);
      expect(kpi(d, "cpa").value[cur], `CPA ${cur}`).toBeCloseTo(spend[cur]! / conversions, 6);
    }
    const camp = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=ad_campaign&metrics=ad_spend,ad_clicks&from=${from}&to=${to}`, { token: t.token });
    expectStatus(camp, 200);
    const names = new Set([...user.campaigns.map((c) => c.name), ...(await sandboxControl<{ campaigns: { name: string }[] }>(`google-ads/stats?user=${encodeURIComponent(gUser)}&customer=${google.account.customerId}`)).campaigns.map((c) => c.name)]);
    expect(camp.json.rows.every((r: any) => names.has(r.label)), "rows carry campaign names").toBe(true);
    for (const cur of Object.keys(spend)) expect(camp.json.rows.reduce((s: number, r: any) => s + (r.figures.ad_spend[cur] ?? 0), 0)).toBe(spend[cur]);
    expect(camp.json.rows.reduce((s: number, r: any) => s + r.figures.ad_clicks[""], 0)).toBe(clicks);

    // A long range (months bucket: whole months come from the monthly rollups) equals the sandboxes' sums too.
    const longFrom = addDays(to, -499);
    const [ml, gl] = [await statsOf(slug, longFrom, to), await gadsStats(gUser, google.account.customerId!, longFrom, to)];
    const longSpend: Record<string, number> = { [g.currency]: gl.spendMinor };
    for (const a of user.adAccounts) longSpend[a.currency] = (longSpend[a.currency] ?? 0) + ml.ads[a.id]!.spendMinor;
    const long = await dashboard(t, ws.id, { area: "ads", from: longFrom, to, compare: "previous" });
    expect(kpi(long, "ad_spend").value).toEqual(longSpend);
    expect(kpi(long, "ad_spend").series.length).toBeGreaterThan(15);
    const monthly = kpi(long, "ad_clicks").series.reduce((s, p) => s + (p.value[""] ?? 0), 0);
    expect(monthly).toBe(gl.clicks + user.adAccounts.reduce((s, a) => s + ml.ads[a.id]!.clicks, 0));
    const longCamp = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=ad_campaign&metrics=ad_spend&from=${longFrom}&to=${to}`, { token: t.token });
    for (const cur of Object.keys(longSpend)) expect(longCamp.json.rows.reduce((s: number, r: any) => s + (r.figures.ad_spend[cur] ?? 0), 0)).toBe(longSpend[cur]);
    const ranked = longCamp.json.rows.map((r: any) => Object.values(r.figures.ad_spend as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(ranked).toEqual([...ranked].sort((a: number, b: number) => b - a));

    // Social: daily insights summed over every Page and Instagram account.
    const sum = (k: string) => Object.values(m.social).reduce((s, x) => s + (x[k] ?? 0), 0);
    const sd = await dashboard(t, ws.id, { area: "social", from, to, compare: "none" });
    expect(kpi(sd, "social_reach").value[""]).toBe(sum("page_total_media_view_unique") + sum("reach"));
    expect(kpi(sd, "social_views").value[""]).toBe(sum("page_media_view"));
    expect(kpi(sd, "social_engagement").value[""]).toBe(sum("page_post_engagements"));
    expect(kpi(sd, "social_follows").value[""]).toBe(sum("page_follows") + sum("follower_count"));
    // Followers are a snapshot as of the sync (today): a range ending today shows every account's.
    const now = await dashboard(t, ws.id, { area: "social", preset: "7d", compare: "none" });
    expect(kpi(now, "social_followers").value[""]).toBe(user.pages.reduce((s, p) => s + p.followers + (p.ig?.followers ?? 0), 0));
    expect(kpi(now, "posts").value[""]).toBeGreaterThan(0);
    const accounts = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=social_account&metrics=social_reach&from=${from}&to=${to}`, { token: t.token });
    expectStatus(accounts, 200);
    expect(accounts.json.rows.map((r: any) => r.label).sort()).toEqual(user.pages.flatMap((p) => [p.name, ...(p.ig ? [p.ig.username] : [])]).sort());

    // The overview shows the ads and social headline KPIs beside each other.
    const o = await dashboard(t, ws.id, { area: "overview", from, to, compare: "previous" });
    expect(kpi(o, "ad_spend").value).toEqual(spend);
    expect(kpi(o, "social_reach").value[""]).toBe(sum("page_total_media_view_unique") + sum("reach"));
  });

  it("social and Meta ads rollups equal a recomputation from the raw rows after the first sync, an incremental sync and a time-zone change (which rebuilds them)", async () => {
    const { t, ws } = await ownerWithWorkspace("Social Rollup Co");
    const meta = await connectOAuth(t, ws.id, "meta", {}, { login_hint: `meta-roll-${uid()}` });
    await drain(ws.id);
    const first = await stored(meta.id);
    expect(Object.keys(first).length).toBeGreaterThan(100);
    expect(first).toEqual(await recomputed(meta.id, "meta", "UTC"));
    expectStatus(await call("POST", `/api/integrations/${meta.id}/sync`, { token: t.token }), 202);
    await drain(ws.id);
    expect(await stored(meta.id)).toEqual(await recomputed(meta.id, "meta", "UTC"));

    // A new time zone rebuilds the rollups: posts and follower snapshots move with the workspace's day, the platforms' days stay as reported.
    await setTimeZone(t, ws.id, "Pacific/Kiritimati");
    expect(await stored(meta.id)).toEqual(await recomputed(meta.id, "meta", "Pacific/Kiritimati"));

  });

  it("Google Ads rollups equal a recomputation from the raw rows (no reach: Google reports none); disconnecting one ad source takes its spend off the dashboard at once", async () => {
    const { t, ws } = await ownerWithWorkspace("Ads Rollup Co");
    const google = await connectOAuth(t, ws.id, "google-ads", {}, { login_hint: `gads-roll-${uid()}@example.test` });
    await drain(ws.id);
    const first = await stored(google.id);
    expect(Object.keys(first).length).toBeGreaterThan(100);
    expect(Object.keys(first).some((k) => k.startsWith("ad_reach"))).toBe(false);
    expect(first).toEqual(await recomputed(google.id, "google-ads", "UTC"));
    expect(await storedMonths(google.id, FACT_METRICS)).toEqual(byMonth(first));
    expect(await storedYears(google.id, FACT_METRICS)).toEqual(byYear(first));
    expect(kpi(await dashboard(t, ws.id, { area: "ads", preset: "90d", compare: "none" }), "ad_spend").value).not.toEqual({});
    expectStatus(await call("DELETE", `/api/integrations/${google.id}`, { token: t.token }), 204);
    const d = await dashboard(t, ws.id, { area: "ads", preset: "90d", compare: "none" });
    expect(kpi(d, "ad_spend").value).toEqual({});
    expect(d.connectedAreas).toEqual([]);
  });
});
