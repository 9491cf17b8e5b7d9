import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { essentialCookiesOnly, http, invitationToken, newAccount, settle, shotsOnFailure, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const stamp = Date.now().toString(36);

describe("content studio in the browser", () => {
  it("generates a social post offline, sends it for approval, and the client's portal editor approves it", async () => {
    const track = shotsOnFailure("content");
    const who = { name: "Olga Owner", email: `olga-${stamp}@example.test`, password: "content studio password", org: `Olga Agency ${stamp}` };
    const account = await newAccount(base(), who);
    const token = account.accessToken;
    const ws = await http(base(), "POST", "/api/workspaces", { token, body: { orgId: account.organization.id, name: "Trattoria Sole" } });
    expect(ws.status).toBe(201);
    const workspaceId = ws.body.id as string;

    // The client's portal editor, invited and accepted; the workspace lets portal editors approve.
    const clientEmail = `cleo-${stamp}@example.test`;
    expect((await http(base(), "POST", `/api/workspaces/${workspaceId}/invitations`, { token, body: { email: clientEmail, role: "editor" } })).status).toBe(201);
    const invite = await invitationToken(base(), clientEmail);
    const policy = await http(base(), "GET", "/api/policy");
    const accepted = await http(base(), "POST", "/api/invitations/accept", { body: { token: invite, password: "client portal password", name: "Cleo Client", birthDate: "1985-03-04", acceptPolicyVersion: policy.body.version } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect((await http(base(), "PUT", `/api/workspaces/${workspaceId}/approval-policies/content`, { token, body: { approvers: ["admin", "portal_editor"] } })).status).toBe(200);

    const ownerCtx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = track(await ownerCtx.newPage());
    await signIn(page, base(), who.email, who.password);
    await essentialCookiesOnly(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Content", exact: true }).click();
    await page.getByRole("heading", { name: "Content studio" }).waitFor();
    await visible(page, "Nothing generated yet");
    await page.getByLabel("Brief", { exact: true }).fill("Our truffle pasta week starts Monday");
    await page.getByLabel("X", { exact: true }).check();
    await settle(page);
    await shot(page, "content-01-brief");
    await checkA11y(page, "content studio");
    await page.getByRole("button", { name: "Generate" }).click();

    const first = page.getByRole("article", { name: "Social post — variant 1" });
    await first.waitFor({ timeout: 30_000 });
    await page.getByRole("article", { name: "Social post — variant 2" }).waitFor();
    await expect(first.getByText("Our truffle pasta week starts Monday").first().isVisible()).resolves.toBe(true);
    await settle(page);
    await shot(page, "content-02-variants");
    await checkA11y(page, "content studio with variants");
    await first.getByRole("button", { name: "Send for approval" }).click();
    await first.getByText("In review").waitFor();
    await shot(page, "content-03-sent");

    // The portal editor gets the notice, opens the item and approves it.
    const clientCtx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const client = track(await clientCtx.newPage());
    await signIn(client, base(), clientEmail, "client portal password");
    await essentialCookiesOnly(client);
    await client.goto(`${base()}/notifications`);
    await visible(client, "Content waiting for your approval");
    await client.getByRole("link", { name: "Open" }).first().click();
    await client.waitForURL(/\/content\/[0-9a-f-]{36}$/);
    await client.getByRole("heading", { name: "Prompt and context" }).waitFor();
    await visible(client, "In review");
    await settle(client);
    await shot(client, "content-04-portal-review");
    await checkA11y(client, "content item");
    await client.getByRole("button", { name: "Approve" }).click();
    await client.getByRole("list", { name: "Approval trail" }).getByText("Approved by portal editor").waitFor();
    await shot(client, "content-05-approved");

    // The owner's library shows it approved.
    await page.goto(`${base()}/content/library`);
    await page.getByRole("heading", { name: "Content library" }).waitFor();
    await page.getByLabel("Status").selectOption("approved");
    // The filtered list replaces the unfiltered one (two drafts) once it loads.
    await page.locator(".library-card").nth(1).waitFor({ state: "detached" });
    await page.locator(".library-card").first().waitFor();
    expect(await page.locator(".library-card").count()).toBe(1);
    await settle(page);
    await shot(page, "content-06-library");
    await checkA11y(page, "content library");
    await ownerCtx.close();
    await clientCtx.close();
  });
});
