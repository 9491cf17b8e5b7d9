import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { DEMO, essentialCookiesOnly, navLink, settle, shotsOnFailure, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const password = () => inject("demo").password;
const CLIENT = "Bistro Uno";

async function signedIn(email: string, width = 1360, height = 900): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  await page.goto(`${base()}/login`);
  await essentialCookiesOnly(page);
  await signIn(page, base(), email, password());
  return page;
}

/** Selects the demo client in the workspace switcher unless it is already selected. */
async function selectClient(page: Page) {
  const trigger = page.getByRole("button", { name: /Switch workspace$/ });
  if ((await trigger.textContent())?.includes(CLIENT)) return;
  await trigger.click();
  await page.getByRole("menuitemradio", { name: new RegExp(CLIENT) }).click();
}

async function openAds(page: Page) {
  await navLink(page, "Ads").click();
  await page.getByRole("heading", { name: "Ads", exact: true }).waitFor();
  await visible(page, `Campaigns of ${CLIENT}`);
  await page.getByRole("region", { name: "Ad campaigns" }).waitFor();
  await settle(page);
}

/** The campaigns table's row (or phone card) of one campaign. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const row = (page: Page, name: string) => page.locator("tr", { has: page.getByText(name, { exact: true }) });

async function openApprovals(page: Page) {
  await navLink(page, "Approvals").click();
  await page.getByRole("heading", { name: "Approvals", exact: true }).waitFor();
  await settle(page);
}

describe("ads and the approval path in the browser", () => {
  it("the owner pauses a campaign, the team editor the policy names approves it (before → after), and the runner pauses it", async () => {
    const track = shotsOnFailure("ads-pause");
    const owner = track(await signedIn(DEMO.owner));
    await selectClient(owner);

    // The policy: only team editors approve pauses in this client (so the owner cannot wave it through).
    await openApprovals(owner);
    const pausePolicy = owner.getByRole("group", { name: "Pause an ad campaign" });
    await pausePolicy.getByLabel("Team admins").uncheck();
    await pausePolicy.getByLabel("Team editors").check();
    await pausePolicy.getByRole("button", { name: "Save" }).click();
    await visible(owner, "Saved: Pause an ad campaign");
    await checkA11y(owner, "approvals-owner");

    await openAds(owner);
    // Synced campaigns from both sandbox ad accounts, with pacing bars.
    await owner.getByRole("meter", { name: /^Pacing/ }).first().waitFor();
    expect(await owner.locator(".campaign-name", { hasText: "Meta" }).count()).toBeGreaterThan(0);
    expect(await owner.locator(".campaign-name", { hasText: "Google Ads" }).count()).toBeGreaterThan(0);
    await shot(owner, "ads-01-campaigns");
    await checkA11y(owner, "ads-campaigns");

    const pauseButton = owner.getByRole("button", { name: /^Pause / }).and(owner.locator(":enabled")).first();
    const label = (await pauseButton.getAttribute("aria-label"))!;
    const campaign = label.replace(/^Pause /, "");
    await pauseButton.click();
    await visible(owner, "Pause sent for approval");
    await row(owner, campaign).getByText("Waiting for approval").waitFor();
    await settle(owner);
    await shot(owner, "ads-02-pause-proposed");
    // The owner is not named by the policy: the pause does not wait for them.
    await openApprovals(owner);
    await owner.getByRole("heading", { name: "What waits for me" }).waitFor();
    await settle(owner);
    expect(await owner.getByRole("article", { name: new RegExp(`^Pause .*“${esc(campaign)}”`) }).count()).toBe(0);

    const member = track(await signedIn(DEMO.member));
    await selectClient(member);
    await openApprovals(member);
    const item = member.getByRole("article", { name: new RegExp(`^Pause .*“${esc(campaign)}”`) });
    await item.waitFor();
    await item.getByText("Status").waitFor();
    await expect.poll(() => item.locator("del").first().textContent()).toBe("Running");
    expect(await item.locator("ins").first().textContent()).toBe("Paused");
    await shot(member, "ads-03-approval-waiting");
    await checkA11y(member, "approvals-member");
    await item.getByRole("button", { name: "Approve" }).click();
    await visible(member, "Approved");

    // The ActionRunner's alarm calls the provider; the campaign shows paused.
    await openAds(member);
    // The page refreshes itself while an approved change runs.
    await row(member, campaign).getByText("Paused", { exact: true }).waitFor({ timeout: 30_000 });
    await settle(member);
    await shot(member, "ads-04-campaign-paused");

    await member.getByRole("link", { name: "Approvals", exact: true }).first().click();
    await member.getByRole("heading", { name: "Approvals", exact: true }).waitFor();
    await member.getByRole("button", { name: "All actions" }).click();
    const done = member.getByRole("article", { name: new RegExp(`^Pause .*“${esc(campaign)}”`) });
    await done.getByText("Done", { exact: true }).waitFor();
    await done.getByRole("button", { name: "Trail" }).click();
    await done.getByRole("list", { name: "Audit trail" }).getByText("Approved", { exact: true }).waitFor();
    await settle(member);
    await shot(member, "ads-05-approval-done-trail");
    await checkA11y(member, "approvals-trail");
    await member.context().close();
    await owner.context().close();
  });

  it("with autopilot on, a budget change inside the guardrail is applied at once and reverted in one click; phone layout", async () => {
    const track = shotsOnFailure("ads-budget");
    const owner = track(await signedIn(DEMO.owner));
    await selectClient(owner);
    await openApprovals(owner);
    const budgetPolicy = owner.getByRole("group", { name: "Change an ad budget" });
    await budgetPolicy.getByLabel("Autopilot inside the guardrails").check();
    await budgetPolicy.getByLabel("Max budget change per day (%)").fill("20");
    await budgetPolicy.getByRole("button", { name: "Save" }).click();
    await visible(owner, "Saved: Change an ad budget");

    await openAds(owner);
    // A campaign with its own daily budget (a shared Google budget always waits for a person).
    const candidate = owner.locator("tbody tr").filter({ hasText: "/day" }).filter({ hasNotText: "Shared" }).filter({ hasNotText: "Waiting for approval" }).first();
    const budgetButton = candidate.getByRole("button", { name: /^Change budget of / });
    const campaign = (await budgetButton.getAttribute("aria-label"))!.replace(/^Change budget of /, "");
    const before = (await row(owner, campaign).locator("td[data-label='Budget']").textContent())!;
    await budgetButton.click();
    const dialog = owner.getByRole("dialog", { name: `Budget of ${campaign}` });
    await dialog.waitFor();
    const now = Number((await dialog.getByText(/^Now: /).textContent())!.replace(/[^0-9.]/g, ""));
    expect(now).toBeGreaterThan(0);
    const next = (Math.round(now * 1.1 * 100) / 100).toFixed(2); // +10 %: inside ±20 %
    await dialog.getByRole("textbox").fill(next);
    await settle(owner);
    await shot(owner, "ads-06-budget-dialog");
    await checkA11y(owner, "ads-budget-dialog");
    await dialog.getByRole("button", { name: "Propose change" }).click();
    await visible(owner, "Budget change approved by autopilot");
    await expect
      .poll(() => row(owner, campaign).locator("td[data-label='Budget']").textContent(), { timeout: 30_000, interval: 1000 })
      .toContain(Number(next).toLocaleString("en-US", { minimumFractionDigits: 2 }));
    await settle(owner);
    await shot(owner, "ads-07-budget-applied");

    // One click undoes it: the revert goes through the same path (inside the guardrail, autopilot runs it).
    await openApprovals(owner);
    await owner.getByRole("button", { name: "All actions" }).click();
    const change = owner.getByRole("article", { name: new RegExp(`^Daily budget of “${esc(campaign)}”`) }).filter({ has: owner.getByRole("button", { name: "Revert" }) });
    await change.first().getByRole("button", { name: "Revert" }).click();
    await visible(owner, "Undo approved by autopilot");
    await openAds(owner);
    await expect
      .poll(() => row(owner, campaign).locator("td[data-label='Budget']").textContent(), { timeout: 30_000, interval: 1000 })
      .toBe(before);
    await owner.context().close();

    // A phone: the campaigns become cards and Approvals stays usable.
    const phone = track(await signedIn(DEMO.owner, 390, 844));
    await phone.goto(`${base()}/ads`);
    await phone.getByRole("heading", { name: "Ads", exact: true }).waitFor();
    await phone.getByRole("meter", { name: /^Pacing/ }).first().waitFor();
    await settle(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "ads-08-phone-campaigns");
    await checkA11y(phone, "ads-phone");
    await phone.goto(`${base()}/approvals`);
    await phone.getByRole("heading", { name: "Approvals", exact: true }).waitFor();
    await phone.getByRole("button", { name: "All actions" }).click();
    await phone.getByRole("article").first().waitFor();
    await settle(phone);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(phone, "ads-09-phone-approvals");
    await checkA11y(phone, "approvals-phone");
    await phone.context().close();
  });
});
