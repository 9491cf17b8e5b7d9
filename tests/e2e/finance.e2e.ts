import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, screenshotDir, shot } from "./browser.ts";
import { DEMO, essentialCookiesOnly, http, mailTo, navLink, settle, shotsOnFailure, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const password = () => inject("demo").password;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The PDF as a PNG in the screenshots: poppler's pdftoppm when installed, else Chromium's own viewer. */
async function pdfToImage(bytes: Buffer, name: string) {
  const pdf = path.join(screenshotDir, `${name}.pdf`);
  writeFileSync(pdf, bytes);
  if (existsSync("/usr/bin/pdftoppm")) {
    execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "80", "-singlefile", pdf, path.join(screenshotDir, name)]);
    return existsSync(path.join(screenshotDir, `${name}.png`));
  }
  return false;
}

describe("finance: happy path", () => {
  it("logs time with the timer, turns unbilled work into an invoice, sends it (PDF + public link), records a payment", async () => {
    const track = shotsOnFailure("finance");
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = track(await ctx.newPage());
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), DEMO.owner, password());

    await navLink(page, "Finance").click();
    await page.getByRole("heading", { name: "Finance" }).waitFor();
    await page.getByLabel("Client").first().selectOption({ label: "Bistro Uno" });
    await page.getByLabel("What are you working on?").fill("Browser-test ad copy");
    await page.getByRole("button", { name: "Start timer" }).click();
    const shellTimer = page.getByTestId("shell-timer");
    await shellTimer.waitFor();
    await settle(page);
    await shot(page, "finance-01-timer-running");
    // The timer survives a reload and shows on every page of the shell.
    await page.reload();
    await shellTimer.waitFor();
    await navLink(page, "Workspaces").click();
    await shellTimer.waitFor();
    await page.getByRole("button", { name: "Stop timer" }).click();
    await shellTimer.waitFor({ state: "detached" });
    await navLink(page, "Finance").click();
    await visible(page, "Browser-test ad copy");
    await settle(page);
    await shot(page, "finance-02-week");

    // Unbilled time and expenses of the last month → one draft.
    await page.getByRole("navigation", { name: "Finance sections" }).getByRole("link", { name: "Invoices" }).click();
    await page.getByRole("button", { name: "Invoice unbilled work" }).click();
    const dialog = page.getByRole("dialog", { name: "Invoice unbilled work" });
    await dialog.getByLabel("Client").selectOption({ label: "Bistro Uno" });
    await dialog.getByLabel("From").fill(isoDay(Date.now() - 35 * 86_400_000));
    await dialog.getByLabel("To").fill(isoDay(Date.now()));
    await dialog.getByRole("button", { name: "Review lines" }).click();
    await dialog.getByText(/time entries and/).waitFor();
    await shot(page, "finance-03-unbilled-review");
    await dialog.getByRole("button", { name: "Create draft" }).click();
    await page.waitForURL(/\/finance\/invoices\//);
    await page.getByTestId("invoice-total").waitFor();

    // Live totals: a new line changes the total before anything is saved.
    const before = await page.getByTestId("invoice-total").textContent();
    await page.getByRole("button", { name: "Add line" }).click();
    const n = await page.locator(".invoice-lines tbody tr").count();
    await page.getByLabel(`Line ${n} description`).fill("Strategy workshop");
    await page.getByLabel(`Line ${n} unit price`).fill("750");
    await page.getByLabel(`Line ${n} tax percent`).fill("20");
    await expect.poll(() => page.getByTestId("invoice-total").textContent()).not.toBe(before);
    await page.getByLabel("Email").fill("accounts@bistro-uno.test");
    await page.getByRole("button", { name: "Save draft" }).click();
    await visible(page, "Draft saved");
    await page.getByRole("button", { name: "Preview PDF" }).click();
    await page.locator("iframe.pdf-frame").waitFor();
    await settle(page);
    await shot(page, "finance-04-editor-pdf-preview");

    await page.getByRole("button", { name: "Send", exact: true }).click();
    await visible(page, "Invoice sent");
    const mail = await mailTo(base(), "accounts@bistro-uno.test");
    const link = /https?:\/\/\S+\/i\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    const pdfLink = /https?:\/\/\S+\/api\/invoice-links\/\S+\/pdf/.exec(mail.text)![0];
    const pdf = await fetch(pdfLink);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const rendered = await pdfToImage(Buffer.from(await pdf.arrayBuffer()), "finance-05-invoice-pdf");

    // The client opens the public link in their own browser: the invoice shows as viewed.
    const clientCtx = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const clientPage = track(await clientCtx.newPage());
    await clientPage.goto(link);
    await clientPage.getByRole("link", { name: "Download PDF" }).waitFor();
    await shot(clientPage, "finance-06-public-link");
    if (!rendered) {
      await clientPage.goto(pdfLink);
      await clientPage.waitForTimeout(1500);
      await shot(clientPage, "finance-05-invoice-pdf");
    }
    await clientCtx.close();

    await page.reload();
    await visible(page, "viewed");
    await page.getByRole("button", { name: "Record payment" }).click();
    const pay = page.getByRole("dialog", { name: /Record a payment/ });
    await pay.getByLabel(/Amount/).fill("100");
    await pay.getByRole("button", { name: "Record payment" }).click();
    await visible(page, "partially paid");
    await settle(page);
    await shot(page, "finance-07-partially-paid");
    await page.goto(`${base()}/finance?tab=payments`);
    await visible(page, "bank transfer");
    await page.goto(`${base()}/finance?tab=reports`);
    await page.getByLabel("Report").selectOption("profitability");
    await page.locator(".finance-chart canvas").first().waitFor();
    await visible(page, "Bistro Uno");
    await settle(page);
    await shot(page, "finance-11-reports-profitability");
    const api = await http(base(), "GET", "/api/health");
    expect(api.status).toBe(200);
    await ctx.close();
  });

  it("P07: subscribes to a plan through the sandbox's Stripe Checkout; the plan changes when the signed webhook arrives", async () => {
    const track = shotsOnFailure("billing");
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = track(await ctx.newPage());
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), DEMO.owner, password());
    await navLink(page, "Billing").click();
    await page.getByRole("heading", { name: "Free plan" }).waitFor();
    await settle(page);
    await shot(page, "finance-08-billing-free");
    await page.getByRole("button", { name: "Choose Agency" }).click();
    await page.waitForURL(/checkout\.stripe\.com\/c\/pay\//);
    await page.getByLabel("Card number").waitFor();
    await shot(page, "finance-09-sandbox-checkout");
    await page.getByRole("button", { name: "Start trial" }).click();
    await page.waitForURL(/\/settings\/billing\?checkout=success/);
    // Back on QWEB (APP_URL's host): the same page on the signed-in origin shows the new plan.
    await page.goto(`${base()}/settings/billing`);
    await page.getByRole("heading", { name: "Agency plan" }).waitFor({ timeout: 20_000 });
    await visible(page, "trialing");
    await settle(page);
    await shot(page, "finance-10-billing-agency");
    await ctx.close();
  });
});
