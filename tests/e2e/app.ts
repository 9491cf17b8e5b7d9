import { expect } from "vitest";
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

/** Signs in through the login form and waits for the app shell. */
export async function signIn(page: Page, base: string, email: string, password: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard$/);
  await page.locator(".shell #main").waitFor(); // the signed-in shell (its sidebar is a drawer on phones)
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
