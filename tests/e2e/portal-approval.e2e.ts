// The client approves in the portal: an agency names its client's portal editors as the approvers of
// posts and email campaign sends (Approvals → policy), composes a Facebook post and writes a campaign
// with AI, both scheduled; they wait. The client's portal editor signs in, sees both under "What
// waits for me", approves them; the agency sees the post and the send approved and scheduled.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { essentialCookiesOnly, http, invitationToken, navLink, newAccount, settle, shotsOnFailure, signIn, visible } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const sandbox = () => inject("sandboxUrl");
const stamp = Date.now().toString(36);

/** "YYYY-MM-DDTHH:mm" of `ms` as a wall clock in `tz` (what the datetime-local field takes). */
function wallClock(ms: number, tz: string) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

async function openApprovals(page: Page) {
  await navLink(page, "Approvals").click();
  await page.getByRole("heading", { name: "Approvals", exact: true }).waitFor();
  await settle(page);
}

/** Only the client's portal editors approve this kind (the agency cannot wave it through). */
async function portalEditorsApprove(page: Page, kind: string) {
  const policy = page.getByRole("group", { name: kind });
  await policy.getByLabel("Client portal editors").check();
  await policy.getByLabel("Team editors").uncheck();
  await policy.getByLabel("Team admins").uncheck();
  await policy.getByRole("button", { name: "Save" }).click();
  await visible(page, `Saved: ${kind}`);
}

describe("client approval in the portal", () => {
  it("the client's portal editor approves a post and a campaign send the agency proposed; the agency sees both scheduled", async () => {
    const track = shotsOnFailure("portal-approval");
    const agency = { name: "Ada Agency", email: `ada-${stamp}@example.test`, password: "agency portal password", org: `Ada Agency ${stamp}` };
    const client = { name: "Carla Client", email: `carla-${stamp}@example.test`, password: "client portal password" };
    const account = await newAccount(base(), agency);
    const token = account.accessToken;
    const ws = await http(base(), "POST", "/api/workspaces", { token, body: { orgId: account.organization.id, name: "Harbor Bakery" } });
    expect(ws.status).toBe(201);
    const wsId = ws.body.id as string;
    const key = `pk_sandbox_portal${stamp}`;
    await fetch(`${sandbox()}/_sandbox/klaviyo/config`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ key, relaxed: true }) });
    expect((await http(base(), "POST", `/api/workspaces/${wsId}/integrations/klaviyo/connect`, { token, body: { fields: { apiKey: key } } })).status).toBe(201);

    // The client gets portal access as an editor of their workspace (invitation by email, accepted).
    const inv = await http(base(), "POST", `/api/workspaces/${wsId}/invitations`, { token, body: { email: client.email, role: "editor" } });
    expect(inv.status, JSON.stringify(inv.body)).toBe(201);
    const policyVersion = (await http(base(), "GET", "/api/policy")).body.version;
    const accepted = await http(base(), "POST", "/api/invitations/accept", {
      body: { token: await invitationToken(base(), client.email), password: client.password, name: client.name, birthDate: "1985-04-04", acceptPolicyVersion: policyVersion },
    });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    // ---- the agency: Meta through the sandbox's consent page, the policy, a post and a campaign.
    const ctxA = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const a = track(await ctxA.newPage());
    await signIn(a, base(), agency.email, agency.password);
    await essentialCookiesOnly(a);
    await a.goto(`${base()}/integrations`);
    await a.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    await a.getByRole("button", { name: "Connect Meta (Facebook, Instagram, Ads)" }).click();
    await a.getByRole("button", { name: "Approve" }).click();
    await a.waitForURL(/\/integrations$/);
    await a.locator("tr", { hasText: "Meta (Facebook, Instagram, Ads)" }).getByText("Active").waitFor({ timeout: 60_000 });

    await openApprovals(a);
    await portalEditorsApprove(a, "Publish a post");
    await portalEditorsApprove(a, "Send an email campaign");
    const sendPolicy = a.getByRole("group", { name: "Send an email campaign" });
    await sendPolicy.getByLabel("Max campaign sends per day").waitFor();
    await sendPolicy.getByLabel("Max list size (members)").waitFor();
    await settle(a);
    await shot(a, "portal-approval-01-policy");
    await checkA11y(a, "approvals policy");
    const settings = await http(base(), "GET", `/api/workspaces/${wsId}/actions/settings`, { token });
    for (const kind of ["publish_post", "send_campaign"]) expect(settings.body.settings.find((s: { kind: string }) => s.kind === kind)).toMatchObject({ approvers: ["portal_editor"], autopilot: false });

    // A Facebook post two hours ahead: it waits for the client.
    const pages = (await http(base(), "GET", `/api/workspaces/${wsId}/publishing/channels`, { token })).body.channels.filter((c: { network: string }) => c.network === "facebook");
    expect(pages.length).toBeGreaterThan(0);
    const tz = (await http(base(), "GET", `/api/workspaces/${wsId}/publishing/posts?list=queue`, { token })).body.timeZone as string;
    await navLink(a, "Content").click();
    await a.getByRole("link", { name: "Compose" }).first().click();
    await a.getByRole("heading", { name: "Compose", level: 1 }).waitFor();
    await a.getByLabel(`Facebook · ${pages[0].name}`, { exact: true }).check();
    const text = `Fresh sourdough every morning from 7 ${stamp}`;
    await a.getByLabel("Post text").fill(text);
    const postAt = Date.now() + 2 * 3_600_000;
    await a.getByLabel(`Date and time (${tz})`).fill(wallClock(postAt, tz));
    await a.getByRole("button", { name: "Schedule" }).click();
    await a.waitForURL(/\/content\/queue$/);
    const queued = a.locator(".card, article, li, tr").filter({ hasText: text.slice(0, 30) }).first();
    await queued.getByText("Approval: Waiting for approval").waitFor();
    await settle(a);
    await shot(a, "portal-approval-02-post-waiting");

    // A campaign written with AI from a brief, scheduled for tomorrow: it waits for the client too.
    await a.goto(`${base()}/email/new`);
    await a.getByRole("heading", { name: "New email campaign" }).waitFor();
    const listPicker = a.getByLabel("List or audience");
    await expect.poll(async () => (await listPicker.locator("option").count()) > 0, { timeout: 30_000 }).toBe(true);
    await a.getByLabel("Brief for a new AI email").fill("Announce our new sourdough subscription, first week free");
    await a.getByRole("button", { name: "Write with AI" }).click();
    await a.getByRole("status").filter({ hasText: /Queued|Writing|Done/ }).first().waitFor();
    await expect.poll(() => a.getByLabel("Subject", { exact: true }).inputValue(), { timeout: 60_000 }).not.toBe("");
    await visible(a, /^Filled from “/);
    const subject = await a.getByLabel("Subject", { exact: true }).inputValue();
    expect(await a.getByLabel("Body (HTML)").inputValue()).toContain("<h2");
    await expect.poll(async () => (await a.getByLabel("AI email", { exact: true }).locator("option").count()) > 1).toBe(true);
    await settle(a);
    await shot(a, "portal-approval-03-campaign-from-ai");
    await checkA11y(a, "campaign editor with AI");
    await a.getByRole("button", { name: "Save draft" }).click();
    await a.waitForURL(/\/email\/[0-9a-f-]{36}$/);
    const campaignId = a.url().split("/").pop()!;
    const saved = await http(base(), "GET", `/api/workspaces/${wsId}/campaigns/${campaignId}`, { token });
    expect(saved.body.campaign).toMatchObject({ subject, contentId: expect.any(String) });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await a.getByLabel("Date").fill(tomorrow);
    await a.getByLabel(/^Time \(UTC\)/).fill("09:30");
    await a.getByRole("button", { name: "Schedule", exact: true }).click();
    await visible(a, "Waiting for approval");
    // The agency is not among this send's approvers: no approve button for it.
    expect(await a.getByRole("button", { name: "Approve send" }).count()).toBe(0);
    await settle(a);
    await shot(a, "portal-approval-04-send-waiting");

    // ---- the client, in the portal.
    const ctxC = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const c = track(await ctxC.newPage());
    await signIn(c, base(), client.email, client.password);
    await essentialCookiesOnly(c);
    await openApprovals(c);
    await c.getByRole("heading", { name: "What waits for me" }).waitFor();
    const post = c.getByRole("article", { name: /^Publish "/ }).filter({ hasText: "Publish a post" });
    const send = c.getByRole("article", { name: new RegExp(`^Send the email "${subject.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`) });
    await post.waitFor();
    await send.waitFor();
    // A portal editor does not set the policy: that card is the agency's.
    expect(await c.getByRole("heading", { name: "Approval policy and autopilot" }).count()).toBe(0);
    await settle(c);
    await shot(c, "portal-approval-05-portal-waiting");
    await checkA11y(c, "portal approvals");
    await post.getByRole("button", { name: "Approve" }).click();
    await visible(c, "Approved");
    await send.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => c.getByRole("article").count(), { timeout: 15_000 }).toBe(0);
    await visible(c, "Nothing waits for you");
    await c.getByRole("button", { name: "All actions", exact: true }).click();
    await c.getByRole("article", { name: /^Publish "/ }).getByText("Scheduled", { exact: true }).waitFor();
    await c.setViewportSize({ width: 390, height: 844 });
    await settle(c);
    expect(await c.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(c, "portal-approval-06-portal-approved-phone");
    await checkA11y(c, "portal approvals on a phone");

    // ---- the agency sees both approved by the client and scheduled.
    const clientId = accepted.body.user.id as string;
    const actions = (await http(base(), "GET", `/api/workspaces/${wsId}/actions`, { token })).body.actions as { kind: string; state: string; approvedAs: string | null; approvedBy: string | null; approvedByName: string | null }[];
    for (const kind of ["publish_post", "send_campaign"]) {
      expect(actions.find((x) => x.kind === kind)).toMatchObject({ state: "scheduled", approvedAs: "portal_editor", approvedBy: clientId, approvedByName: client.name });
    }
    await a.reload();
    await a.getByRole("heading", { name: saved.body.campaign.name }).waitFor();
    await visible(a, "Approved. Goes out");
    await navLink(a, "Content").click();
    await a.getByRole("link", { name: "Queue" }).first().click();
    await a.locator(".card, article, li, tr").filter({ hasText: text.slice(0, 30) }).first().getByText("Approval: Approved, scheduled").waitFor();
    await openApprovals(a);
    await a.getByRole("button", { name: "All actions", exact: true }).click();
    const approvedPost = a.getByRole("article", { name: /^Publish "/ });
    await approvedPost.getByText(`approved by ${client.name}`, { exact: false }).waitFor();
    await approvedPost.getByRole("button", { name: "Trail" }).click();
    await approvedPost.getByRole("list", { name: "Audit trail" }).getByText(client.name, { exact: false }).waitFor();
    await settle(a);
    await shot(a, "portal-approval-07-agency-sees-approved");
    await checkA11y(a, "agency approvals after the client approved");
    await ctxC.close();
    await ctxA.close();
  }, 240_000);
});
