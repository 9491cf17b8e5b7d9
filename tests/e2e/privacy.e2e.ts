import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Page } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { http, newAccount, settle, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const stamp = Date.now().toString(36);
const person = { name: "Grace Hopper", email: `grace-${stamp}@example.test`, password: "cobol compiler 1959", org: `Hopper Labs ${stamp}` };

/** Every request the page makes; none may leave the app's own origin. */
function watchOrigins(page: Page) {
  const foreign: string[] = [];
  const origin = new URL(base()).origin;
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["data:", "blob:"].includes(u.protocol) && u.origin !== origin) foreign.push(r.url());
  });
  return foreign;
}

async function analyticsRows(token: string) {
  const res = await http(base(), "GET", "/api/privacy/export", { token });
  return (res.body.tables.analytics_events as { name: string }[]).map((r) => r.name);
}

describe("privacy center in the browser", () => {
  it("P22/P06: the consent banner asks first; with essential only no page view is recorded, after opting in from Cookie settings they are; nothing loads from another origin", async () => {
    const who = { ...person, email: `consent-${stamp}@example.test` };
    await newAccount(base(), who);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const foreign = watchOrigins(page);
    const res = await page.goto(`${base()}/login`);
    const csp = res?.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:\/\//);

    const banner = page.getByRole("region", { name: "Cookie consent" });
    await banner.waitFor();
    await shot(page, "privacy-01-consent-banner");
    await banner.getByRole("button", { name: "Essential only" }).click();
    await banner.waitFor({ state: "detached" });
    await signIn(page, base(), who.email, who.password);
    await page.goto(`${base()}/workspaces`);
    await settle(page);
    const token = (await http(base(), "POST", "/api/auth/login", { body: { email: who.email, password: who.password } })).body.accessToken;
    expect(await analyticsRows(token)).toEqual([]);
    // Functional storage (the remembered organization/workspace) needs functional consent too.
    const remembered = await page.evaluate(() => Object.keys(localStorage).filter((k) => k === "qweb.org" || k === "qweb.workspace"));
    expect(remembered).toEqual([]);

    await page.getByRole("button", { name: "Cookie settings" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Cookie settings" });
    await dialog.waitFor();
    await dialog.getByLabel(/Analytics/).check();
    await shot(page, "privacy-02-cookie-settings");
    await dialog.getByRole("button", { name: "Save choices" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account", exact: true }).click();
    await page.waitForURL(/\/account$/);
    await expect.poll(() => analyticsRows(token), { timeout: 10_000 }).toContain("/account");
    expect(foreign).toEqual([]);
    await context.close();
  });

  it("P19/P13: a user downloads everything QWEB holds about them as a ZIP (with progress), then deletes the account and is signed out everywhere", async () => {
    const account = await newAccount(base(), person);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const foreign = watchOrigins(page);
    await page.goto(`${base()}/login`);
    await page.getByRole("region", { name: "Cookie consent" }).getByRole("button", { name: "Accept all" }).click();
    await signIn(page, base(), person.email, person.password);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Privacy", exact: true }).click();
    await page.waitForURL(/\/settings\/privacy$/);
    await page.getByRole("heading", { name: "Privacy center" }).waitFor();
    await settle(page);
    await shot(page, "privacy-03-center");

    // Download my data: a background export with progress, then a native download of the ZIP.
    await page.getByTestId("export-start").click();
    await page.getByTestId("export-download-zip").waitFor({ timeout: 30_000 });
    await shot(page, "privacy-04-export-ready");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-download-zip").click()]);
    expect(download.suggestedFilename()).toMatch(/^qweb-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const file = path.join(os.tmpdir(), `qweb-export-${stamp}.zip`);
    await download.saveAs(file);
    const zip = unzipSync(new Uint8Array(readFileSync(file)));
    expect(Object.keys(zip)).toEqual(expect.arrayContaining(["README.txt", "manifest.json", "tables/users.json", "tables/memberships.json"]));
    const users = JSON.parse(strFromU8(zip["tables/users.json"]!));
    expect(users).toEqual([expect.objectContaining({ id: account.user.id, email: person.email, name: person.name })]);
    expect(strFromU8(zip["tables/users.json"]!)).not.toContain("password_hash");
    const manifest = JSON.parse(strFromU8(zip["manifest.json"]!));
    expect(manifest.tables.find((t: { table: string }) => t.table === "memberships").count).toBe(1);

    // The download is on record as a completed request.
    await page.reload();
    await page.getByRole("heading", { name: "Your privacy requests" }).waitFor();
    await visible(page, "Portability (machine-readable copy)");

    // Delete my account: password, then signed out and told how to change one's mind.
    await page.getByTestId("delete-account").click();
    const dialog = page.getByRole("dialog", { name: "Delete your account?" });
    await dialog.getByLabel("Your password").fill("not my password at all");
    await dialog.getByTestId("delete-account-confirm").click();
    await dialog.getByText("The password is incorrect").waitFor();
    await dialog.getByLabel("Your password").fill(person.password);
    await shot(page, "privacy-05-delete-confirm");
    await dialog.getByTestId("delete-account-confirm").click();
    await page.waitForURL(/\/restore-account\?deleted=\d+/);
    await visible(page, "You have been signed out everywhere");
    await shot(page, "privacy-06-deleted");

    const login = await http(base(), "POST", "/api/auth/login", { body: { email: person.email, password: person.password } });
    expect(login.status).toBe(403);
    expect(login.body.error.details).toMatchObject({ reason: "account-deleted", restorable: true });
    expect((await http(base(), "GET", "/api/me", { token: account.accessToken })).status).toBe(401);
    expect(foreign).toEqual([]);
    await context.close();
  });
});
