import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { checkA11y, launch, screenshotDir, shot } from "./browser.ts";
import { apiLogin, DEMO, essentialCookiesOnly, http, invitationToken, mailTo, navLink, settle, shotsOnFailure, signIn, visible } from "./app.ts";

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
    await page.getByRole("heading", { name: "Finance", level: 1 }).waitFor();
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
    // Back on QWEB (APP_URL's host): the same return URL on the signed-in origin. The webhook may
    // land after the page loads; the return page polls until it has, as it does for a user.
    await page.goto(`${base()}/settings/billing?checkout=success`);
    await page.getByRole("heading", { name: "Agency plan" }).waitFor({ timeout: 30_000 });
    await page.getByText("Waiting for Stripe's confirmation").waitFor({ state: "detached" });
    await visible(page, "trialing");
    await settle(page);
    await shot(page, "finance-10-billing-agency");
    await ctx.close();
  });
});

describe("finance: logo, budgets and client sign-off", () => {
  // A 96 × 32 PNG would need an encoder; a valid 1 × 1 PNG is enough to prove the upload → settings → PDF path.
  const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

  it("uploads the invoice logo, sets budgets with bars that turn amber at 80 % and red at 100 %, and gets a month's hours signed off in the client portal", async () => {
    const track = shotsOnFailure("finance-more");
    const ownerToken = await apiLogin(base(), DEMO.owner, password());
    const workspaces = (await http(base(), "GET", "/api/workspaces", { token: ownerToken })).body.workspaces as { id: string; name: string; orgId: string }[];
    const bistro = workspaces.find((w) => w.name === "Bistro Uno")!;
    const fin = (p: string) => `/api/orgs/${bistro.orgId}/finance${p}`;
    // Two hours this month for Bistro Uno, so its budgets have something to measure.
    const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    const startedAt = Math.max(monthStart, Date.now() - 150 * 60_000);
    const logged = await http(base(), "POST", fin("/time"), { token: ownerToken, body: { workspaceId: bistro.id, startedAt, endedAt: startedAt + 2 * 3_600_000, timeZone: "UTC", notes: "Budget test work" } });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);

    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = track(await ctx.newPage());
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), DEMO.owner, password());

    // Finance → Settings: the logo, shown back from R2, then drawn on the invoice PDF.
    await page.goto(`${base()}/finance?tab=settings`);
    await page.getByText("No logo yet").waitFor();
    await page.locator("#logo-file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
    await visible(page, "Logo saved");
    await page.getByTestId("logo-preview").waitFor();
    await visible(page, "PNG, 1 × 1 px");
    await settle(page);
    await shot(page, "finance-12-settings-logo");
    await checkA11y(page, "finance-settings");

    // Finance → Budgets: 2 h of 2 h is over (red); 2 h of 2.4 h is past 80 % (amber); 2 h of 100 h is fine.
    await page.goto(`${base()}/finance?tab=budgets`);
    await page.getByText("No budgets yet").waitFor();
    const addBudget = async (client: string, hours: string) => {
      await page.getByRole("button", { name: "Add budget" }).click();
      const d = page.getByRole("dialog", { name: "Add budget" });
      await d.getByLabel("Client").selectOption({ label: client });
      await d.getByLabel("Hours per month").fill(hours);
      await d.getByRole("button", { name: "Save budget" }).click();
      await d.waitFor({ state: "detached" });
    };
    await addBudget("Bistro Uno", "2");
    await addBudget("Peak Outfitters", "100");
    const bistroRow = page.locator(".budget-row", { hasText: "Bistro Uno" });
    await expect.poll(() => bistroRow.getAttribute("data-level")).toBe("over");
    expect(await page.locator(".budget-row", { hasText: "Peak Outfitters" }).getAttribute("data-level")).toBe("ok");
    await bistroRow.getByRole("button", { name: "Edit budget of Bistro Uno" }).click();
    const edit = page.getByRole("dialog", { name: "Edit budget" });
    // axe during the dialog's fade-in reads its colours half-blended: check it once it has settled.
    await edit.waitFor();
    await settle(page);
    await checkA11y(page, "finance-budget-edit");
    // The demo's own entries this month count too (after the 1st there are some): size the amber
    // budget from what the API says is used, so that it lands at about 83 %.
    const budgets = (await http(base(), "GET", fin("/budgets"), { token: ownerToken })).body.budgets as { workspaceId: string; projectId: string | null; used: number }[];
    const used = budgets.find((b) => b.workspaceId === bistro.id && !b.projectId)!.used;
    expect(used).toBeGreaterThanOrEqual(120);
    const amberHours = Math.round((used / 60 / 0.83) * 10) / 10;
    await edit.getByLabel("Hours per month").fill(String(amberHours));
    await edit.getByRole("button", { name: "Save budget" }).click();
    await edit.waitFor({ state: "detached" });
    await expect.poll(() => bistroRow.getAttribute("data-level")).toBe("warn");
    const saved = ((await http(base(), "GET", fin("/budgets"), { token: ownerToken })).body.budgets as { workspaceId: string; projectId: string | null; monthlyLimit: number; percent: number }[])
      .find((b) => b.workspaceId === bistro.id && !b.projectId)!;
    expect(saved.monthlyLimit).toBe(Math.round(amberHours * 60));
    expect(saved.percent).toBeGreaterThanOrEqual(80);
    expect(saved.percent).toBeLessThan(100);
    await visible(page, `${saved.percent} %`);
    await settle(page);
    await shot(page, "finance-13-budgets");
    await checkA11y(page, "finance-budgets");
    await page.locator(".budget-row", { hasText: "Peak Outfitters" }).getByRole("button", { name: "Remove budget of Peak Outfitters" }).click();
    await page.getByRole("dialog", { name: "Remove this budget?" }).getByRole("button", { name: "Remove budget" }).click();
    await page.locator(".budget-row", { hasText: "Peak Outfitters" }).waitFor({ state: "detached" });

    // A portal editor of Bistro Uno (the client's decider), invited through the API.
    const s = Date.now().toString(36);
    const client = { email: `cleo-${s}@example.test`, password: "cleo portal password", name: "Cleo Client" };
    const inv = await http(base(), "POST", `/api/workspaces/${bistro.id}/invitations`, { token: ownerToken, body: { email: client.email, role: "editor" } });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const policy = await http(base(), "GET", "/api/policy");
    const accepted = await http(base(), "POST", "/api/invitations/accept", {
      body: { token: await invitationToken(base(), client.email), password: client.password, name: client.name, birthDate: "1990-01-01", acceptPolicyVersion: policy.body.version },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    // The agency asks for the last five weeks of Bistro Uno's hours.
    await page.goto(`${base()}/finance?tab=signoffs`);
    await page.getByRole("button", { name: "Request sign-off" }).click();
    const ask = page.getByRole("dialog", { name: "Request sign-off" });
    await ask.getByLabel("Client", { exact: true }).selectOption({ label: "Bistro Uno" });
    await ask.getByLabel("From", { exact: true }).fill(isoDay(Date.now() - 35 * 86_400_000));
    await ask.getByLabel("To", { exact: true }).fill(isoDay(Date.now()));
    await ask.getByLabel(/Message to the client/).fill("Hours for the autumn campaign");
    await checkA11y(page, "finance-signoff-request");
    await ask.getByRole("button", { name: "Send request" }).click();
    await visible(page, /Sign-off requested: \d+ entries/);
    await visible(page, "awaiting client");
    await settle(page);
    await shot(page, "finance-14-signoff-requested");

    // The client sees it in the portal, on a phone, with its entries and totals, and approves.
    const portalCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const portal = track(await portalCtx.newPage());
    await portal.goto(`${base()}/login`);
    await essentialCookiesOnly(portal);
    await signIn(portal, base(), client.email, client.password);
    await portal.goto(`${base()}/signoffs`);
    await portal.getByRole("heading", { name: "Hours sign-off" }).waitFor();
    await portal.getByTestId("signoff-total").waitFor();
    await visible(portal, "Budget test work");
    await visible(portal, "Hours for the autumn campaign");
    await settle(portal);
    await shot(portal, "finance-15-portal-signoff-phone");
    await checkA11y(portal, "portal-signoff");
    expect(await portal.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await portal.getByLabel(/Comment/).fill("Approved, thanks");
    await portal.getByRole("button", { name: "Approve hours" }).click();
    await visible(portal, "Hours approved");
    await visible(portal, "approved by Cleo Client");
    await settle(portal);
    await shot(portal, "finance-16-portal-approved");
    await portalCtx.close();

    // The agency sees the answer; the approved entries refuse edits until it reopens them.
    await page.reload();
    await visible(page, "Cleo Client: “Approved, thanks”");
    const [signoff] = (await http(base(), "GET", fin("/signoffs"), { token: ownerToken })).body.signoffs;
    expect(signoff.status).toBe("approved");
    const detail = (await http(base(), "GET", fin(`/signoffs/${signoff.id}`), { token: ownerToken })).body;
    // The entry logged above (the happy path may have invoiced the older ones, which lock for that reason).
    const mine = detail.entries.find((e: { notes: string }) => e.notes === "Budget test work");
    const locked = await http(base(), "PATCH", fin(`/time/${mine.id}`), { token: ownerToken, body: { notes: "changed after approval" } });
    expect(locked.status).toBe(409);
    expect(locked.body.error.message).toMatch(/sign-off/);
    const notices = (await http(base(), "GET", "/api/notifications", { token: ownerToken })).body.notifications as { title: string }[];
    expect(notices.some((n) => /Bistro Uno signed off/.test(n.title))).toBe(true);
    await settle(page);
    await shot(page, "finance-17-signoff-approved");
    await page.getByRole("button", { name: "Reopen" }).first().click();
    await page.getByRole("dialog", { name: "Reopen these hours?" }).getByRole("button", { name: "Reopen" }).click();
    await visible(page, "Hours reopened");
    expect((await http(base(), "PATCH", fin(`/time/${mine.id}`), { token: ownerToken, body: { notes: "Budget test work, reopened" } })).status).toBe(200);
    await ctx.close();
  });
});
