import { describe, expect, it } from "vitest";
import { connectKey, connectOAuth, drain, ownerWithWorkspace, sandboxControl } from "../integrations/support";
import { addDays, call, dashboard, dayIn, expectStatus, kpi, uid } from "./support";

type Ga4Totals = { sessions: number; totalUsers: number; newUsers: number; keyEvents: number; revenueMinor: number };

describe("dashboards: analytics and email KPIs", () => {
  it("analytics KPIs equal the GA4 sandbox's own report sums for the range and the previous period; the channel breakdown adds up to the channel report", async () => {
    const { t, ws } = await ownerWithWorkspace("GA Co");
    const user = `dash-${uid()}@example.test`;
    const i = await connectOAuth(t, ws.id, "ga4", {}, { login_hint: user });
    await drain(ws.id);
    const property = i.account.propertyId!;
    const stats = await sandboxControl<{ lastDate: string; currencyCode: string }>(`ga4/stats?property=${property}`);
    const to = addDays(stats.lastDate.replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3"), -5);
    const from = addDays(to, -27);
    const sums = async (start: string, end: string) => (await sandboxControl<{ reports: Record<string, Ga4Totals> }>(`ga4/stats?property=${property}&start=${start}&end=${end}`)).reports;
    const now = await sums(from, to);
    const before = await sums(addDays(from, -28), addDays(from, -1));
    const d = await dashboard(t, ws.id, { area: "analytics", from, to, compare: "previous" });
    const pairs: [string, keyof Ga4Totals][] = [["sessions", "sessions"], ["users", "totalUsers"], ["new_users", "newUsers"], ["conversions", "keyEvents"]];
    for (const [key, field] of pairs) {
      expect(kpi(d, key).value[""], key).toBe(now.total![field]);
      expect(kpi(d, key).previous?.[""], `previous ${key}`).toBe(before.total![field]);
    }
    expect(kpi(d, "analytics_revenue").value[stats.currencyCode]).toBe(now.total!.revenueMinor);
    expect(kpi(d, "conversion_rate").value[""]).toBeCloseTo(now.total!.keyEvents / now.total!.sessions, 10);
    const ch = await call("GET", `/api/workspaces/${ws.id}/dashboard/breakdown?dimension=channel&metrics=sessions&from=${from}&to=${to}`, { token: t.token });
    expectStatus(ch, 200);
    expect(ch.json.rows.reduce((s: number, r: any) => s + r.figures.sessions[""], 0)).toBe(now.channel!.sessions);
    const rows = ch.json.rows.map((r: any) => r.figures.sessions[""]);
    expect(rows).toEqual([...rows].sort((a: number, b: number) => b - a));
    expect(d.sources.map((s) => s.provider)).toEqual(["ga4"]);
    expect(d.sources[0]!.lastSyncAt).toBeGreaterThan(0);
  });

  it("email KPIs equal the Klaviyo sandbox's sent campaigns summed by send day; rates are ratios of sums", async () => {
    const { t, ws } = await ownerWithWorkspace("Mail Co");
    const key = `pk_sandbox_dash${uid()}`;
    await sandboxControl("klaviyo/config", { key, relaxed: true });
    await connectKey(t, ws.id, "klaviyo", { apiKey: key });
    await drain(ws.id);
    type S = { recipients: number; delivered: number; opensUnique: number; clicksUnique: number; bounced: number; revenueMinor: number };
    const stats = await sandboxControl<{ currency: string; lists: { id: string; profileCount: number; updated: number }[]; campaigns: { channel: string; status: string; sendTime: number | null; stats: S | null }[] }>(`klaviyo/stats?key=${key}`);
    const sent = stats.campaigns.filter((c) => c.channel === "email" && c.stats && c.sendTime);
    expect(sent.length).toBeGreaterThan(2);
    const days = sent.map((c) => dayIn("UTC", c.sendTime!)).sort();
    const from = days[0]!;
    const to = days.at(-1)!;
    const sum = (f: keyof S) => sent.reduce((s, c) => s + c.stats![f], 0);
    const d = await dashboard(t, ws.id, { area: "email", from, to, compare: "none" });
    expect(kpi(d, "email_sends").value[""]).toBe(sum("recipients"));
    expect(kpi(d, "email_opens").value[""]).toBe(sum("opensUnique"));
    expect(kpi(d, "email_clicks").value[""]).toBe(sum("clicksUnique"));
    expect(kpi(d, "email_bounces").value[""]).toBe(sum("bounced"));
    expect(kpi(d, "email_revenue").value[stats.currency]).toBe(sum("revenueMinor"));
    expect(kpi(d, "open_rate").value[""]).toBeCloseTo(sum("opensUnique") / sum("delivered"), 10);
    expect(kpi(d, "click_rate").value[""]).toBeCloseTo(sum("clicksUnique") / sum("delivered"), 10);
    expect(d.connectedAreas).toEqual(["email"]);

    // List growth: a list's member count is a snapshot filed under the day the list last changed,
    // so the members on a day are those of the lists changed by then; growth is the members on the
    // range's last day minus those on the day before it began (and likewise for the comparison).
    const listDays = stats.lists.map((l) => dayIn("UTC", l.updated)).sort();
    expect(stats.lists.length).toBeGreaterThan(3);
    const members = (day: string) => stats.lists.filter((l) => dayIn("UTC", l.updated) <= day).reduce((n, l) => n + l.profileCount, 0);
    const gFrom = listDays[Math.floor(listDays.length / 2)]!;
    const gTo = addDays(gFrom, 299);
    const g = await dashboard(t, ws.id, { area: "email", from: gFrom, to: gTo, compare: "previous" });
    expect(kpi(g, "list_growth").value[""]).toBe(members(gTo) - members(addDays(gFrom, -1)));
    expect(kpi(g, "list_growth").previous?.[""]).toBe(members(addDays(gFrom, -1)) - members(addDays(gFrom, -301)));
    expect(kpi(g, "list_growth").value[""], "some lists changed within the range").toBeGreaterThan(0);
  });
});
