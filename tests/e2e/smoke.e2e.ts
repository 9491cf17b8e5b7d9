import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, shot } from "./browser.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("the app as npm start serves it", () => {
  it("serves the web app with a CSP that allows no third-party origin", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${inject("baseUrl")}/login`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-security-policy"]).toContain("default-src 'self'");
    await expect(page.locator("h1").textContent()).resolves.toContain("QWEB");
    await shot(page, "smoke-login");
    await page.close();
  });
});
