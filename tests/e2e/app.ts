import { expect, onTestFailed } from "vitest";
import { shot } from "./browser.ts";
import type { Page } from "playwright-core";

export const DEMO = { owner: "owner@demo.qweb.test", member: "member@demo.qweb.test", viewer: "viewer@demo.qweb.test" };

/** POST/GET against the running app from Node, answering status and parsed body. */
export async function http(base: string, method: string, path: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(opts.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, body };
}

export async function apiLogin(base: string, email: string, password: string): Promise<string> {
  const r = await http(base, "POST", "/api/auth/login", { body: { email, password } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.accessToken as string;
}

/**
 * Signs in through the login form and waits for the app shell. When it does not get there, the
 * error says why (what the login request answered, how long it took, what the page shows), since
 * CI prints only the failure's message.
 */
export async function signIn(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  const started = Date.now();
  const answered = page
    .waitForResponse((r) => r.url().endsWith("/api/auth/login") && r.request().method() === "POST", { timeout: 60_000 })
    .catch(() => null);
  await page.getByRole("button", { name: "Sign in" }).click();
  const res = await answered;
  const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const shows = async () => JSON.stringify((await page.getByRole("alert").allTextContents().catch(() => [])).map((t) => t.trim()).filter(Boolean));
  if (!res) throw new Error(`sign-in as ${email}: no POST /api/auth/login within ${took}; the page at ${page.url()} shows ${await shows()}`);
  if (res.status() !== 200) throw new Error(`sign-in as ${email}: POST /api/auth/login answered ${res.status()} after ${took}: ${await res.text().catch(() => "")}`);
  try {
    await page.waitForURL(/\/dashboard$/, { timeout: 60_000 });
    await page.locator(".shell #main").waitFor(); // the signed-in shell (its sidebar is a drawer on phones)
  } catch (err) {
    throw new Error(`sign-in as ${email}: the login answered 200 after ${took}, but the page stayed at ${page.url()} showing ${await shows()}`, { cause: err });
  }
}

/** Waits until no spinner, skeleton or busy button shows, so screenshots show settled UI. */
export async function settle(page: Page) {
  await page.locator('.spinner, .skeleton, [aria-busy="true"]').first().waitFor({ state: "detached", timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(200); // let toasts and dialogs finish their entry animation
}

export async function visible(page: Page, text: string | RegExp) {
  await page.getByText(text).first().waitFor({ state: "visible" });
}

/** A link in the sidebar's main navigation. */
export const navLink = (page: Page, name: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });

/** The newest dev-mailbox message to `to`, polled because email leaves through a queue. */
export async function mailTo(base: string, to: string): Promise<{ subject: string; text: string }> {
  for (let i = 0; i < 90; i++) {
    const r = await http(base, "GET", `/api/dev/mailbox?to=${encodeURIComponent(to)}`);
    const m = r.body?.messages?.find((x: { to: string }) => x.to === to);
    if (m) return m;
    await new Promise((res) => setTimeout(res, 500));
  }
  throw new Error(`no email to ${to} in the dev mailbox`);
}

/** The token of the newest invitation emailed to `to`. */
export async function invitationToken(base: string, to: string): Promise<string> {
  const mail = await mailTo(base, to);
  const link = /https?:\/\/\S+\/accept-invitation\?token=\S+/.exec(mail.text)?.[0];
  expect(link, mail.text).toBeTruthy();
  return new URL(link!).searchParams.get("token")!;
}

/** A fresh account with its own organization, made through the API. */
export async function newAccount(base: string, who: { email: string; password: string; name: string; org: string }) {
  const policy = await http(base, "GET", "/api/policy");
  const r = await http(base, "POST", "/api/auth/signup", {
    body: { email: who.email, password: who.password, name: who.name, organizationName: who.org, organizationKind: "agency", birthDate: "1988-08-08", acceptPolicyVersion: policy.body.version },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { user: { id: string }; organization: { id: string }; accessToken: string };
}

/** Inside a test: if it fails, screenshot every page registered with the returned function. */
export function shotsOnFailure(name: string) {
  const pages: Page[] = [];
  onTestFailed(async () => {
    for (const [i, p] of pages.entries()) if (!p.isClosed()) await shot(p, `FAILED-${name}-${i + 1}`).catch(() => {});
  });
  return <T extends Page>(p: T): T => (pages.push(p), p);
}

/** Answers the cookie banner with "Essential only" when it shows (once per new browser context). */
export async function essentialCookiesOnly(page: Page) {
  const banner = page.getByRole("region", { name: "Cookie consent" });
  try {
    await banner.waitFor({ timeout: 3000 });
  } catch {
    return;
  }
  // The banner also goes away by itself when a signed-in account already holds a choice.
  await banner.getByRole("button", { name: "Essential only" }).click({ timeout: 5000 }).catch(() => {});
  await banner.waitFor({ state: "detached" });
}
