import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { apiLogin, http, navLink, settle, shotsOnFailure, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const stamp = Date.now().toString(36);
const agency = { name: "Ada Lovelace", email: `ada-${stamp}@example.test`, password: "analytical engine 1843", org: `Lovelace Digital ${stamp}` };
const client = { name: "Cleo Client", email: `cleo-${stamp}@example.test`, password: "bakery portal password" };
const workspaceName = "Acme Bakery";

describe("foundation journey: happy path", () => {
  it("P02: an agency signs up, creates a workspace, invites a portal viewer who sees only that workspace, read-only", async () => {
    // ---- The agency owner, in the first browser context ----
    const track = shotsOnFailure("journey");
    const owner = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = track(await owner.newPage());
    await page.goto(`${base()}/signup`);
    await essentialCookiesOnly(page);
    await page.getByRole("heading", { name: "Create your QWEB account" }).waitFor();
    await page.getByText(/version of/).waitFor(); // the current policy version is loaded

    // Client-side checks show inline, next to their fields, before anything is sent.
    await page.getByRole("button", { name: "Create account" }).click();
    await visible(page, "Your name is required");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Birth date").fill(`${new Date().getFullYear() - 12}-01-01`);
    await page.getByRole("button", { name: "Create account" }).click();
    await visible(page, "Password must be at least 12 characters");
    await visible(page, "You must be at least 16 years old to use QWEB");
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await shot(page, "journey-01-signup-validation");

    await page.getByLabel("Your name").fill(agency.name);
    await page.getByLabel("Work email").fill(agency.email);
    await page.getByLabel("Password", { exact: true }).fill(agency.password);
    await page.getByLabel("Organization name").fill(agency.org);
    await page.getByLabel("Agency").check();
    await page.getByLabel("Birth date").fill("1990-12-10");
    await page.getByLabel(/I have read and accept/).check();
    await shot(page, "journey-02-signup-filled");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/dashboard$/);
    await visible(page, "Welcome, Ada");
    await settle(page);
    await shot(page, "journey-03-dashboard");

    // ---- A workspace for the client ----
    await navLink(page, "Workspaces").click();
    await visible(page, "No workspaces yet");
    await shot(page, "journey-04-workspaces-empty");
    await page.getByRole("button", { name: "New workspace" }).click();
    const dialog = page.getByRole("dialog", { name: "New workspace" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await dialog.getByText("Name is required").waitFor();
    await dialog.getByLabel("Name").fill(workspaceName);
    await dialog.getByLabel(/Description/).fill("Family bakery, two shops in Lyon");
    await shot(page, "journey-05-new-workspace");
    await dialog.getByRole("button", { name: "Create workspace" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.locator("table").getByRole("button", { name: workspaceName, exact: true }).waitFor();
    await visible(page, `Workspace “${workspaceName}” created`);
    await shot(page, "journey-06-workspace-created");

    // ---- Invite a portal viewer ----
    await navLink(page, "Members & portal").click();
    await visible(page, `Client portal · ${workspaceName}`);
    await visible(page, agency.email);
    await page.getByRole("button", { name: "Invite portal user" }).click();
    const invite = page.getByRole("dialog", { name: "Invite to the client portal" });
    await invite.getByLabel("Email address").fill(client.email);
    expect(await invite.getByLabel("Role").inputValue()).toBe("viewer");
    await shot(page, "journey-07-invite-viewer");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await invite.waitFor({ state: "hidden" });
    await visible(page, `Invitation sent to ${client.email}`);
    await page.getByRole("cell", { name: client.email, exact: true }).waitFor();
    await settle(page);
    await shot(page, "journey-08-invitation-pending");

    // ---- The invitation email, read from the dev mailbox page ----
    await page.goto(`${base()}/dev/mailbox`);
    // Email goes out through the queue, so it may land a moment after the invitation is created.
    const mail = page.locator(`li.mail[data-to="${client.email}"]`).first();
    for (let i = 0; i < 40 && !(await mail.isVisible()); i++) {
      await page.waitForTimeout(500);
      await page.getByRole("button", { name: "Refresh" }).click();
      await settle(page);
    }
    await mail.waitFor({ timeout: 1000 });
    const href = await mail.getByRole("link", { name: /accept-invitation/ }).getAttribute("href");
    const token = new URL(href!).searchParams.get("token");
    expect(token).toBeTruthy();
    await shot(page, "journey-09-dev-mailbox");

    // ---- The client, in a second browser context (no shared cookies) ----
    const portal = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const p2 = track(await portal.newPage());
    await p2.goto(`${base()}/accept-invitation?token=${encodeURIComponent(token!)}`);
    await essentialCookiesOnly(p2);
    await p2.getByRole("heading", { name: `Join ${workspaceName}` }).waitFor();
    expect(await p2.getByLabel("Email").inputValue()).toBe(client.email);
    await p2.getByLabel("Your name").fill(client.name);
    await p2.getByLabel("Birth date").fill("1985-06-30");
    await p2.getByLabel("Choose a password").fill(client.password);
    await p2.getByLabel(/I have read and accept/).check();
    await shot(p2, "journey-10-accept-invitation");
    await p2.getByRole("button", { name: "Create account and join" }).click();
    await p2.waitForURL(/\/workspaces$/);
    await p2.locator("table").getByRole("button", { name: workspaceName, exact: true }).waitFor();
    await settle(p2);
    await shot(p2, "journey-11-viewer-workspaces");

    // Only that workspace, with the viewer role, and no controls that would change anything.
    const rows = p2.locator("table tbody tr");
    expect(await rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.toContain("Viewer");
    await visible(p2, "Read-only");
    for (const name of ["New workspace", /^Rename/, /^Delete/]) expect(await p2.getByRole("button", { name }).count()).toBe(0);
    expect(await navLink(p2, "Activity log").count()).toBe(0);
    expect(await navLink(p2, "Members & portal").count()).toBe(0);
    await p2.getByRole("button", { name: /Acme Bakery.*Switch workspace$/ }).click();
    expect(await p2.getByRole("menuitemradio").count()).toBe(1);
    await settle(p2);
    await shot(p2, "journey-12-viewer-workspace-switcher");
    await p2.keyboard.press("Escape");

    // Members page by URL: the viewer cannot invite anyone.
    await p2.goto(`${base()}/members`);
    await visible(p2, `Client portal · ${workspaceName}`);
    await settle(p2);
    expect(await p2.getByRole("button", { name: /Invite/ }).count()).toBe(0);
    await shot(p2, "journey-13-viewer-members");

    // ---- The API agrees: the viewer reads, and every write answers 403 ----
    const viewerToken = await apiLogin(base(), client.email, client.password);
    const list = await http(base(), "GET", "/api/workspaces", { token: viewerToken });
    expect(list.status).toBe(200);
    expect(list.body.workspaces.map((w: { name: string }) => w.name)).toEqual([workspaceName]);
    const wsId = list.body.workspaces[0].id;
    const rename = await http(base(), "PATCH", `/api/workspaces/${wsId}`, { token: viewerToken, body: { name: "Hijacked" } });
    expect(rename.status, JSON.stringify(rename.body)).toBe(403);
    const invite2 = await http(base(), "POST", `/api/workspaces/${wsId}/invitations`, { token: viewerToken, body: { email: "x@example.test", role: "admin" } });
    expect(invite2.status, JSON.stringify(invite2.body)).toBe(403);
    const del = await http(base(), "DELETE", `/api/workspaces/${wsId}`, { token: viewerToken });
    expect(del.status, JSON.stringify(del.body)).toBe(403);

    // ---- Back with the owner: the invitation is no longer pending and the viewer is listed ----
    await page.goto(`${base()}/members`);
    await page.locator("#portal-users-title").waitFor();
    await page.locator("table").getByText(client.name).waitFor();
    expect(await page.getByRole("cell", { name: client.email, exact: true }).count()).toBe(0);
    await settle(page);
    await shot(page, "journey-14-owner-sees-portal-user");

    await portal.close();
    await owner.close();
  });
});
