import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { DEMO, settle, signIn, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

// The stack's own origin (APP_URL): a reload and the OAuth return restore the session from its cookie there.
const base = () => inject("baseUrl");

async function seriousViolations(page: Page, include = "#main") {
  const res = await new AxeBuilder({ page: page as never }).include(include).analyze();
  return res.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("connecting Outlook and iCloud mailboxes in the browser", () => {
  it("the demo workspace shows its Outlook and iCloud mailboxes; a new iCloud mailbox connects through the app-specific-password form (390 px)", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await page.goto(`${base()}/inbox/settings`);
    await page.getByRole("heading", { name: "Mailboxes", exact: true }).waitFor();
    await essentialCookiesOnly(page);
    await page.getByText(/^office@.+\.example$/).first().waitFor();
    await page.getByText(/^.+@icloud\.example$/).first().waitFor();

    await page.getByRole("button", { name: "Connect iCloud" }).click();
    const dialog = page.getByRole("dialog", { name: "Connect iCloud Mail" });
    await dialog.waitFor();
    const address = `e2e-${Date.now().toString(36)}@icloud.example`;
    await dialog.getByLabel("iCloud email address").fill(address);
    await dialog.getByLabel("App-specific password").fill("not a password");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await dialog.getByText(/looks like xxxx-xxxx-xxxx-xxxx/).waitFor();
    await dialog.getByLabel("App-specific password").fill("abcd-efgh-ijkl-mnop");
    await settle(page);
    expect(await seriousViolations(page, "dialog.modal")).toEqual([]);
    await shot(page, "mailboxes-01-icloud-form");
    await dialog.getByRole("button", { name: "Connect" }).click();
    await page.getByText("iCloud Mail connected").first().waitFor();
    await page.getByText(address).waitFor();
    await settle(page);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "mailboxes-02-icloud-connected");
    await context.close();
  });

  it("Connect Outlook goes through Microsoft's consent page and comes back connected", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await page.goto(`${base()}/inbox/settings`);
    await page.getByRole("heading", { name: "Mailboxes", exact: true }).waitFor();
    await essentialCookiesOnly(page);
    await page.getByRole("button", { name: "Connect Outlook" }).click();
    await page.getByRole("heading", { name: "Microsoft" }).waitFor();
    await page.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Outlook connected.", { exact: false }).waitFor();
    await page.getByText("sandbox.user@outlook.example").first().waitFor();
    await shot(page, "mailboxes-03-outlook-connected");
    await context.close();
  });
});
