import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { checkA11y, launch, shot } from "./browser.ts";
import { apiLogin, DEMO, essentialCookiesOnly, http, settle, shotsOnFailure, signIn } from "./app.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const base = () => inject("baseUrl");
const password = () => inject("demo").password;
const stamp = Date.now().toString(36);

const card = (page: Page, title: string) => page.locator(".task-card", { hasText: title });
const column = (page: Page, status: string) => page.locator(`[data-column="${status}"]`);
const moved = (page: Page) => page.waitForResponse((r) => r.url().includes("/move") && r.request().method() === "POST");

/** A real pointer drag: press on the card's handle, move in steps, release over the target. */
async function drag(page: Page, from: Locator, to: Locator) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function addTask(page: Page, title: string) {
  await page.getByLabel("New task").fill(title);
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await card(page, title).waitFor();
}

describe("task board in the browser", () => {
  it("drags a card to another column and reorders by keyboard; both survive a reload; a refused move goes back", async () => {
    const track = shotsOnFailure("tasks");
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = track(await context.newPage());
    await signIn(page, base(), DEMO.owner, password());
    await essentialCookiesOnly(page);
    await page.goto(`${base()}/tasks`);
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    const dragMe = `Refresh the ad creatives ${stamp}`;
    const keys = `Write the May newsletter ${stamp}`;
    const gone = `Check the tracking ${stamp}`;
    await addTask(page, gone);
    await addTask(page, keys);
    await addTask(page, dragMe);
    await settle(page);
    await shot(page, "tasks-01-board");

    // Pointer drag from To do into Done.
    const saved = moved(page);
    await drag(page, card(page, dragMe).locator(".task-grip"), column(page, "done").locator("ul"));
    await expect.poll(() => column(page, "done").locator(".task-card", { hasText: dragMe }).count()).toBe(1);
    expect((await saved).status()).toBe(200);
    await settle(page);
    await shot(page, "tasks-02-dragged-to-done");

    // Keyboard: the handle's arrow keys move the card right (to Doing), then the Move menu.
    const k = moved(page);
    await card(page, keys).locator(".task-grip").focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => column(page, "doing").locator(".task-card", { hasText: keys }).count()).toBe(1);
    expect((await k).status()).toBe(200);
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest(".task-card")?.textContent ?? "")).toContain(keys);
    await expect.poll(() => page.locator("[role=status]").filter({ hasText: "moved to Doing" }).count()).toBeGreaterThan(0);

    await page.reload();
    await card(page, dragMe).waitFor();
    expect(await column(page, "done").locator(".task-card", { hasText: dragMe }).count()).toBe(1);
    expect(await column(page, "doing").locator(".task-card", { hasText: keys }).count()).toBe(1);
    // Dragged within Done to the top: a reorder, persisted too.
    const doneTitles = () => column(page, "done").locator(".task-card strong").allTextContents();
    if ((await doneTitles())[0] !== dragMe) {
      const r = moved(page);
      await drag(page, card(page, dragMe).locator(".task-grip"), column(page, "done").locator(".task-card").first().locator("strong"));
      expect((await r).status()).toBe(200);
      await page.reload();
      await card(page, dragMe).waitFor();
    }
    expect((await doneTitles())[0]).toBe(dragMe);

    // A move the server refuses (the task was deleted meanwhile): the card goes back, with an error.
    const token = await apiLogin(base(), DEMO.owner, password());
    const id = await card(page, gone).getAttribute("data-task");
    const ws = await page.evaluate(() => location.pathname); // the board stays as loaded
    expect(ws).toBe("/tasks");
    const list = await http(base(), "GET", "/api/workspaces", { token });
    let deleted = false;
    for (const w of list.body.workspaces ?? []) {
      const r = await http(base(), "DELETE", `/api/workspaces/${w.id}/tasks/${id}`, { token });
      if (r.status === 204) { deleted = true; break; }
    }
    expect(deleted).toBe(true);
    const refused = moved(page);
    await drag(page, card(page, gone).locator(".task-grip"), column(page, "doing").locator("ul"));
    expect((await refused).status()).toBe(404);
    await expect.poll(() => column(page, "todo").locator(".task-card", { hasText: gone }).count()).toBe(1);
    await page.getByText(`Could not move "${gone}"`).first().waitFor();
    await settle(page);
    await shot(page, "tasks-03-refused-move-rolled-back");
    await checkA11y(page, "task board");
    await context.close();
  });

  it("on a phone the columns stack and the Move menu moves a card (the alternative to dragging)", async () => {
    const track = shotsOnFailure("tasks-phone");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true });
    const page = track(await context.newPage());
    await signIn(page, base(), DEMO.owner, password());
    await essentialCookiesOnly(page);
    await page.goto(`${base()}/tasks`);
    await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
    const keys = `Book the photo shoot ${stamp}`;
    await addTask(page, keys);
    const m = moved(page);
    await card(page, keys).locator(".task-move button").click();
    await page.getByRole("menuitem", { name: "Move to Done" }).click();
    expect((await m).status()).toBe(200);
    await expect.poll(() => column(page, "done").locator(".task-card", { hasText: keys }).count()).toBe(1);
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkA11y(page, "task board on a phone");
    await shot(page, "tasks-04-phone");
    await context.close();
  });
});
