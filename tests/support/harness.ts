import { env } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { expect } from "vitest";

export const BASE = "http://localhost:8787";
export const PASSWORD = "correct horse battery staple";

let counter = 0;
export const uniqueEmail = (tag = "user") => `${tag}.${Date.now().toString(36)}.${++counter}@example.test`;

export type Json = Record<string, any>;
export type CallOptions = {
  token?: string;
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  ip?: string;
};

/** Calls the Worker's fetch handler exactly as a client would. */
export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.ip) headers["cf-connecting-ip"] = opts.ip;
  let body: BodyInit | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await exports.default.fetch(new Request(`${BASE}${path}`, { method, headers, body }));
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Asserts the status, printing the body when it differs. */
export function expectStatus(res: { status: number; text: string }, status: number) {
  expect(res.status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`).toBe(status);
}

export type Tenant = {
  email: string;
  password: string;
  token: string;
  userId: string;
  orgId: string;
  refreshCookie: string;
};

export function refreshCookieOf(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith("qweb_refresh="));
  return cookie ? cookie.split(";")[0]! : "";
}

/** A fresh user with their own organization (the owner), signed in. */
export async function newTenant(opts: { kind?: "agency" | "business"; name?: string } = {}): Promise<Tenant> {
  const email = uniqueEmail(opts.name ?? "owner");
  const res = await call("POST", "/api/auth/signup", {
    // Each tenant signs up from its own address: signup is rate-limited per client IP.
    ip: `198.19.${(counter >> 8) & 255}.${counter & 255}`,
    body: {
      email,
      password: PASSWORD,
      name: opts.name ?? "Olivia Owner",
      organizationName: `${opts.name ?? "Acme"} Org`,
      organizationKind: opts.kind ?? "agency",
      birthDate: "1990-04-12",
      acceptPolicyVersion: (await call("GET", "/api/policy")).json.version,
    },
  });
  expectStatus(res, 201);
  return {
    email,
    password: PASSWORD,
    token: res.json.accessToken,
    userId: res.json.user.id,
    orgId: res.json.organization.id,
    refreshCookie: refreshCookieOf(res.headers),
  };
}

export async function newWorkspace(t: Tenant, name = "Client Co") {
  const res = await call("POST", "/api/workspaces", { token: t.token, body: { orgId: t.orgId, name } });
  expectStatus(res, 201);
  return res.json as { id: string; orgId: string; name: string };
}

export type MailboxMessage = { to: string; subject: string; text: string; createdAt: number };

/** Waits for an email to `to` (the outbound-email queue delivers it into the dev mailbox). */
export async function waitForEmail(to: string, match: (m: MailboxMessage) => boolean = () => true, timeoutMs = 10_000): Promise<MailboxMessage> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { results } = await env.DB.prepare(`SELECT "to", subject, text, created_at AS createdAt FROM dev_mailbox WHERE "to" = ? ORDER BY created_at DESC`)
      .bind(to)
      .all<MailboxMessage>();
    const hit = results.find(match);
    if (hit) return hit;
    if (Date.now() > until) throw new Error(`No email to ${to} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Invites `email` (org-level when `workspaceId` is absent) and returns the token from the emailed link. */
export async function invite(by: { token: string }, target: { orgId?: string; workspaceId?: string }, email: string, role: string) {
  const path = target.workspaceId ? `/api/workspaces/${target.workspaceId}/invitations` : `/api/orgs/${target.orgId}/invitations`;
  const res = await call("POST", path, { token: by.token, body: { email, role } });
  expectStatus(res, 201);
  const sentAfter = res.json.invitation.createdAt as number;
  const mail = await waitForEmail(email.toLowerCase(), (m) => m.createdAt >= sentAfter && m.text.includes("accept-invitation?token="));
  const token = decodeURIComponent(/accept-invitation\?token=([^\s]+)/.exec(mail.text)![1]!);
  return { invitation: res.json.invitation as { id: string; email: string; role: string; workspaceId: string | null }, token };
}

/** Invites a new person and accepts as them; returns them signed in. */
export async function inviteAndAccept(by: { token: string }, target: { orgId?: string; workspaceId?: string }, role: string, name = "Pat Portal") {
  const email = uniqueEmail(role);
  const { token: invitationToken, invitation } = await invite(by, target, email, role);
  const res = await call("POST", "/api/invitations/accept", {
    body: { token: invitationToken, password: PASSWORD, name, birthDate: "1988-02-03" },
    ip: `10.${counter % 250}.${Date.now() % 250}.${++counter % 250}`,
  });
  expectStatus(res, 200);
  return { email, password: PASSWORD, token: res.json.accessToken as string, userId: res.json.user.id as string, invitation };
}

export { env };
