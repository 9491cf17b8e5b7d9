import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { DEMO, navLink, settle, signIn, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const password = () => inject("demo").password;

describe("signing in: happy path", () => {
  it("the demo owner signs in, sees the demo agency, and stays signed in across a reload", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await page.getByRole("heading", { name: "Sign in to QWEB" }).waitFor();
    await shot(page, "login");
    await signIn(page, base(), DEMO.owner, password());
    await visible(page, "Welcome, Olivia");
    await expect(page.getByRole("button", { name: /^Northwind Digital .*Switch organization$/ }).count()).resolves.toBe(1);
    await settle(page);
    await shot(page, "demo-owner-dashboard");

    // The access token lives in memory only: a reload signs back in through the refresh cookie.
    await page.reload();
    await visible(page, "Welcome, Olivia");
    expect(new URL(page.url()).pathname).toBe("/dashboard");
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT readable by scripts

    await navLink(page, "Workspaces").click();
    await visible(page, "Peak Outfitters");
    await visible(page, "Bistro Uno");
    await settle(page);
    await shot(page, "demo-owner-workspaces");

    await navLink(page, "Members & portal").click();
    await visible(page, "Marco Member");
    await settle(page);
    await shot(page, "demo-owner-members");

    await navLink(page, "Activity log").click();
    await page.getByRole("heading", { name: "Activity log" }).waitFor();
    await settle(page);
    await shot(page, "demo-owner-activity");

    await navLink(page, "Account").click();
    await page.getByRole("heading", { name: "Active sessions" }).waitFor();
    await settle(page);
    await shot(page, "demo-owner-account");

    await navLink(page, "API reference").click();
    await page.getByRole("heading", { level: 1, name: "API reference" }).waitFor();
    await visible(page, "/api/workspaces");
    await settle(page);
    await shot(page, "demo-owner-api-reference");

    // The organization switcher opens with the keyboard and lists the organization.
    await page.getByRole("button", { name: /^Northwind Digital .*Switch organization$/ }).focus();
    await page.keyboard.press("ArrowDown");
    await page.getByRole("menuitemradio", { name: /Northwind Digital/ }).waitFor();
    await shot(page, "demo-owner-org-switcher");
    await page.keyboard.press("Escape");
    await context.close();
  });

  it("a signed-out visitor is sent to sign in, then back where they were going", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/workspaces`);
    await essentialCookiesOnly(page);
    await page.waitForURL(/\/login\?next=%2Fworkspaces/);
    await page.getByLabel("Email").fill(DEMO.member);
    await page.getByLabel("Password", { exact: true }).fill(password());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/workspaces$/);
    await visible(page, "Bistro Uno");
    // An organization member is an editor everywhere but does not create or delete workspaces.
    expect(await page.getByRole("button", { name: "New workspace" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Delete / }).count()).toBe(0);
    await context.close();
  });
});

describe("signing in: errors", () => {
  it("a wrong password and an unknown email show the same generic error", async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await page.getByRole("button", { name: "Sign in" }).click();
    await visible(page, "Email is required");
    await shot(page, "login-empty-errors");

    await page.getByLabel("Email").fill(DEMO.owner);
    await page.getByLabel("Password", { exact: true }).fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Incorrect email or password" });
    await alert.waitFor();
    await shot(page, "login-wrong-password");
    expect(new URL(page.url()).pathname).toBe("/login");

    await page.getByLabel("Email").fill("nobody-here@example.test");
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/auth/login"));
    await page.getByRole("button", { name: "Sign in" }).click();
    expect((await answered).status()).toBe(401);
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain("Incorrect email or password.");
    await context.close();
  });
});
