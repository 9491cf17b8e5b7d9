// Helpers for the inbox tests: connect a sandbox Gmail mailbox through the real API and OAuth
// redirect, drive its Mailbox DO alarms, and read the sandbox's own view of the mailbox.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { expect } from "vitest";
import { call, expectStatus, newTenant, newWorkspace, type Tenant } from "../support/harness";
import { authorizeSilently, sandboxControl } from "../support/connectors";
import { OAUTH_COOKIE, oauthCallback } from "../integrations/support";

export { call, expectStatus, env, sandboxControl };
export { injectFaults } from "../support/connectors";

let seq = 0;
export const uniqueAddress = (tag = "box") => `${tag}-${Date.now().toString(36)}${++seq}@agency.test`;

export async function ownerWithWorkspace(name = "Client Co") {
  const t = await newTenant();
  const ws = await newWorkspace(t, name);
  return { t, ws };
}

/** POST connect → Google consent (prompt=none) → our OAuth callback → the settings page. */
export async function connectGmail(t: Tenant, workspaceId: string, address: string): Promise<string> {
  const start = await call("POST", `/api/workspaces/${workspaceId}/inbox/mailboxes/gmail/connect`, { token: t.token, body: { loginHint: address } });
  expectStatus(start, 200);
  const query = await authorizeSilently(start.json.authorizeUrl);
  // As the browser that started the connect: its cookie carries the state's nonce.
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith(`${OAUTH_COOKIE}=`))?.split(";")[0] ?? null;
  const location = await oauthCallback(query, { cookie });
  expect(location.searchParams.get("error"), `callback error: ${location.searchParams.get("error")}`).toBeNull();
  expect(location.pathname).toBe("/inbox/settings");
  expect(location.searchParams.get("connected")).toBe("gmail");
  return location.searchParams.get("mailbox")!;
}

export const mailboxObject = (id: string) => env.MAILBOX.getByName(id);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits for the mailbox's sync to settle (idle, or stopped): alarms also fire on their own in
 * workerd, so this forces any pending alarm now (a Retry-After or backoff is not waited out)
 * and otherwise lets a running one finish.
 */
export async function syncMailbox(id: string, timeoutMs = 45_000) {
  const stub = mailboxObject(id);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const st = await stub.status();
    if (st.state === "idle" || st.state === "stopped") return st;
    if (st.nextAt !== null) await runDurableObjectAlarm(stub);
    else await sleep(25);
  }
  throw new Error(`mailbox ${id} did not settle: ${JSON.stringify(await stub.status())}`);
}

/** Polls the DO until `pred` holds (no alarm is forced). */
export async function waitForMailbox(id: string, pred: (st: Awaited<ReturnType<ReturnType<typeof mailboxObject>["status"]>>) => boolean, timeoutMs = 15_000) {
  const stub = mailboxObject(id);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const st = await stub.status();
    if (pred(st)) return st;
    await sleep(25);
  }
  throw new Error(`mailbox ${id}: condition not reached: ${JSON.stringify(await stub.status())}`);
}

export type SandboxMessage = { id: string; threadId: string; labelIds: string[]; internalDate: number; subject: string; from: string; to: string; messageId: string | null; inReplyTo: string | null; references: string | null; raw: string };
export const sandboxMailbox = (address: string) => sandboxControl<{ historyId: string; messages: SandboxMessage[]; drafts: { id: string; messageId: string }[] }>(`gmail/mailbox?user=${encodeURIComponent(address)}`);
export const deliver = (address: string, mail: { from?: string; subject: string; text?: string; html?: string; threadId?: string }) =>
  sandboxControl<{ id: string; threadId: string }>("gmail/deliver", { user: address, ...mail });

export async function conversations(t: Tenant, query: Record<string, string> = {}) {
  const res = await call("GET", `/api/orgs/${t.orgId}/inbox/conversations?${new URLSearchParams({ limit: "100", ...query })}`, { token: t.token });
  expectStatus(res, 200);
  return res.json as { conversations: Record<string, any>[]; counts: Record<string, number> };
}

export async function thread(t: Tenant, id: string) {
  const res = await call("GET", `/api/inbox/conversations/${id}`, { token: t.token });
  expectStatus(res, 200);
  return res.json as { conversation: Record<string, any>; messages: Record<string, any>[]; notes: Record<string, any>[]; drafts: Record<string, any>[]; ruleRuns: Record<string, any>[] };
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}
