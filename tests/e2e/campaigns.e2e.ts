import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { apiLogin, http, newAccount, settle, signIn, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const sandbox = () => inject("sandboxUrl");
const stamp = Date.now().toString(36);

describe("email campaigns in the browser: happy path", () => {
  it("writes a Klaviyo campaign, sends a test, schedules it in the workspace's time zone, approves the send and cancels it", async () => {
    const who = { name: "Erin Email", email: `erin-${stamp}@example.test`, password: "sandbox email password", org: `Erin Coffee ${stamp}` };
    const account = await newAccount(base(), who);
    const ws = await http(base(), "POST", "/api/workspaces", { token: account.accessToken, body: { orgId: account.organization.id, name: "Erin's Roastery" } });
    expect(ws.status).toBe(201);
    const key = `pk_sandbox_e2e${stamp}`;
    await fetch(`${sandbox()}/_sandbox/klaviyo/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key, relaxed: true }) });
    const connected = await http(base(), "POST", `/api/workspaces/${ws.body.id}/integrations/klaviyo/connect`, { token: account.accessToken, body: { fields: { apiKey: key } } });
    expect(connected.status).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base(), who.email, who.password);
    await page.goto(`${base()}/email`);
    await page.getByRole("heading", { name: "Email", exact: true }).waitFor();
    await essentialCookiesOnly(page);
    await visible(page, "No campaigns yet");
    await shot(page, "campaigns-01-empty");

    await page.getByRole("link", { name: "New campaign" }).click();
    await page.getByRole("heading", { name: "New email campaign" }).waitFor();
    const listPicker = page.getByLabel("List or audience");
    await expect.poll(async () => (await listPicker.locator("option").count()) > 0, { timeout: 30_000 }).toBe(true);
    await page.getByLabel("Campaign name").fill("Winter roast launch");
    await page.getByLabel("Subject", { exact: true }).fill("Our winter roast is here");
    await page.getByLabel("Preheader").fill("Dark chocolate, orange peel, a little smoke");
    await page.getByLabel("Body (HTML)").fill("<h1>Winter roast</h1><p>Roasted on Monday, in your cup by Friday.</p>");
    await page.frameLocator("iframe[title='Email preview']").getByText("Roasted on Monday, in your cup by Friday.").waitFor();
    await settle(page);
    await shot(page, "campaigns-02-editor");
    await checkA11y(page, "campaign editor");
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.waitForURL(/\/email\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Winter roast launch" }).waitFor();

    await page.getByLabel("Send a test to").fill("erin@example.test");
    await page.getByRole("button", { name: "Send test" }).click();
    await visible(page, "Test sent");
    await visible(page, /Last test .* to erin@example\.test/);
    const previews = await fetch(`${sandbox()}/_sandbox/klaviyo/campaign-writes?key=${key}`).then((r) => r.json());
    expect(previews.previews.at(-1).emails).toEqual(["erin@example.test"]);

    // Tomorrow 09:30 in the workspace's zone (UTC for a new workspace).
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Date").fill(tomorrow);
    await page.getByLabel(/^Time \(UTC\)/).fill("09:30");
    await page.getByRole("button", { name: "Schedule", exact: true }).click();
    // The send goes onto the approval path: it waits, then the owner approves it here.
    await visible(page, "Waiting for approval");
    await shot(page, "campaigns-03a-waiting-for-approval");
    await page.getByRole("button", { name: "Approve send" }).click();
    await visible(page, "Approved. Goes out");
    await settle(page);
    await shot(page, "campaigns-03-scheduled");
    const token = await apiLogin(base(), who.email, who.password);
    const list = await http(base(), "GET", `/api/workspaces/${ws.body.id}/campaigns`, { token });
    const c = list.body.campaigns[0];
    expect(c).toMatchObject({ state: "scheduled", scheduledFor: Date.parse(`${tomorrow}T09:30:00Z`), pendingAction: { state: "scheduled" } });
    // Nothing has gone out: Klaviyo still holds a draft until the time comes.
    const stats = await fetch(`${sandbox()}/_sandbox/klaviyo/stats?key=${key}`).then((r) => r.json());
    expect(stats.campaigns.find((x: { id: string }) => x.id === c.providerCampaignId)).toMatchObject({ status: "Draft" });

    await page.getByRole("button", { name: "Cancel schedule" }).click();
    await visible(page, "the campaign is a draft again");
    await page.getByRole("button", { name: "Schedule", exact: true }).waitFor();

    await page.goto(`${base()}/email`);
    await page.getByRole("link", { name: "Winter roast launch" }).waitFor();
    await settle(page);
    await shot(page, "campaigns-04-list");
    await checkA11y(page, "email campaigns list");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: "Winter roast launch" }).click();
    await page.getByRole("heading", { name: "Winter roast launch" }).waitFor();
    await settle(page);
    await shot(page, "campaigns-05-editor-phone");
    await checkA11y(page, "campaign editor on a phone");
    await context.close();
  });
});
