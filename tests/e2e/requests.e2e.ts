import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, shot, watchProblems } from "./browser.ts";
import { DEMO, essentialCookiesOnly, navLink, settle, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");

describe("no request the page knows will fail", () => {
  it("a signed-out load asks for no refresh and gets no error; a signed-in one asks nothing of the operator API", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const watch = watchProblems(page);

    for (const path of ["/login", "/signup", "/privacy", "/"]) {
      await page.goto(`${base()}${path}`);
      await settle(page);
    }
    await essentialCookiesOnly(page);
    expect(watch.requests.filter((r) => r.includes("/api/auth/refresh")), "signed out: no refresh attempt").toEqual([]);
    expect(watch.problems, "signed out").toEqual([]);

    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await visible(page, "Welcome, Olivia");
    await settle(page);
    // A reload restores the session through the refresh cookie, once.
    watch.clear();
    await page.reload();
    await visible(page, "Welcome, Olivia");
    await settle(page);
    expect(watch.requests.filter((r) => r === "POST /api/auth/refresh")).toHaveLength(1);
    for (const link of ["Workspaces", "Members & portal", "Integrations", "Activity log", "Notifications", "Account", "Privacy"]) {
      await navLink(page, link).click();
      await settle(page);
    }
    expect(watch.requests.filter((r) => r.startsWith("GET /api/operator")), "a non-operator never asks the operator API").toEqual([]);
    expect(watch.problems, "signed in").toEqual([]);

    // Signing out clears the hint: the next load is a signed-out one again.
    await page.getByRole("button", { name: /Account menu/ }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    watch.clear();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in to QWEB" }).waitFor();
    await settle(page);
    await shot(page, "requests-signed-out-again");
    expect(watch.requests.filter((r) => r.includes("/api/auth/refresh"))).toEqual([]);
    expect(watch.problems, "after sign-out").toEqual([]);
    await context.close();
  });
});
