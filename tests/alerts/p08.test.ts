import { describe, expect, it } from "vitest";
import { FREQUENT_CRON, runCron } from "../retention/support";
import { inviteAndAccept, newTenant, newWorkspace, waitForEmail } from "../support/harness";
import { call, expectStatus, fakeIntegration, writeBatch } from "../dashboards/support";
import type { AdInsight } from "../../worker/connectors/types";

const MIN = 60_000;
const dayMs = (day: string, hour = 12) => Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));

/**
 * Spend reaches the rollups the way the Meta and Google Ads connectors' pages write it: daily
 * campaign rows (ad_insights_daily) through the sync write path, which the catalogue maps to ad_spend.
 * The test controls the figures, so the integrations are rows of the test's own.
 */
const spendOn = (date: string, spendMinor: number, currency: string): AdInsight => ({
  campaignId: "c1", date, spendMinor, impressions: 1000, clicks: 10, reach: null, conversions: 1, conversionValueMinor: spendMinor * 2, currency,
});
describe("alerts: budget pacing (P08)", () => {
  it("P08: a campaign pacing over budget raises exactly one warning per period across repeated cron runs, in-app and by email to the chosen member", async () => {
    const owner = await newTenant({ kind: "agency" });
    const ws = await newWorkspace(owner, "Pacing Client");
    const member = await inviteAndAccept(owner, { orgId: owner.orgId }, "member", "Mia Member");
    const meta = await fakeIntegration(owner, ws.id, "meta");
    const google = await fakeIntegration(owner, ws.id, "google-ads");
    // 10 days of December at 40 + 30 USD a day: 700 so far, 2,170 projected against a 1,500 budget.
    await writeBatch(meta, { adInsights: days("2026-12-01", 10).map((date) => spendOn(date, 40_00, "USD")) });
    await writeBatch(google, { adInsights: days("2026-12-01", 10).map((date) => spendOn(date, 30_00, "USD")) });
    const rule = await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, {
      token: owner.token,
      body: { kind: "budget_pacing", name: "Monthly ads budget", params: { monthlyBudgetMinor: 1500_00, currency: "USD", thresholdPct: 10 }, recipients: [member.userId] },
    });
    expectStatus(rule, 201);

    // Every 15 minutes for three hours on 10 December: one alert.
    for (let t = dayMs("2026-12-10", 9); t < dayMs("2026-12-10", 12); t += 15 * MIN) await runCron(FREQUENT_CRON, t);
    const list = await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: owner.token });
    expectStatus(list, 200);
    expect(list.json.alerts).toHaveLength(1);
    const alert = list.json.alerts[0];
    expect(alert).toMatchObject({ kind: "budget_pacing", periodKey: "2026-12", status: "open" });
    expect(alert.figures).toMatchObject({ spentMinor: 700_00, projectedMinor: 2170_00, budgetMinor: 1500_00, direction: "over" });
    const notes = await call("GET", "/api/notifications", { token: member.token });
    const mine = (notes.json.notifications as { kind: string; title: string }[]).filter((n) => n.kind === "alert");
    expect(mine).toHaveLength(1);
    expect(mine[0]!.title).toContain("pacing over budget");
    const mail = await waitForEmail(member.email, (m) => m.subject.includes("pacing over budget"));
    expect(mail.text).toContain("2170.00 USD");

    // Acknowledged, still one; a new month that overspends again is a new period: one more.
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/alerts/${alert.id}/acknowledge`, { token: owner.token }), 200);
    await writeBatch(meta, { adInsights: days("2027-01-01", 5).map((date) => spendOn(date, 90_00, "USD")) });
    for (let t = dayMs("2027-01-05", 9); t < dayMs("2027-01-05", 11); t += 15 * MIN) await runCron(FREQUENT_CRON, t);
    await runCron(FREQUENT_CRON, dayMs("2026-12-20"));
    const after = (await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: owner.token })).json.alerts as { periodKey: string; status: string }[];
    expect(after.map((a) => [a.periodKey, a.status])).toEqual([["2027-01", "open"], ["2026-12", "acknowledged"]]);

    // Snoozed until 1 March: February's overspend stays silent, March's raises again.
    const jan = (after[0] as unknown as { id: string }).id;
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/alerts/${jan}/snooze`, { token: owner.token, body: { until: dayMs("2027-03-01", 0) } }), 200);
    await writeBatch(meta, { adInsights: [...days("2027-02-01", 5), ...days("2027-03-01", 5)].map((date) => spendOn(date, 90_00, "USD")) });
    await runCron(FREQUENT_CRON, dayMs("2027-02-05"));
    expect((await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: owner.token })).json.alerts).toHaveLength(2);
    await runCron(FREQUENT_CRON, dayMs("2027-03-05"));
    const march = (await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: owner.token })).json.alerts as { periodKey: string }[];
    expect(march.map((a) => a.periodKey)).toEqual(["2027-03", "2027-01", "2026-12"]);
  });

  it("P08: spend on plan for the budget raises nothing", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "On Plan");
    const meta = await fakeIntegration(owner, ws.id, "meta");
    await writeBatch(meta, { adInsights: days("2026-11-01", 10).map((date) => spendOn(date, 50_00, "EUR")) });
    const rule = await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: owner.token, body: { kind: "budget_pacing", name: "Budget", params: { monthlyBudgetMinor: 1500_00, currency: "EUR" } } });
    expectStatus(rule, 201);
    await runCron(FREQUENT_CRON, dayMs("2026-11-10"));
    expect((await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: owner.token })).json.alerts).toEqual([]);
  });

  it("alert routes: viewers read but cannot create rules or acknowledge; another tenant's rule and alert are 404; bad input is 400", async () => {
    const owner = await newTenant();
    const ws = await newWorkspace(owner, "Victim alerts");
    const viewer = await inviteAndAccept(owner, { workspaceId: ws.id }, "viewer");
    const body = { kind: "revenue_drop", name: "Revenue", params: { thresholdPct: 30 } };
    expectStatus(await call("GET", `/api/workspaces/${ws.id}/alerts`, { token: viewer.token }), 200);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: viewer.token, body }), 403);
    const made = await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: owner.token, body });
    expectStatus(made, 201);
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: owner.token, body: { kind: "budget_pacing", name: "x" } }), 400);
    const other = await newTenant();
    expectStatus(await call("POST", `/api/workspaces/${ws.id}/alerts/rules`, { token: owner.token, body: { ...body, recipients: [other.userId] } }), 400);
    const otherWs = await newWorkspace(other, "Mine");
    expectStatus(await call("PATCH", `/api/workspaces/${otherWs.id}/alerts/rules/${made.json.id}`, { token: other.token, body: { enabled: false } }), 404);
    expectStatus(await call("PATCH", `/api/workspaces/${ws.id}/alerts/rules/${made.json.id}`, { token: other.token, body: { enabled: false } }), 404);
    expectStatus(await call("POST", `/api/workspaces/${otherWs.id}/alerts/nope/acknowledge`, { token: other.token }), 404);
  });
});
