import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { DEMO, http, mailTo, settle, shotsOnFailure, signIn, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");

describe("public pages: happy path", () => {
  it("the privacy policy renders from GET /api/policy/text", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base()}/privacy`);
    await essentialCookiesOnly(page);
    await page.getByRole("heading", { level: 1, name: /Privacy Policy/i }).waitFor();
    await page.getByRole("heading", { level: 2, name: /Information We Collect/ }).waitFor();
    const policy = await http(base(), "GET", "/api/policy");
    await visible(page, `Version ${policy.body.version}`);
    await shot(page, "privacy-policy");
    await page.close();
  });

  it("a forgotten password is reset through the emailed link, then the new one signs in", async () => {
    const stamp = Date.now().toString(36);
    const email = `reset-${stamp}@example.test`;
    const policy = await http(base(), "GET", "/api/policy");
    const created = await http(base(), "POST", "/api/auth/signup", {
      body: { email, password: "the first password", name: "Rita Reset", organizationName: `Reset Co ${stamp}`, organizationKind: "business", birthDate: "1992-03-04", acceptPolicyVersion: policy.body.version },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = shotsOnFailure("reset")(await context.newPage());
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Reset your password" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await visible(page, "Check your inbox");
    await shot(page, "reset-requested");

    const mail = await mailTo(base(), email);
    const link = /https?:\/\/\S+\/reset-password\?token=[^\s]+/.exec(mail.text)?.[0];
    expect(link, mail.text).toBeTruthy();
    const token = new URL(link!).searchParams.get("token")!;
    await page.goto(`${base()}/reset-password?token=${encodeURIComponent(token)}`);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    await page.getByLabel("New password", { exact: true }).fill("the second password");
    await page.getByLabel("Confirm new password").fill("the second passwort");
    await page.getByRole("button", { name: "Change password" }).click();
    await visible(page, "The passwords do not match");
    await page.getByLabel("Confirm new password").fill("the second password");
    await shot(page, "reset-confirm");
    await page.getByRole("button", { name: "Change password" }).click();
    await visible(page, "Password changed");
    await shot(page, "reset-done");

    // The link works once.
    await page.goto(`${base()}/reset-password?token=${encodeURIComponent(token)}`);
    await page.getByLabel("New password", { exact: true }).fill("a third password!!");
    await page.getByLabel("Confirm new password").fill("a third password!!");
    await page.getByRole("button", { name: "Change password" }).click();
    await visible(page, "This reset link is invalid or has expired");

    await signIn(page, base(), email, "the second password");
    await visible(page, "Welcome, Rita");
    await context.close();
  });

  it("unknown paths answer a friendly 404 page", async () => {
    const page = shotsOnFailure("404")(await browser.newPage());
    await page.goto(`${base()}/no/such/page`);
    await page.getByRole("heading", { name: "This page does not exist" }).waitFor();
    await page.close();
  });
});

describe("small screens", () => {
  const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

  async function drawer(page: Page) {
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    await page.waitForTimeout(300); // the drawer slides in
  }

  it("the sign-in page and the app shell fit a phone, with the navigation in a drawer", async () => {
    const context = await browser.newContext(phone);
    const page = shotsOnFailure("phone")(await context.newPage());
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await page.getByRole("heading", { name: "Sign in to QWEB" }).waitFor();
    await shot(page, "mobile-login");
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await settle(page);
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    await shot(page, "mobile-dashboard");
    await drawer(page);
    await shot(page, "mobile-navigation");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workspaces", exact: true }).click();
    await visible(page, "Bistro Uno");
    expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
    await settle(page);
    await shot(page, "mobile-workspaces");
    // Nothing overflows the phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await context.close();
  });
});
