// Every page of the app as the demo owner, member and viewer, on a desktop and a phone: each one
// settles without an error, is screenshotted, and passes axe (no serious or critical violation).
// The owner's run also opens every dialog and menu it can reach and checks those too.
// The tour only reads (a dialog it opens is closed with Escape), so its tests run side by side,
// each in its own browser context: three at a time (`maxConcurrency` in the e2e config).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot, watchProblems } from "./browser.ts";
import { DEMO, essentialCookiesOnly, settle, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
// Side by side on two cores, and beside another browser-test file, a page walk takes two to four
// times as long as alone (40-60 s idle).
const TOUR_TIMEOUT = 420_000;
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

/** The links of the main navigation (the sidebar is a drawer on phones, so read hrefs, not boxes). */
async function navPaths(page: Page): Promise<string[]> {
  return page.locator('nav[aria-label="Main"] a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

async function dialog(page: Page, name: string, open: () => Promise<unknown>) {
  await open();
  const d = page.getByRole("dialog").last();
  await d.waitFor();
  await settle(page);
  await shot(page, `tour-dialog-${name}`);
  await checkA11y(page, `dialog ${name}`);
  await page.keyboard.press("Escape");
  await d.waitFor({ state: "hidden" });
}

async function menu(page: Page, name: string, trigger: RegExp) {
  await page.getByRole("button", { name: trigger }).click();
  await page.getByRole("menu").waitFor();
  await checkA11y(page, `menu ${name}`);
  await page.keyboard.press("Escape");
}

describe.concurrent("a tour of every page", () => {
  it("signed out: every public page, at both sizes", async () => {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const watch = watchProblems(page);
      for (const path of ["/login", "/signup", "/reset-password", "/privacy", "/accept-invitation", "/restore-account", "/no-such-page"]) {
        await page.goto(`${base()}${path}`);
        await settle(page);
        const name = `public-${path.slice(1).replace(/\//g, "-")}-${size}`;
        await shot(page, `tour-${name}`);
        await checkA11y(page, name);
      }
      await dialog(page, `cookie-settings-${size}`, () => page.getByRole("button", { name: "Choose…" }).click());
      expect(watch.problems, size).toEqual([]);
      await context.close();
    }
  }, TOUR_TIMEOUT);

  for (const [who, email] of Object.entries(DEMO)) {
    for (const [size, viewport] of Object.entries(VIEWPORTS)) {
      it(`the demo ${who} on a ${size}: every page in the navigation`, async () => {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        const watch = watchProblems(page);
        await page.goto(`${base()}/login`);
        await essentialCookiesOnly(page);
        await signIn(page, base(), email, inject("demo").password);
        const paths = await navPaths(page);
        expect(paths.length).toBeGreaterThan(4);
        for (const path of paths) {
          await page.goto(`${base()}${path}`);
          await page.getByRole("heading", { level: 1 }).first().waitFor();
          await settle(page);
          const name = `${who}-${path.slice(1).replace(/\//g, "-")}-${size}`;
          await shot(page, `tour-${name}`);
          await checkA11y(page, name);
          // Nothing on the page is wider than the screen (a phone never scrolls sideways).
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect(overflow, `${name}: wider than the screen by ${overflow}px`).toBeLessThanOrEqual(0);
        }
        if (size === "phone") {
          await page.getByRole("button", { name: "Open navigation" }).click();
          await page.getByRole("navigation", { name: "Main" }).waitFor();
          await settle(page);
          await shot(page, `tour-${who}-drawer-phone`);
          await checkA11y(page, `${who} drawer`);
        } else {
          await menu(page, `${who}-organization`, /Switch organization$/);
          await menu(page, `${who}-account`, /Account menu$/);
        }
        expect(watch.problems, `${who} ${size}`).toEqual([]);
        await context.close();
      }, TOUR_TIMEOUT);
    }
  }

  it("the demo owner: every dialog it can open passes axe", async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), DEMO.owner, inject("demo").password);

    await page.goto(`${base()}/workspaces`);
    await page.getByRole("button", { name: /^Rename / }).first().waitFor();
    await dialog(page, "new-workspace", () => page.getByRole("button", { name: "New workspace" }).click());
    await dialog(page, "rename-workspace", () => page.getByRole("button", { name: /^Rename / }).first().click());
    await dialog(page, "delete-workspace", () => page.getByRole("button", { name: /^Delete / }).first().click());

    await page.goto(`${base()}/members`);
    await dialog(page, "invite-member", () => page.getByRole("button", { name: "Invite member" }).click());
    await dialog(page, "invite-portal-user", () => page.getByRole("button", { name: "Invite portal user" }).click());

    await page.goto(`${base()}/integrations`);
    await page.getByRole("button", { name: /^History of Shopify/ }).waitFor();
    await dialog(page, "sync-history", () => page.getByRole("button", { name: /^History of Shopify/ }).click());
    await dialog(page, "connect-woocommerce", () => page.getByRole("button", { name: /^Connect another WooCommerce/ }).click());
    await dialog(page, "disconnect", () => page.getByRole("button", { name: /^Disconnect Shopify/ }).click());

    await page.goto(`${base()}/settings/privacy`);
    await dialog(page, "delete-account", () => page.getByRole("button", { name: "Delete my account" }).click());
    await dialog(page, "cookie-settings", () => page.getByRole("button", { name: "Cookie settings" }).first().click());
    await context.close();
  }, TOUR_TIMEOUT);
});
