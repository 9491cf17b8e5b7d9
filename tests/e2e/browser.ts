import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import { expect } from "vitest";

export const screenshotDir = path.join(import.meta.dirname, "screenshots");
mkdirSync(screenshotDir, { recursive: true });

/** Debian's Chromium, offline: every host but loopback fails to resolve. Playwright gives it a fresh profile. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    ],
  });
}

/** The tallest screenshot kept: the API reference is 24,000 px tall on a desktop and 38,000 on a phone, and a whole-page capture of that (30+ megapixels) took over 30 s on a loaded CI machine. */
const SHOT_MAX_HEIGHT = 6000;

/** The whole page (its first SHOT_MAX_HEIGHT pixels on the few very long pages), still: animations finished, caret hidden. */
export async function shot(page: Page, name: string) {
  const { width, height } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  await page.screenshot({
    path: path.join(screenshotDir, `${name}.png`),
    fullPage: true,
    ...(height > SHOT_MAX_HEIGHT ? { clip: { x: 0, y: 0, width, height: SHOT_MAX_HEIGHT } } : {}),
    animations: "disabled",
    caret: "hide",
    timeout: 60_000,
  });
}

/**
 * axe-core on what the page shows now (call it after the page settles and after each dialog
 * opens). Fails on any serious or critical violation, printing rule, target and summary.
 */
export async function checkA11y(page: Page, name: string) {
  // Colours read mid-transition (a dialog fading in) are half-blended: let animations finish first.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), undefined, { timeout: 3000 }).catch(() => {});
  // Only violations are read: axe then builds selectors for one node of each other result type,
  // not for every passing node, which was most of its time on the larger pages.
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = bad.flatMap((v) =>
    v.nodes.slice(0, 8).map((n) => `  ${v.id} (${v.impact}) ${n.target.join(" ")}\n    ${(n.failureSummary ?? v.help).replace(/\n\s*/g, " ")}`),
  );
  if (bad.length) await shot(page, `A11Y-${name}`);
  expect(report, `axe on "${name}": ${bad.length} serious/critical rule(s)\n${report.join("\n")}`).toEqual([]);
}

export type Problem = { kind: "response" | "console" | "pageerror" | "requestfailed"; text: string };

/**
 * Records every 4xx/5xx answer, failed request, console error and uncaught error of a page, so a
 * test can assert that a load sends nothing it knew would fail.
 */
export function watchProblems(page: Page) {
  const problems: Problem[] = [];
  const requests: string[] = [];
  page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push({ kind: "response", text: `${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}` });
  });
  page.on("requestfailed", (r) => {
    // Navigations away abort pending fetches; that is not a failure the user sees.
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push({ kind: "requestfailed", text: `${r.method()} ${r.url()} ${r.failure()?.errorText}` });
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push({ kind: "console", text: m.text() });
  });
  page.on("pageerror", (e) => problems.push({ kind: "pageerror", text: e.message }));
  return { problems, requests, clear: () => ((problems.length = 0), (requests.length = 0)) };
}
