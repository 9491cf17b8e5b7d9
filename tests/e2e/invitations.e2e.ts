import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch, shot } from "./browser.ts";
import { apiLogin, DEMO, http, invitationToken, navLink, newAccount, settle, shotsOnFailure, signIn, visible, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const ORG = "Northwind Digital (demo agency)";

describe("invitations: happy path", () => {
  it("P02: an existing account accepts an organization invitation with its password, then switches organizations", async () => {
    const s = stamp();
    const invitee = { email: `sam-${s}@example.test`, password: "sam's own password", name: "Sam Studio", org: `Sam Studio ${s}` };
    await newAccount(base(), invitee);

    const track = shotsOnFailure("invite-member");
    const owner = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = track(await owner.newPage());
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await essentialCookiesOnly(page);
    await navLink(page, "Members & portal").click();
    await page.getByRole("button", { name: "Invite member" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite a team member" });
    await dialog.getByLabel("Email address").fill("not-an-email");
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await dialog.getByText("Enter a valid email address").waitFor();
    await dialog.getByLabel("Email address").fill(invitee.email);
    await dialog.getByLabel("Role").selectOption("admin");
    await shot(page, "invite-member");
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await visible(page, `Invitation sent to ${invitee.email}`);
    await owner.close();

    const token = await invitationToken(base(), invitee.email);
    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const p2 = track(await context.newPage());
    await p2.goto(`${base()}/accept-invitation?token=${encodeURIComponent(token)}`);
    await essentialCookiesOnly(p2);
    await p2.getByRole("heading", { name: `Join ${ORG}` }).waitFor();
    expect(await p2.getByLabel("Your name").count()).toBe(0); // an existing account only proves itself
    await p2.getByLabel("Your password").fill("not sam's password");
    await p2.getByRole("button", { name: "Accept invitation" }).click();
    await visible(p2, "Incorrect password for this account.");
    await shot(p2, "accept-existing-wrong-password");
    await p2.getByLabel("Your password").fill(invitee.password);
    await p2.getByRole("button", { name: "Accept invitation" }).click();
    await p2.waitForURL(/\/dashboard$/);

    // Both organizations are in the switcher; picking one shows its workspaces.
    await p2.getByRole("button", { name: /Switch organization$/ }).click();
    const items = p2.getByRole("menuitemradio");
    await items.first().waitFor();
    expect((await items.allTextContents()).join(" | ")).toContain(ORG);
    expect((await items.allTextContents()).join(" | ")).toContain(invitee.org);
    await settle(p2);
    await shot(p2, "org-switcher-two-orgs");
    await p2.getByRole("menuitemradio", { name: new RegExp(ORG.replace(/[()]/g, "\\$&")) }).click();
    await navLink(p2, "Workspaces").click();
    await visible(p2, "Bistro Uno");
    await visible(p2, "Peak Outfitters");
    expect(await p2.getByRole("button", { name: "New workspace" }).count()).toBe(1); // an org admin creates workspaces
    await context.close();
  });
});

describe("invitations: revoking", () => {
  it("a revoked invitation's link stops working; a portal user's role changes and their access is revoked", async () => {
    const s = stamp();
    const revokedEmail = `rex-${s}@example.test`;
    const portalUser = { email: `zoe-${s}@example.test`, password: "zoe portal password", name: "Zoe Portal" };
    const ownerToken = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const peak = (await http(base(), "GET", "/api/workspaces", { token: ownerToken })).body.workspaces.find((w: { name: string }) => w.name === "Peak Outfitters");

    // Zoe becomes a viewer of Peak Outfitters through the API.
    const inv = await http(base(), "POST", `/api/workspaces/${peak.id}/invitations`, { token: ownerToken, body: { email: portalUser.email, role: "viewer" } });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const policy = await http(base(), "GET", "/api/policy");
    const accepted = await http(base(), "POST", "/api/invitations/accept", {
      body: { token: await invitationToken(base(), portalUser.email), password: portalUser.password, name: portalUser.name, birthDate: "1990-01-01", acceptPolicyVersion: policy.body.version },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    const track = shotsOnFailure("revoke");
    const owner = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const page = track(await owner.newPage());
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await essentialCookiesOnly(page);
    await page.getByRole("button", { name: /Switch workspace$/ }).click();
    await page.getByRole("menuitemradio", { name: /Peak Outfitters/ }).click();
    await navLink(page, "Members & portal").click();
    await visible(page, "Client portal · Peak Outfitters");

    // Invite, then revoke before it is accepted.
    await page.getByRole("button", { name: "Invite portal user" }).click();
    const dialog = page.getByRole("dialog", { name: "Invite to the client portal" });
    await dialog.getByLabel("Email address").fill(revokedEmail);
    await dialog.getByLabel("Role").selectOption("editor");
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await page.getByRole("cell", { name: revokedEmail, exact: true }).waitFor();
    await page.getByRole("button", { name: `Revoke invitation for ${revokedEmail}` }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke invitation?" });
    await confirm.waitFor();
    await settle(page);
    await shot(page, "revoke-invitation-confirm");
    await confirm.getByRole("button", { name: "Revoke invitation" }).click();
    await visible(page, `Invitation to ${revokedEmail} revoked`);
    await page.getByRole("cell", { name: revokedEmail, exact: true }).waitFor({ state: "detached" });

    const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
    const p2 = track(await context.newPage());
    await p2.goto(`${base()}/accept-invitation?token=${encodeURIComponent(await invitationToken(base(), revokedEmail))}`);
    await essentialCookiesOnly(p2);
    await p2.getByRole("heading", { name: "This invitation can’t be used" }).waitFor();
    await shot(p2, "revoked-invitation-link");
    await context.close();

    // Zoe: viewer → editor, then no access at all.
    await page.reload();
    await page.getByRole("combobox", { name: `Role for ${portalUser.name}` }).selectOption("editor");
    await visible(page, `${portalUser.name} is now editor`);
    const users = await http(base(), "GET", `/api/workspaces/${peak.id}/portal-users`, { token: ownerToken });
    expect(users.body.users.find((u: { email: string }) => u.email === portalUser.email)?.role).toBe("editor");
    await settle(page);
    await shot(page, "portal-user-role-changed");

    await page.getByRole("button", { name: `Revoke access for ${portalUser.name}` }).click();
    await page.getByRole("dialog", { name: "Revoke portal access?" }).getByRole("button", { name: "Revoke access" }).click();
    await visible(page, `${portalUser.name} no longer has access to Peak Outfitters`);
    const after = await http(base(), "GET", "/api/workspaces", { token: accepted.body.accessToken });
    expect(after.status).toBe(200);
    expect(after.body.workspaces).toEqual([]);
    await owner.close();
  });
});
