import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { essentialCookiesOnly, http, newAccount, settle, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const stamp = Date.now().toString(36);

/** The titles of the checklist's steps that read "(done)". */
async function doneSteps(page: Page) {
  await page.getByRole("heading", { name: "Get started" }).waitFor();
  await settle(page);
  const steps = page.locator(".step");
  const out: string[] = [];
  for (let i = 0; i < (await steps.count()); i++) {
    const title = (await steps.nth(i).locator("h3").innerText()).trim();
    if (title.includes("(done)")) out.push(title.replace("(done)", "").trim());
  }
  return out;
}

describe("the dashboard's checklist reflects what is done", () => {
  it("ticks a step when its workspace, invitation or integration exists, and says how many are done", async () => {
    const who = { name: "Nina New", email: `nina-${stamp}@example.test`, password: "onboarding password", org: `Nina Agency ${stamp}` };
    const account = await newAccount(base(), who);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base()}/login`);
    await essentialCookiesOnly(page);
    await signIn(page, base(), who.email, who.password);
    expect(await doneSteps(page)).toEqual([]);
    await page.getByText("0 of 3 done.").waitFor();

    const token = account.accessToken;
    const ws = await http(base(), "POST", "/api/workspaces", { token, body: { orgId: account.organization.id, name: "First Client" } });
    expect(ws.status, JSON.stringify(ws.body)).toBe(201);
    const inv = await http(base(), "POST", `/api/orgs/${account.organization.id}/invitations`, { token, body: { email: `colleague-${stamp}@example.test`, role: "member" } });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    await page.reload();
    expect(await doneSteps(page)).toEqual(["Create a workspace", "Invite your team and clients"]);

    const key = `sandbox_${stamp}`;
    const conn = await http(base(), "POST", `/api/workspaces/${ws.body.id}/integrations/woocommerce/connect`, {
      token,
      body: { fields: { storeUrl: `https://nina-${stamp}.example`, consumerKey: `ck_${key}`, consumerSecret: `cs_${key}` } },
    });
    expect(conn.status, JSON.stringify(conn.body)).toBe(201);
    await page.reload();
    // With every step done the checklist gives way to the dashboard: the new source's freshness shows, the checklist does not.
    await page.getByText("WooCommerce", { exact: true }).first().waitFor();
    await settle(page);
    expect(await page.getByRole("heading", { name: "Get started" }).count()).toBe(0);
    await shot(page, "onboarding-all-done");
    await checkA11y(page, "dashboard all done");
    await context.close();
  });
});
