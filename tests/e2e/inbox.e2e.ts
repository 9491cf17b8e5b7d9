import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { apiLogin, DEMO, http, navLink, settle, signIn, essentialCookiesOnly } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl").replace("127.0.0.1", "localhost");

/** axe on the page's own content (the shell's navigation is the shell's to check). */
async function seriousViolations(page: Page) {
  const res = await new AxeBuilder({ page: page as never }).include("#main").analyze();
  return res.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1360, height: 900 };

/**
 * A new browser context signed in as the demo owner, on the Inbox (through the drawer on a phone)
 * or on one of its settings pages (`section`: the link's and the heading's name), cookies answered.
 */
async function openInbox(opts: { viewport?: typeof PHONE; section?: string } = {}) {
  const viewport = opts.viewport ?? DESKTOP;
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, base(), DEMO.owner, inject("demo").password);
  if (viewport.width < 800) await page.getByRole("button", { name: "Open navigation" }).click();
  await navLink(page, "Inbox").click();
  await page.getByRole("heading", { name: "Inbox", level: 1 }).waitFor();
  if (opts.section) {
    await page.getByRole("link", { name: opts.section }).click();
    await page.getByRole("heading", { name: opts.section, exact: true }).waitFor();
  }
  await essentialCookiesOnly(page);
  return { context, page };
}

describe("the team inbox in the browser", () => {
  it("opens a demo conversation, writes a reply and sends it; Gmail (sandbox) has the threaded reply", async () => {
    const { context, page } = await openInbox();
    const list = page.getByRole("navigation", { name: "Conversations" });
    // A Gmail conversation (the demo workspaces also have Outlook and iCloud mailboxes with the same kinds of mail).
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const open = (await http(base(), "GET", `/api/orgs/${inject("demo").orgId}/inbox/conversations?status=open`, { token })).body as { conversations: { id: string; mailboxAddress: string | null; subject: string }[] };
    // The demo's Gmail mailboxes are hello@<client>; Outlook's are office@, iCloud's <client>@icloud.example.
    const gmail = open.conversations.find((c) => c.mailboxAddress?.startsWith("hello@") && /^Could you/.test(c.subject));
    expect(gmail, "a demo Gmail conversation asking something").toBeDefined();
    const row = list.locator(`#conv-${gmail!.id}`);
    await row.waitFor();
    await settle(page);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "inbox-01-list");

    await row.click();
    const threadPane = page.getByRole("region", { name: "Conversation" });
    const subject = (await threadPane.getByRole("heading", { level: 2 }).textContent())!;
    expect(subject).toMatch(/^Could you/);
    await threadPane.locator("iframe.inbox-frame").first().waitFor();
    // The message renders in a sandboxed frame: no scripts, no same-origin.
    expect(await threadPane.locator("iframe.inbox-frame").first().getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");

    // r focuses the reply box.
    await page.locator("body").press("r");
    const box = page.getByLabel("Reply (r)");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    const text = `Done — updated as you asked. (${Date.now().toString(36)})`;
    await box.fill(text);
    await settle(page);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "inbox-02-reply");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent").first().waitFor();
    await threadPane.getByRole("article", { name: /^Sent message from hello@/ }).waitFor();
    await shot(page, "inbox-03-sent");

    // The sandbox Gmail of that demo mailbox holds the reply, in the same thread, threaded by headers.
    const address = (await threadPane.getByRole("article", { name: /^Sent message from / }).getAttribute("aria-label"))!.replace("Sent message from ", "");
    const box2 = await (await fetch(`${inject("sandboxUrl")}/_sandbox/gmail/mailbox?user=${encodeURIComponent(address)}`)).json() as { messages: { threadId: string; labelIds: string[]; subject: string; inReplyTo: string | null; raw: string }[] };
    const sent = box2.messages.filter((m) => m.labelIds.includes("SENT") && m.raw.includes("Content-Type: text/plain"));
    const mine = sent.find((m) => Buffer.from(m.raw.split("\r\n\r\n").slice(1).join("").replace(/\s+/g, ""), "base64").toString("utf8").includes(text));
    expect(mine).toBeTruthy();
    expect(mine!.subject).toBe(`Re: ${subject}`);
    expect(mine!.inReplyTo).toMatch(/^<.+>$/);
    const original = box2.messages.find((m) => m.threadId === mine!.threadId && !m.labelIds.includes("SENT"));
    expect(original).toBeTruthy();
    await context.close();
  });

  it("mailbox settings show the connected Gmail mailbox and its sync status", async () => {
    const { context, page } = await openInbox({ section: "Mailboxes" });
    await page.getByText(/^hello@.+\.example$/).first().waitFor();
    await page.getByRole("button", { name: "Connect Gmail" }).waitFor();
    await settle(page);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, "inbox-04-settings");
    await context.close();
  });

  it("opens a classified lead, has AI draft a reply, edits it and sends it; Gmail (sandbox) gets the edited text", async () => {
    const { context, page } = await openInbox();
    await page.getByLabel("Category").selectOption("lead");
    const list = page.getByRole("navigation", { name: "Conversations" });
    const row = list.getByRole("button").filter({ has: page.locator(".inbox-chip", { hasText: "Lead" }) }).first();
    await row.waitFor();
    await settle(page);
    await checkA11y(page, "inbox-05-leads");
    await shot(page, "inbox-05-leads");
    await row.click();
    const threadPane = page.getByRole("region", { name: "Conversation" });
    await threadPane.locator(".inbox-chip", { hasText: "Lead" }).waitFor();
    const subject = (await threadPane.getByRole("heading", { level: 2 }).textContent())!;

    await threadPane.getByRole("button", { name: /Draft with AI|Regenerate AI draft/ }).click();
    await page.getByText("AI draft ready: edit it, then send").first().waitFor();
    const box = page.getByLabel("Reply (r)");
    await expect.poll(() => box.inputValue()).toMatch(/^Hi \S+,/);
    const tag = Date.now().toString(36);
    const edited = `${await box.inputValue()}\n\nP.S. We could start on Monday (${tag}).`;
    await box.fill(edited);
    await settle(page);
    await checkA11y(page, "inbox-06-ai-draft");
    await shot(page, "inbox-06-ai-draft");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent").first().waitFor();
    await threadPane.getByRole("article", { name: /^Sent message from / }).last().waitFor();
    await shot(page, "inbox-07-ai-draft-sent");

    const address = (await threadPane.getByRole("article", { name: /^Sent message from / }).last().getAttribute("aria-label"))!.replace("Sent message from ", "");
    const gmail = await (await fetch(`${inject("sandboxUrl")}/_sandbox/gmail/mailbox?user=${encodeURIComponent(address)}`)).json() as { messages: { labelIds: string[]; subject: string; raw: string }[] };
    const decoded = gmail.messages.filter((m) => m.labelIds.includes("SENT")).map((m) => ({ subject: m.subject, text: Buffer.from(m.raw.split("\r\n\r\n").slice(1).join("").replace(/\s+/g, ""), "base64").toString("utf8") }));
    const mine = decoded.find((m) => m.text.includes(`We could start on Monday (${tag})`));
    expect(mine).toBeTruthy();
    expect(mine!.subject).toBe(`Re: ${subject}`);
    expect(mine!.text).toMatch(/^Hi \S+,/);
    await context.close();
  });

  it("opens a Facebook comment conversation (post previewed), hides and shows a comment again, and replies; the sandbox Page has the public reply", async () => {
    const { context, page } = await openInbox();
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const open = (await http(base(), "GET", `/api/orgs/${inject("demo").orgId}/inbox/conversations?status=open&limit=100`, { token })).body as { conversations: { id: string; transport: string; messageCount: number }[] };
    const fb = open.conversations.find((c) => c.transport === "facebook" && c.messageCount === 1);
    expect(fb, "a demo Facebook comment conversation").toBeDefined();
    const row = page.getByRole("navigation", { name: "Conversations" }).locator(`#conv-${fb!.id}`);
    await row.waitFor();
    await row.locator(".inbox-channel", { hasText: "Facebook" }).waitFor();
    await row.click();
    const threadPane = page.getByRole("region", { name: "Conversation" });
    await threadPane.getByRole("link", { name: /View the post on Facebook/ }).waitFor();
    const comment = threadPane.getByRole("article", { name: /^Comment by / }).first();
    await comment.getByRole("button", { name: "Hide comment" }).click();
    await comment.getByText("Hidden from the public").waitFor();
    await comment.getByRole("button", { name: "Show again" }).click();
    await comment.getByRole("button", { name: "Hide comment" }).waitFor();

    const text = `Thanks for your comment — we sent you a message (${Date.now().toString(36)}).`;
    await page.getByLabel("Reply (r)").fill(text);
    await settle(page);
    await checkA11y(page, "inbox-09-comment");
    await shot(page, "inbox-09-comment");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent").first().waitFor();
    await threadPane.getByRole("article", { name: /^Your reply by / }).filter({ hasText: text }).waitFor();
    await shot(page, "inbox-10-comment-replied");

    // The demo workspaces' sandbox Meta accounts: the reply is on one of their Pages, from the Page, once.
    const replies: { message: string; from: { id: string } }[] = [];
    for (const slug of ["bistro-uno", "peak-outfitters"]) {
      const user = (await (await fetch(`${inject("sandboxUrl")}/_sandbox/meta/user?user=${slug}`)).json()) as { pages: { id: string }[] };
      for (const p of user.pages) {
        const list = (await (await fetch(`${inject("sandboxUrl")}/_sandbox/meta/comments/list?user=${slug}&asset=${p.id}`)).json()) as { posts: { comments: { message: string; from: { id: string } }[] }[] };
        replies.push(...list.posts.flatMap((x) => x.comments).filter((c) => c.message === text && c.from.id === p.id));
      }
    }
    expect(replies).toHaveLength(1);
    await context.close();
  });

  it("routing and SLA settings at 390 px", async () => {
    const { context, page } = await openInbox({ viewport: PHONE, section: "Routing and SLAs" });
    await page.getByRole("form", { name: "New rule" }).getByLabel("Name").fill("Quotes are leads");
    await page.getByRole("form", { name: "New rule" }).getByLabel("Value").fill("quote");
    await page.getByRole("form", { name: "New rule" }).getByLabel("When").selectOption("subject");
    await page.getByRole("form", { name: "New rule" }).getByLabel("Set category").selectOption("lead");
    await page.getByRole("button", { name: "Add rule" }).click();
    await page.getByRole("list", { name: "Routing rules" }).getByText("Quotes are leads").waitFor();
    await page.getByRole("button", { name: /Turn on SLA|Save SLA/ }).click();
    await page.getByText("SLA saved").first().waitFor();
    await settle(page);
    await checkA11y(page, "inbox-08-routing-390");
    await shot(page, "inbox-08-routing-390");
    await context.close();
  });

  it("snoozes a conversation at 390 px with a preset and with a date and time; it leaves the open list and shows under Snoozed", async () => {
    const { context, page } = await openInbox({ viewport: PHONE });
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const orgId = inject("demo").orgId;
    type Conv = { id: string; mailboxAddress: string | null; subject: string; status: string; snoozedUntil: number | null };
    const open = (await http(base(), "GET", `/api/orgs/${orgId}/inbox/conversations?status=open&limit=100`, { token })).body as { conversations: Conv[] };
    // Outlook conversations (office@…): the other browser tests answer Gmail ones.
    const [first, second] = open.conversations.filter((c) => c.mailboxAddress?.startsWith("office@") && !/^Could you/.test(c.subject));
    expect(first && second, "two demo Outlook conversations").toBeTruthy();
    const list = page.getByRole("navigation", { name: "Conversations" });
    const threadPane = page.getByRole("region", { name: "Conversation" });

    // A preset: tomorrow 9:00 in the workspace's time zone.
    await list.locator(`#conv-${first!.id}`).click();
    await threadPane.getByRole("heading", { level: 2, name: first!.subject }).waitFor();
    await threadPane.getByRole("button", { name: "Snooze…" }).click();
    const panel = threadPane.getByRole("group", { name: "Snooze until" });
    await panel.waitFor();
    await expect.poll(() => panel.getByRole("button").count()).toBeGreaterThanOrEqual(3);
    const tomorrow = panel.locator('[data-preset="tomorrow"]');
    const at = Number(await tomorrow.getAttribute("data-at"));
    expect(at).toBeGreaterThan(Date.now());
    await settle(page);
    await checkA11y(page, "inbox-09-snooze-390");
    await shot(page, "inbox-09-snooze-390");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await tomorrow.click();
    await page.getByText(/^Snoozed until/).first().waitFor();
    await expect.poll(async () => list.locator(`#conv-${first!.id}`).count()).toBe(0);
    const after = (await http(base(), "GET", `/api/inbox/conversations/${first!.id}`, { token })).body as { conversation: Conv };
    expect(after.conversation).toMatchObject({ status: "snoozed", snoozedUntil: at });
    // Its wall-clock time is 09:00 in the workspace's zone.
    const ws = (await http(base(), "GET", `/api/workspaces/${(after.conversation as unknown as { workspaceId: string }).workspaceId}`, { token })).body as { timeZone: string };
    expect(new Date(at).toLocaleTimeString("en-GB", { timeZone: ws.timeZone, hour: "2-digit", minute: "2-digit" })).toBe("09:00");

    // A date and time of one's own: a past one is refused in the form, a future one is taken.
    await list.locator(`#conv-${second!.id}`).click();
    await threadPane.getByRole("heading", { level: 2, name: second!.subject }).waitFor();
    await threadPane.getByRole("button", { name: "Snooze…" }).click();
    const input = threadPane.getByLabel(/Date and time/);
    await input.fill("2020-01-01T08:00");
    await threadPane.getByRole("button", { name: "Snooze until then" }).click();
    await threadPane.getByRole("alert").getByText("Pick a time in the future.").waitFor();
    const year = new Date().getUTCFullYear() + 1;
    await input.fill(`${year}-06-15T14:30`);
    await threadPane.getByRole("button", { name: "Snooze until then" }).click();
    // The first snooze's "Snoozed until" may still be on screen: the sign this one is stored is
    // the conversation leaving the open list.
    await expect.poll(async () => list.locator(`#conv-${second!.id}`).count()).toBe(0);
    const custom = ((await http(base(), "GET", `/api/inbox/conversations/${second!.id}`, { token })).body as { conversation: Conv & { workspaceId: string } }).conversation;
    expect(custom.status).toBe("snoozed");
    const tz2 = ((await http(base(), "GET", `/api/workspaces/${custom.workspaceId}`, { token })).body as { timeZone: string }).timeZone;
    expect(new Date(custom.snoozedUntil!).toLocaleString("sv-SE", { timeZone: tz2 }).slice(0, 16)).toBe(`${year}-06-15 14:30`);

    // The Snoozed filter lists both, with their times.
    await page.getByLabel("Status").selectOption("snoozed");
    await list.locator(`#conv-${first!.id}`).waitFor();
    await list.locator(`#conv-${second!.id}`).getByText(/^Snoozed until/).waitFor();
    await shot(page, "inbox-10-snoozed-list-390");
    // Back to open for the other tests.
    for (const c of [first!, second!]) await http(base(), "PATCH", `/api/inbox/conversations/${c.id}`, { token, body: { status: "open" } });
    await context.close();
  });

  it("edits a team in Routing settings: name, cap, a member added and one removed", async () => {
    const token = await apiLogin(base(), DEMO.owner, inject("demo").password);
    const orgId = inject("demo").orgId;
    const members = ((await http(base(), "GET", `/api/orgs/${orgId}/members`, { token })).body as { members: { userId: string; name: string; email: string }[] }).members;
    const owner = members.find((m) => m.email === DEMO.owner)!;
    const member = members.find((m) => m.email === DEMO.member)!;
    const name = `Support ${Date.now().toString(36)}`;
    const created = await http(base(), "POST", `/api/orgs/${orgId}/inbox/teams`, { token, body: { name, maxOpenPerPerson: 5, memberIds: [owner.userId] } });
    expect(created.status).toBe(201);
    const teamId = (created.body as { id: string }).id;

    const { context, page } = await openInbox({ section: "Routing and SLAs" });
    await page.getByRole("button", { name: `Edit team ${name}` }).click();
    const form = page.getByRole("form", { name: `Edit team ${name}` });
    await form.getByLabel("Team name").fill(`${name} EU`);
    await form.getByLabel(/Cap per person/).fill("12");
    await form.getByRole("checkbox", { name: member.name || member.email }).check();
    await form.getByRole("checkbox", { name: owner.name || owner.email }).uncheck();
    await settle(page);
    await checkA11y(page, "inbox-11-team-edit");
    await shot(page, "inbox-11-team-edit");
    await form.getByRole("button", { name: "Save team" }).click();
    await page.getByText("Team saved").first().waitFor();
    const row = page.getByRole("list", { name: "Teams" }).locator(`[data-team="${name} EU"]`);
    await row.getByText(`cap 12 open each; ${member.name || member.email}`).waitFor();
    const teams = ((await http(base(), "GET", `/api/orgs/${orgId}/inbox/teams`, { token })).body as { teams: { id: string; name: string; maxOpenPerPerson: number; members: { userId: string }[] }[] }).teams;
    expect(teams.find((t) => t.id === teamId)).toMatchObject({ name: `${name} EU`, maxOpenPerPerson: 12, members: [{ userId: member.userId }] });

    // A bad cap is the API's 400, shown in the form; nothing changes.
    await page.getByRole("button", { name: `Edit team ${name} EU` }).click();
    const again = page.getByRole("form", { name: `Edit team ${name} EU` });
    await again.getByLabel("Team name").fill(" ");
    await again.getByRole("button", { name: "Save team" }).click();
    await again.getByRole("alert").waitFor();
    await settle(page);
    await shot(page, "inbox-12-team-error");
    await again.getByRole("button", { name: "Cancel" }).click();
    await http(base(), "DELETE", `/api/orgs/${orgId}/inbox/teams/${teamId}`, { token });
    await context.close();
  });
});
