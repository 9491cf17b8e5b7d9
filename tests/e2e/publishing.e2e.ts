// Publishing in the browser: compose a post for the demo workspace's Facebook Page, schedule it in
// the workspace's time zone, see it go out (the Publisher, triggered by the local "run due now"),
// its permalink and, after the next Meta sync, its metrics; axe on each page, phone width too.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { apiLogin, DEMO, essentialCookiesOnly, http, settle, shotsOnFailure, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl").replace("127.0.0.1", "localhost");

/** In-app navigation (a full reload would need the refresh cookie dance): the router follows history. */
async function go(page: Page, path: string) {
  await page.evaluate((p) => {
    history.pushState({}, "", p);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

/** "YYYY-MM-DDTHH:mm" of `ms` as a wall clock in `tz` (what the datetime-local field takes). */
function wallClock(ms: number, tz: string) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Signs the demo owner in (browser and API) and opens Compose; answers the workspace it opened in and its channels. */
async function openCompose(shotsName: string) {
  const track = shotsOnFailure(shotsName);
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = track(await context.newPage());
  const password = inject("demo").password;
  await signIn(page, base(), DEMO.owner, password);
  await essentialCookiesOnly(page);
  const token = await apiLogin(base(), DEMO.owner, password);
  const channelsRes = page.waitForResponse((r) => /\/publishing\/channels$/.test(new URL(r.url()).pathname));
  await go(page, "/content/compose");
  const workspaceId = /\/api\/workspaces\/([^/]+)\//.exec(new URL((await channelsRes).url()).pathname)![1]!;
  const channels = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/channels`, { token })).body.channels as { accountId: string; network: string; name: string }[];
  return { context, page, token, workspaceId, channels };
}

describe("publishing in the browser", () => {
  it("composes a post, schedules it, sees it published with its permalink and metrics", async () => {
    const { context, page, token, workspaceId, channels } = await openCompose("publishing");
    const pages = channels.filter((c) => c.network === "facebook");
    expect(pages.length).toBeGreaterThan(0);
    const pageName = pages[0].name as string;
    // Posts of this test publish without waiting for a person (the approval flow has its own tests).
    expect((await http(base(), "PUT", `/api/workspaces/${workspaceId}/actions/settings/publish_post`, { token, body: { autopilot: true } })).status).toBe(200);
    const tz = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=queue`, { token })).body.timeZone as string;

    await page.getByRole("heading", { name: "Compose", level: 1 }).waitFor();
    await page.getByLabel(`Facebook · ${pageName}`).check();
    const text = `Spring menu is live! 🌷 ${Date.now().toString(36)}`;
    await page.getByLabel("Post text").fill(text);
    const counter = page.locator(".counter").first();
    await expect.poll(() => counter.textContent()).toBe(`${[...text].length} / 63206 characters`);
    await page.getByLabel("First comment").fill("Book a table: link in bio");
    await page.getByRole("region", { name: "Preview on Facebook" }).getByText(text).waitFor();
    // Schedule ten minutes ahead in the workspace's time zone, so the queue shows it (autopilot would
    // publish a post due now before the queue page loads); it is moved to now below.
    await page.getByLabel(`Date and time (${tz})`).fill(wallClock(Date.now() + 10 * 60_000, tz));
    await settle(page);
    await checkA11y(page, "publishing-compose");
    await shot(page, "publishing-01-compose");
    await page.getByRole("button", { name: "Schedule" }).click();
    await page.waitForURL(/\/content\/queue$/);
    await page.getByText(text.slice(0, 20)).first().waitFor();
    await settle(page);
    await checkA11y(page, "publishing-queue");
    await shot(page, "publishing-02-queue");
    // Drag-to-reschedule's call: the post becomes due now.
    const queued = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=queue`, { token })).body as { posts: { id: string; title: string }[] };
    const scheduled = queued.posts.find((p) => p.title === text);
    expect(scheduled, "the post is in the queue").toBeDefined();
    expect((await http(base(), "POST", `/api/workspaces/${workspaceId}/publishing/posts/${scheduled!.id}/schedule`, { token, body: { scheduledFor: Date.now() } })).status).toBe(200);

    // Local mode: the Publisher runs what is due now (the alarm would, at the post's time).
    const ran = await http(base(), "POST", `/api/workspaces/${workspaceId}/publishing/run-due`, { token });
    expect(ran.status).toBe(200);
    let published: { posts: { title: string; variants: { permalink: string | null; providerPostId: string | null }[] }[] } = { posts: [] };
    for (let i = 0; i < 50; i++) {
      published = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=published`, { token })).body;
      if (published.posts.some((p) => p.title === text)) break;
      await page.waitForTimeout(200);
    }
    const mine = published.posts.find((p) => p.title === text)!;
    expect(mine.variants[0]!.permalink).toMatch(/^https:\/\/www\.facebook\.com\//);

    // The next Meta sync brings the post's metrics.
    const meta = (await http(base(), "GET", `/api/workspaces/${workspaceId}/integrations`, { token })).body.integrations.find((i: { provider: string }) => i.provider === "meta");
    expect((await http(base(), "POST", `/api/integrations/${meta.id}/sync`, { token })).status).toBe(202);
    await expect.poll(async () => {
      const b = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=published`, { token })).body;
      return b.posts.find((p: { title: string }) => p.title === text)?.variants[0]?.metrics?.reach ?? 0;
    }, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);

    await go(page, "/content/published");
    const card = page.locator(".card", { hasText: text.slice(0, 20) });
    await card.getByRole("link", { name: "View post" }).waitFor();
    await card.getByRole("img", { name: /Facebook reach \d+/ }).waitFor();
    await settle(page);
    await checkA11y(page, "publishing-published");
    await shot(page, "publishing-03-published");

    await go(page, "/content/calendar");
    await page.getByRole("region", { name: "Post calendar" }).waitFor();
    await settle(page);
    await checkA11y(page, "publishing-calendar");
    await shot(page, "publishing-04-calendar");
    await go(page, "/content/stuck");
    await page.getByRole("heading", { name: "Stuck", level: 1 }).waitFor();
    await settle(page);
    await checkA11y(page, "publishing-stuck");
    await context.close();
  }, 180_000);

  it("composes an Instagram carousel: uploads images and a video, reorders and removes, sees the rules, publishes it once", async () => {
    const { context, page, token, workspaceId, channels } = await openCompose("publishing-carousel");
    const ig = channels.find((c) => c.network === "instagram")!;
    expect(ig, "the demo workspace has an Instagram account").toBeDefined();
    expect((await http(base(), "PUT", `/api/workspaces/${workspaceId}/actions/settings/publish_post`, { token, body: { autopilot: true } })).status).toBe(200);
    const tz = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=queue`, { token })).body.timeZone as string;

    await page.getByRole("heading", { name: "Compose", level: 1 }).waitFor();
    await page.getByLabel(`Instagram · ${ig.name}`).check();
    const text = `Three looks for spring 🌼 ${Date.now().toString(36)}`;
    await page.getByLabel("Post text").fill(text);
    const field = page.locator("fieldset.media-field");
    await field.getByText(/2 to 10 make a carousel/).waitFor();
    // Two JPEGs drawn by the browser itself, and an MP4 (its ftyp box is what the library sniffs).
    const jpeg = async (hue: number) => Buffer.from(await page.evaluate(async (h) => {
      const c = document.createElement("canvas");
      c.width = 64;
      c.height = 64;
      const g = c.getContext("2d")!;
      g.fillStyle = `hsl(${h} 70% 55%)`;
      g.fillRect(0, 0, 64, 64);
      const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), "image/jpeg", 0.8));
      return [...new Uint8Array(await blob.arrayBuffer())];
    }, hue));
    const mp4 = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, ...new Array(200).fill(3)]);
    await field.locator('input[type="file"]').setInputFiles([
      { name: "look-1.jpg", mimeType: "image/jpeg", buffer: await jpeg(20) },
      { name: "look-2.jpg", mimeType: "image/jpeg", buffer: await jpeg(200) },
      { name: "look-3.mp4", mimeType: "video/mp4", buffer: mp4 },
    ]);
    const attached = field.getByRole("list", { name: /Attached to Instagram/ }).getByRole("listitem");
    await expect.poll(() => attached.count(), { timeout: 20_000 }).toBe(3);
    await field.getByText(/3 \/ 10/).waitFor();
    await field.getByText("Carousel", { exact: false }).first().waitFor();
    // The video first: move it up twice; then take the second look out.
    await field.getByRole("button", { name: "Move look-3.mp4 earlier" }).click();
    await field.getByRole("button", { name: "Move look-3.mp4 earlier" }).click();
    await expect.poll(() => attached.first().textContent()).toContain("look-3.mp4");
    await field.getByRole("button", { name: "Remove look-2.jpg" }).click();
    await expect.poll(() => attached.count()).toBe(2);
    // With nothing attached Instagram's rule is shown, and nothing is saved.
    await field.getByRole("button", { name: "Remove look-3.mp4" }).click();
    await field.getByRole("button", { name: "Remove look-1.jpg" }).click();
    await page.getByLabel(`Date and time (${tz})`).fill(wallClock(Date.now() + 10 * 60_000, tz));
    await page.getByRole("button", { name: "Schedule" }).click();
    await field.getByRole("alert").getByText("Instagram needs an image or a video").waitFor();
    await settle(page);
    await checkA11y(page, "publishing-carousel-error");
    await field.getByRole("button", { name: "Use look-3.mp4" }).first().click();
    await field.getByRole("button", { name: "Use look-1.jpg" }).first().click();
    await expect.poll(() => attached.count()).toBe(2);
    expect(await field.getByRole("alert").count(), "the rule's error goes once media is attached again").toBe(0);
    await page.getByRole("region", { name: "Preview on Instagram" }).getByText(/Carousel · 2 items/).waitFor();
    await settle(page);
    await checkA11y(page, "publishing-carousel");
    await shot(page, "publishing-07-carousel");
    await page.getByRole("button", { name: "Schedule" }).click();
    await page.waitForURL(/\/content\/queue$/);

    const queued = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts?list=queue`, { token })).body as { posts: { id: string; title: string; variants: { mediaIds: string[] }[] }[] };
    const mine = queued.posts.find((p) => p.title === text)!;
    expect(mine.variants[0]!.mediaIds).toHaveLength(2);
    expect((await http(base(), "POST", `/api/workspaces/${workspaceId}/publishing/posts/${mine.id}/schedule`, { token, body: { scheduledFor: Date.now() } })).status).toBe(200);
    expect((await http(base(), "POST", `/api/workspaces/${workspaceId}/publishing/run-due`, { token })).status).toBe(200);
    let v: { status: string; providerPostId: string | null; error: string | null } | undefined;
    for (let i = 0; i < 60 && v?.status !== "published"; i++) {
      v = (await http(base(), "GET", `/api/workspaces/${workspaceId}/publishing/posts/${mine.id}`, { token })).body.post.variants[0];
      if (v?.status !== "published") {
        await page.waitForTimeout(500);
        await http(base(), "POST", `/api/workspaces/${workspaceId}/publishing/run-due`, { token });
      }
    }
    expect(v?.status, String(v?.error)).toBe("published");
    const sandbox = inject("sandboxUrl");
    const posted = (await (await fetch(`${sandbox}/_sandbox/meta/publish/posts?asset=${ig.accountId}`)).json()) as { posts: { message: string; mediaType: string; children: { mediaType: string }[] }[] };
    const out = posted.posts.filter((p) => p.message === text);
    expect(out).toHaveLength(1);
    expect(out[0]!.mediaType).toBe("CAROUSEL_ALBUM");
    expect(out[0]!.children.map((c) => c.mediaType)).toEqual(["VIDEO", "IMAGE"]);
    await context.close();
  }, 180_000);

  it("compose and the calendar work at 390 px", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, base(), DEMO.owner, inject("demo").password);
    await essentialCookiesOnly(page);
    await go(page, "/content/compose");
    await page.getByRole("heading", { name: "Compose", level: 1 }).waitFor();
    await page.getByRole("checkbox").first().check();
    await page.getByRole("checkbox", { name: /^Instagram/ }).first().check();
    await page.locator("fieldset.media-field").last().getByText(/make a carousel/).waitFor();
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await checkA11y(page, "publishing-compose-phone");
    await shot(page, "publishing-05-compose-phone");
    await go(page, "/content/calendar");
    await page.getByRole("region", { name: "Post calendar" }).waitFor();
    await settle(page);
    await checkA11y(page, "publishing-calendar-phone");
    await shot(page, "publishing-06-calendar-phone");
    await context.close();
  }, 120_000);
});
