// Helpers for the integration framework tests: connect through the real API and the sandbox's
// OAuth pages, drive the WorkspaceSync alarms, and read what landed in D1.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, call, expectStatus, newTenant, newWorkspace, type Tenant } from "../support/harness";
import { authorizeSilently, sandboxControl } from "../support/connectors";

export { injectFaults, sandboxControl } from "../support/connectors";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh owner with a workspace. */
export async function ownerWithWorkspace(name = "Client Co") {
  const t = await newTenant();
  const ws = await newWorkspace(t, name);
  return { t, ws };
}

export const OAUTH_COOKIE = "qweb_oauth";

/** The browser's jar for our OAuth cookie: what each connect start set, by the state it issued. */
const browserJar = new Map<string, string>();

/** POST connect for an OAuth provider, as the web app's fetch does; the browser keeps the cookie it sets. */
export async function startOAuth(t: Tenant, workspaceId: string, provider: string, fields: Record<string, string> = {}) {
  const start = await call("POST", `/api/workspaces/${workspaceId}/integrations/${provider}/connect`, { token: t.token, body: { fields } });
  expectStatus(start, 200);
  expect(start.json.kind).toBe("redirect");
  const authorizeUrl = start.json.authorizeUrl as string;
  const setCookie = start.headers.getSetCookie().find((c) => c.startsWith(`${OAUTH_COOKIE}=`));
  const state = new URL(authorizeUrl).searchParams.get("state");
  if (setCookie && state) browserJar.set(state, setCookie.split(";")[0]!);
  return { authorizeUrl, setCookie };
}

/** OAuth connect end to end: POST connect → the sandbox's authorize page (prompt=none) → our callback. */
export async function connectOAuth(t: Tenant, workspaceId: string, provider: string, fields: Record<string, string> = {}, authorizeExtra: Record<string, string> = {}) {
  const { authorizeUrl } = await startOAuth(t, workspaceId, provider, fields);
  const query = await authorizeSilently(authorizeUrl, authorizeExtra);
  const location = await oauthCallback(query);
  expect(location.searchParams.get("error"), `callback error: ${location.searchParams.get("error")}`).toBeNull();
  expect(location.pathname).toBe(`/workspaces/${workspaceId}/integrations`);
  expect(location.searchParams.get("connected")).toBe(provider);
  return integrationOf(t, workspaceId, provider, fields);
}

/**
 * Our OAuth callback as the browser reaches it; returns where it sends the browser. By default the
 * browser that started this state's connect (its cookie); `cookie` sends another browser's (null: none).
 */
export async function oauthCallback(query: Record<string, string>, opts: { cookie?: string | null } = {}): Promise<URL> {
  return (await oauthCallbackResponse(query, opts)).location;
}

export async function oauthCallbackResponse(query: Record<string, string>, opts: { cookie?: string | null } = {}) {
  const cookie = opts.cookie === undefined ? browserJar.get(query.state ?? "") : opts.cookie;
  const headers: Record<string, string> = cookie ? { cookie } : {};
  const res = await exports.default.fetch(new Request(`${BASE}/api/integrations/oauth/callback?${new URLSearchParams(query)}`, { redirect: "manual", headers }));
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(302);
  return { location: new URL(res.headers.get("location")!), setCookie: res.headers.getSetCookie() };
}

/** API-key connect (verified by a real call). */
export async function connectKey(t: Tenant, workspaceId: string, provider: string, fields: Record<string, string>) {
  const res = await call("POST", `/api/workspaces/${workspaceId}/integrations/${provider}/connect`, { token: t.token, body: { fields } });
  expectStatus(res, 201);
  return res.json.integration as Integration;
}

export type Integration = {
  id: string;
  provider: string;
  status: string;
  label: string;
  lastSyncAt: number | null;
  rowsSynced: number;
  lastError: string | null;
  account: Record<string, string>;
  progress: null | Record<string, any>;
};

/** The workspace's integration of `provider` whose account matches `fields` (the latest connected otherwise). */
export async function integrationOf(t: Tenant, workspaceId: string, provider: string, fields: Record<string, string> = {}): Promise<Integration> {
  const list = await call("GET", `/api/workspaces/${workspaceId}/integrations`, { token: t.token });
  expectStatus(list, 200);
  const wanted = Object.entries(fields).filter(([, v]) => v);
  const found = (list.json.integrations as (Integration & { connectedAt: number })[])
    .filter((i) => i.provider === provider && wanted.every(([k, v]) => i.account[k] === undefined || i.account[k] === v))
    .sort((a, b) => b.connectedAt - a.connectedAt)[0];
  expect(found, `no ${provider} integration in ${list.text.slice(0, 300)}`).toBeTruthy();
  return found!;
}

export const syncObject = (workspaceId: string) => env.WORKSPACE_SYNC.getByName(workspaceId);

/**
 * Runs the workspace's sync alarms until nothing is running or queued. Waits (really) for
 * backoffs and Retry-After, as the alarm refuses to work before them.
 */
export async function drain(workspaceId: string, timeoutMs = 90_000) {
  const stub = syncObject(workspaceId);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const st = await stub.status();
    if (!st.running && st.queued.length === 0) return;
    await runDurableObjectAlarm(stub);
    await sleep(20);
  }
  throw new Error(`sync of workspace ${workspaceId} did not finish in ${timeoutMs} ms: ${JSON.stringify(await stub.status())}`);
}

/**
 * Like drain, but drives time instead of waiting for it: whenever every open run waits (a
 * Retry-After, a backoff, a bulk export in preparation), its wait is declared over.
 */
export async function drainSkippingWaits(workspaceId: string, until: () => Promise<boolean> = async () => false, maxAlarms = 500) {
  const stub = syncObject(workspaceId);
  for (let k = 0; k < maxAlarms; k++) {
    const st = await stub.status();
    if ((!st.running && st.queued.length === 0) || (await until())) return;
    if (st.runs.length && st.runs.every((r) => r.waitingUntil !== null) && !st.queued.length) {
      await runInDurableObject(stub, (_o, state) => state.storage.sql.exec("UPDATE runs SET not_before = 0"));
    }
    // No alarm due means a page is still in flight (slow on a loaded machine): give it a moment
    // instead of spending the alarm budget in a tight loop.
    if (!(await runDurableObjectAlarm(stub))) await sleep(50);
  }
  throw new Error(`sync of workspace ${workspaceId} did not settle in ${maxAlarms} alarms: ${JSON.stringify(await stub.status())}`);
}

export async function runs(t: Tenant, integrationId: string) {
  const res = await call("GET", `/api/integrations/${integrationId}/runs`, { token: t.token });
  expectStatus(res, 200);
  return res.json.runs as Record<string, any>[];
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM (${sql})`).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}

export const rowsOf = (table: string, integrationId: string) => count(`SELECT 1 FROM ${table} WHERE integration_id = ?`, integrationId);

export const shopifyStats = (shop: string) => sandboxControl<{ orders: number; products: number; lines: number; revenueMinor: number }>(`shopify/stats?shop=${shop}`);

export { env, call, expectStatus, newTenant, newWorkspace };
