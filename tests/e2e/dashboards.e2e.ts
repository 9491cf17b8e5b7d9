import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, screenshotDir, shot } from "./browser.ts";
import { apiLogin, DEMO, essentialCookiesOnly, http, newAccount, settle, shotsOnFailure, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const password = () => inject("demo").password;
const stamp = Date.now().toString(36);

async function ownerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await signIn(page, base(), DEMO.owner, password());
  await essentialCookiesOnly(page);
  return page;
}

describe("dashboards in the browser", () => {
  it("the demo owner sees a client's synced figures in charts with comparison, drills into a product, and the roll-up shows both clients", async () => {
    const track = shotsOnFailure("dashboards");
    const page = track(await ownerPage());
    await page.goto(`${base()}/dashboard?preset=90d`);
    await page.locator(".kpi[data-kpi='revenue_net'] .kpi-value").first().waitFor();
    await page.locator(".chart-canvas canvas").first().waitFor();
    await settle(page);
    expect(await page.locator(".kpi").count()).toBeGreaterThan(4);
    await expect.poll(() => page.locator(".kpi[data-kpi='orders'] .kpi-value").first().textContent()).not.toBe("0");
    expect(await page.locator(".kpi-change").count()).toBeGreaterThan(0);
    await shot(page, "dashboards-01-overview");

    await page.getByRole("link", { name: "Commerce", exact: true }).click();
    await page.getByRole("heading", { name: "Top products" }).waitFor();
    await page.locator(".widget-table .link-btn").first().click();
    await page.locator(".drill canvas").first().waitFor();
    // The daily table shows money in its currency, as the breakdown does (not bare major units).
    await page.locator(".drill th").filter({ hasText: /^Revenue \([A-Z]{3}\)/ }).first().waitFor();
    expect(await page.locator(".drill td.num").allTextContents()).toContainEqual(expect.stringMatching(/^(CA|A|NZ)?[$€£]\d/));
    await settle(page);
    await shot(page, "dashboards-02-product-drill-down");

    // Ads and Social: the Meta and Google Ads connections' figures, with their tables.
    await page.getByRole("navigation", { name: "Dashboard areas" }).getByRole("link", { name: "Ads", exact: true }).click();
    await expect.poll(() => page.locator(".kpi[data-kpi='ad_spend'] .kpi-value").first().textContent(), { timeout: 20_000 }).toMatch(/[1-9]/);
    await expect.poll(() => page.locator(".kpi[data-kpi='roas'] .kpi-value").first().textContent()).toMatch(/[1-9]/);
    await page.getByRole("heading", { name: "Ad campaigns" }).waitFor();
    await page.locator(".widget-table .link-btn").first().waitFor();
    await settle(page);
    await checkA11y(page, "dashboard ads area");
    await shot(page, "dashboards-02a-ads");
    await page.getByRole("link", { name: "Social", exact: true }).click();
    await expect.poll(() => page.locator(".kpi[data-kpi='social_reach'] .kpi-value").first().textContent(), { timeout: 20_000 }).toMatch(/[1-9]/);
    await page.getByRole("heading", { name: "Top posts" }).waitFor();
    await page.getByRole("heading", { name: "Pages and accounts" }).waitFor();
    await settle(page);
    await checkA11y(page, "dashboard social area");
    await shot(page, "dashboards-02b-social");
    await page.setViewportSize({ width: 390, height: 844 });
    await settle(page);
    await checkA11y(page, "dashboard social area at 390 px");
    // On a phone a table row is a card: each figure shows its column's name beside it.
    const reachCell = page.locator(".widget-table td.num").first();
    expect(await reachCell.evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"Reach"');
    await shot(page, "dashboards-02c-social-390");
    await page.setViewportSize({ width: 1360, height: 900 });

    await page.goto(`${base()}/dashboard/clients`);
    await page.getByRole("heading", { name: "All clients" }).waitFor();
    for (const name of ["Bistro Uno", "Peak Outfitters"]) await page.getByRole("link", { name }).waitFor();
    await settle(page);
    await shot(page, "dashboards-03-agency-rollup");
  });

  it("a report is generated, its PDF renders, and the portal viewer lands on the client's dashboard", async () => {
    const page = await ownerPage();
    await page.goto(`${base()}/reports`);
    await page.getByRole("button", { name: "Generate report" }).click();
    await page.locator("[data-report]").first().waitFor();
    await settle(page);
    await shot(page, "dashboards-04-reports");
    const token = await apiLogin(base(), DEMO.owner, password());
    // The report was made in the workspace the app had selected: find it in either demo client.
    let ws = "";
    let id = "";
    for (const w of inject("demo").workspaceIds) {
      const list = await http(base(), "GET", `/api/workspaces/${w}/reports`, { token });
      if (list.body.reports?.length) [ws, id] = [w, list.body.reports[0].id as string];
    }
    expect(id, "a generated report").not.toBe("");
    const pdf = await fetch(`${base()}/api/workspaces/${ws}/reports/${id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const dir = mkdtempSync(path.join(os.tmpdir(), "qweb-pdf-"));
    writeFileSync(path.join(dir, "report.pdf"), Buffer.from(await pdf.arrayBuffer()));
    execFileSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", path.join(dir, "report.pdf"), path.join(dir, "page")]);
    copyFileSync(path.join(dir, "page.png"), path.join(screenshotDir, "dashboards-05-report-pdf-page1.png"));

    const viewer = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const vp = await viewer.newPage();
    await signIn(vp, base(), DEMO.viewer, password());
    await essentialCookiesOnly(vp);
    await vp.getByRole("heading", { name: "Bistro Uno" }).waitFor();
    await vp.locator(".kpi").first().waitFor();
    expect(await vp.getByRole("button", { name: "Customize" }).count()).toBe(0);
    await settle(vp);
    await shot(vp, "dashboards-06-portal-viewer");
    // The agency's inbox is not the client's: following a link to it says so instead of failing.
    await vp.goto(`${base()}/inbox`);
    await vp.getByText("Inbox belongs to the agency's team").waitFor();
    expect(await vp.getByText("Something went wrong").count()).toBe(0);
  });

  it("an alert raised by the 15-minute check is acknowledged", async () => {
    const who = { name: "Ava Alert", email: `ava-${stamp}@example.test`, password: "alert page password", org: `Ava Agency ${stamp}` };
    const acct = await newAccount(base(), who);
    const token = acct.accessToken;
    const ws = (await http(base(), "POST", "/api/workspaces", { token, body: { orgId: acct.organization.id, name: "Alerting Client" } })).body.id as string;
    const key = `pk_sandbox_e2e${stamp}`;
    const conn = await http(base(), "POST", `/api/workspaces/${ws}/integrations/klaviyo/connect`, { token, body: { fields: { apiKey: key } } });
    expect(conn.status, JSON.stringify(conn.body)).toBe(201);
    await fetch(`${inject("sandboxUrl")}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ provider: "klaviyo", kind: "token-expired", count: 50, match: key }) });
    await http(base(), "POST", `/api/integrations/${conn.body.integration.id}/sync`, { token });
    await expect.poll(async () => (await http(base(), "GET", `/api/workspaces/${ws}/integrations`, { token })).body.integrations[0].status, { timeout: 60_000, interval: 500 }).toBe("needs_reconnect");
    const rule = await http(base(), "POST", `/api/workspaces/${ws}/alerts/rules`, { token, body: { kind: "sync_failing", name: "Sync health", recipients: [acct.user.id] } });
    expect(rule.status).toBe(201);
    for (let i = 0; i < 2; i++) await fetch(`${base()}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/15 * * * *")}`);
    await expect.poll(async () => (await http(base(), "GET", `/api/workspaces/${ws}/alerts`, { token })).body.alerts.length, { timeout: 20_000, interval: 500 }).toBe(1);

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    await signIn(page, base(), who.email, who.password);
    await essentialCookiesOnly(page);
    await page.goto(`${base()}/alerts`);
    await page.getByText("needs reconnecting").first().waitFor();
    await settle(page);
    await shot(page, "dashboards-07-alert-open");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await page.getByText("acknowledged", { exact: true }).first().waitFor();
    await settle(page);
    await shot(page, "dashboards-08-alert-acknowledged");
  });
});
