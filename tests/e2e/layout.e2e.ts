// What a person trips on first: a cookie banner over a form, tables that hide their buttons on a phone.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { apiLogin, DEMO, essentialCookiesOnly, http, settle, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const SIZES = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
];

/** The element a click at the centre of `target` would hit is `target` (or inside it): nothing covers it. */
async function hitsItself(target: Locator) {
  await target.scrollIntoViewIfNeeded();
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    const inView = y >= 0 && y <= window.innerHeight && x >= 0 && x <= window.innerWidth;
    return { inView, covered: !hit || !(el === hit || el.contains(hit) || hit.contains(el)), hit: hit?.outerHTML.slice(0, 120) ?? null };
  });
}

describe("the cookie banner never covers a form", () => {
  for (const size of SIZES) {
    it(`sign-up at ${size.width}×${size.height}: the policy checkbox and Create account stay visible and clickable with the banner up`, async () => {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      await page.goto(`${base()}/signup`);
      await page.getByRole("region", { name: "Cookie consent" }).waitFor();
      await settle(page);
      for (const target of [page.getByRole("checkbox").last(), page.getByRole("button", { name: "Create account" })]) {
        const r = await hitsItself(target);
        expect(r, JSON.stringify(r)).toMatchObject({ inView: true, covered: false });
      }
      await page.screenshot({ path: `${import.meta.dirname}/screenshots/layout-signup-banner-${size.name}.png` });
      await context.close();
    });
  }
});

/** Every table's last column (the row actions) is on screen, or its scroller reaches it. */
async function lastColumnsReachable(page: Page, label: string) {
  const tables = page.locator("table");
  const n = await tables.count();
  expect(n, `${label}: tables`).toBeGreaterThan(0);
  for (let t = 0; t < n; t++) {
    const cells = tables.nth(t).locator("tbody tr td:last-child");
    for (let i = 0; i < (await cells.count()); i++) {
      const buttons = cells.nth(i).locator("button, a, select");
      for (let b = 0; b < (await buttons.count()); b++) {
        const button = buttons.nth(b);
        const r = await hitsItself(button);
        expect(r, `${label}: table ${t + 1}, row ${i + 1}, control ${b + 1}: ${JSON.stringify(r)}`).toMatchObject({ inView: true, covered: false });
      }
    }
  }
  // Nothing widens the page itself: a phone never scrolls sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${label}: page wider than the screen`).toBeLessThanOrEqual(0);
}

describe("tables on a 390 px phone", () => {
  it("Members, Integrations, Workspaces, Activity and Account: every row's buttons are on screen", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    // Something for the activity log to list: the demo seed writes no entries.
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const [wsId] = inject("demo").workspaceIds;
    const ws = await http(base(), "GET", `/api/workspaces/${wsId}`, { token });
    expect((await http(base(), "PATCH", `/api/workspaces/${wsId}`, { token, body: { name: ws.body.name ?? ws.body.workspace?.name } })).status).toBe(200);
    for (const [path, ready] of [
      ["/members", "Marco Member"],
      ["/integrations", "Mailchimp"],
      ["/workspaces", "Bistro Uno"],
      ["/activity", "Sign-ins, changes and access decisions"],
      ["/account", "Active sessions"],
    ] as const) {
      await page.goto(`${base()}${path}`);
      await page.getByText(ready).first().waitFor();
      await page.locator("table").first().waitFor();
      await settle(page);
      await shot(page, `layout-phone-${path.slice(1)}`);
      await lastColumnsReachable(page, path);
    }
    await context.close();
  });
});
