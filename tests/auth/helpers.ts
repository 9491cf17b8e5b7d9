import { expect } from "vitest";
import { call, expectStatus, PASSWORD, uniqueEmail } from "../support/harness";

let ipCounter = 0;
/** A fresh client IP per call, so per-IP limits never couple one test to another. */
export const nextIp = () => `198.18.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export const cookieHeader = (cookie: string) => ({ cookie });

export function refreshCookieOf(headers: Headers) {
  const set = headers.getSetCookie().find((c) => c.startsWith("qweb_refresh="));
  return set ? set.split(";")[0]! : undefined;
}

export type Account = { email: string; password: string; token: string; userId: string; orgId: string; cookie: string; ip: string };

/** Signs up a new owner from its own IP (signup is rate-limited per IP). */
export async function signupAccount(opts: { name?: string; password?: string; userAgent?: string } = {}): Promise<Account> {
  const email = uniqueEmail(opts.name?.toLowerCase().replace(/\W+/g, "-") ?? "owner");
  const password = opts.password ?? PASSWORD;
  const ip = nextIp();
  const res = await call("POST", "/api/auth/signup", {
    ip,
    headers: opts.userAgent ? { "user-agent": opts.userAgent } : {},
    body: {
      email,
      password,
      name: opts.name ?? "Sam Owner",
      organizationName: `${opts.name ?? "Sam"} Org`,
      organizationKind: "agency",
      birthDate: "1990-04-12",
      acceptPolicyVersion: (await call("GET", "/api/policy")).json.version,
    },
  });
  expectStatus(res, 201);
  return { email, password, ip, token: res.json.accessToken, userId: res.json.user.id, orgId: res.json.organization.id, cookie: refreshCookieOf(res.headers)! };
}

export const login = (email: string, password: string, ip: string, headers: Record<string, string> = {}) =>
  call("POST", "/api/auth/login", { body: { email, password }, ip, headers });

export async function loginOk(email: string, password: string, ip = nextIp()) {
  const res = await login(email, password, ip);
  expectStatus(res, 200);
  return { token: res.json.accessToken as string, cookie: refreshCookieOf(res.headers)!, userId: res.json.user.id as string };
}

export const refresh = (cookie: string) => call("POST", "/api/auth/refresh", { headers: cookieHeader(cookie) });

export async function expectTokenRejected(token: string) {
  const res = await call("GET", "/api/me", { token });
  expectStatus(res, 401);
  expect(res.json.error.code).toBe("UNAUTHORIZED");
}

export async function expectTokenAccepted(token: string) {
  expectStatus(await call("GET", "/api/me", { token }), 200);
}

export type Mail = { id: string; to: string; subject: string; text: string; createdAt: number };

/** The dev mailbox through its HTTP route, as a developer would read it. */
export async function mailTo(to: string): Promise<Mail[]> {
  const res = await call("GET", `/api/dev/mailbox?to=${encodeURIComponent(to)}`);
  expectStatus(res, 200);
  return res.json.messages;
}

/**
 * Waits until the outbound-email queue consumer has delivered `count` matching emails to `to`
 * (a real producer → consumer round trip; miniflare delivers a batch within about a second).
 */
export async function waitForMail(to: string, match: (m: Mail) => boolean = () => true, count = 1, timeoutMs = 10_000) {
  // Counts polls rather than reading the clock: P12 tests freeze Date with vi.setSystemTime.
  for (let polls = timeoutMs / 100; ; polls--) {
    const hits = (await mailTo(to)).filter(match);
    if (hits.length >= count) return hits;
    if (polls <= 0) throw new Error(`Expected ${count} email(s) to ${to} within ${timeoutMs} ms, found ${hits.length}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const linkToken = (mail: Mail, path: string) => {
  const hit = new RegExp(`${path}\\?token=([^\\s]+)`).exec(mail.text);
  expect(hit, `no ${path} link in: ${mail.text}`).toBeTruthy();
  return decodeURIComponent(hit![1]!);
};
