// Campaign tests: a workspace with a Klaviyo or Mailchimp account connected through the real API
// against the sandbox, its lists synced, and small helpers for the campaign routes.
import { expect } from "vitest";
import { ctxFromEnv } from "../../worker/core/context";
import { runAction } from "../../worker/features/actions";
import { call, env, expectStatus, type Tenant } from "../support/harness";
import { connectKey, connectOAuth, drainSkippingWaits, ownerWithWorkspace, runs, sandboxControl } from "../integrations/support";

export { call, expectStatus, sandboxControl };

let seq = 0;
const uid = () => `${Date.now().toString(36)}${(++seq).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type Setup = { t: Tenant; wsId: string; integrationId: string; lists: { id: string; name: string }[]; key: string; provider: "klaviyo" | "mailchimp" };

/** Syncs the integration to completion (lists, campaigns and their figures). */
export async function syncNow(s: Setup) {
  const before = (await runs(s.t, s.integrationId)).length;
  const res = await call("POST", `/api/integrations/${s.integrationId}/sync`, { token: s.t.token });
  expectStatus(res, 202);
  const done = async () => {
    const r = await runs(s.t, s.integrationId);
    return r.length > before && r[0]?.status !== "running" && r[0]?.status !== "queued";
  };
  await drainSkippingWaits(s.wsId, done);
}

export async function klaviyoSetup(): Promise<Setup> {
  const { t, ws } = await ownerWithWorkspace("Campaign Co");
  const key = `pk_sandbox_cmp${uid()}`;
  await sandboxControl("klaviyo/config", { key, relaxed: true });
  const i = await connectKey(t, ws.id, "klaviyo", { apiKey: key });
  await drainSkippingWaits(ws.id);
  return { t, wsId: ws.id, integrationId: i.id, lists: await syncedLists(t, ws.id, i.id), key, provider: "klaviyo" };
}

export async function mailchimpSetup(): Promise<Setup> {
  const { t, ws } = await ownerWithWorkspace("Campaign Co");
  const key = `cmp-${uid()}`;
  const i = await connectOAuth(t, ws.id, "mailchimp", {}, { login_hint: key });
  await drainSkippingWaits(ws.id);
  return { t, wsId: ws.id, integrationId: i.id, lists: await syncedLists(t, ws.id, i.id), key, provider: "mailchimp" };
}

async function syncedLists(t: Tenant, wsId: string, integrationId: string) {
  const res = await call("GET", `/api/workspaces/${wsId}/campaigns/lists`, { token: t.token });
  expectStatus(res, 200);
  const i = res.json.integrations.find((x: { id: string }) => x.id === integrationId);
  expect(i.lists.length).toBeGreaterThan(0);
  return i.lists as { id: string; name: string }[];
}

export const path = (s: Setup, rest = "") => `/api/workspaces/${s.wsId}/campaigns${rest}`;

export async function createDraft(s: Setup, over: Record<string, unknown> = {}) {
  const res = await call("POST", path(s), {
    token: s.t.token,
    body: {
      integrationId: s.integrationId,
      listId: s.lists[0]!.id,
      name: "Spring sale",
      subject: "Our spring sale starts now",
      preheader: "Twenty percent off everything until Sunday",
      bodyHtml: "<h1>Spring sale</h1><p>Twenty percent off everything.</p>",
      fromName: "Northwind Coffee",
      replyTo: "hello@northwind.example",
      ...over,
    },
  });
  expectStatus(res, 201);
  return res.json.campaign as Record<string, any>;
}

/** The next quarter-hour at least `minutes` from now (Mailchimp's grid; Klaviyo takes it too). */
export const quarterHourFromNow = (minutes: number) => Math.ceil((Date.now() + minutes * 60_000) / 900_000) * 900_000;

/** The provider's campaigns carrying our reference for this QWEB campaign (the sandbox's own view). */
export async function providerCopies(s: Setup, _campaign: unknown, ref: string): Promise<Record<string, any>[]> {
  if (s.provider === "klaviyo") {
    const st = await sandboxControl<{ campaigns: { id: string; name: string; status: string; sendTime: number | null; stats: Record<string, number> | null }[] }>(`klaviyo/stats?key=${s.key}`);
    return st.campaigns.filter((c) => c.name.includes(ref));
  }
  const st = await sandboxControl<{ campaigns: { id: string; title: string; status: string; sendTime: number | null; tests: { emails: string[] }[] }[] }>("mailchimp/campaign-writes", { user: s.key });
  return st.campaigns.filter((c) => c.title.includes(ref)).map((c) => ({ ...c, name: c.title }));
}

/** The reference QWEB puts in the provider's internal campaign name. */
export const refOf = (campaignId: string) => `QWEB ${campaignId.replace(/-/g, "").slice(0, 10)}`;

/** Approves the campaign's pending send as the owner and waits for its action to reach `state`. */
export async function approveSend(s: Setup, campaignId: string, state: "done" | "scheduled" | "failed" = "done") {
  const c = await call("GET", path(s, `/${campaignId}`), { token: s.t.token });
  expectStatus(c, 200);
  const actionId = c.json.campaign.pendingAction?.id as string;
  expect(actionId, "the campaign has no pending send").toBeTruthy();
  expectStatus(await call("POST", `/api/workspaces/${s.wsId}/actions/${actionId}/approve`, { token: s.t.token, body: {} }), 200);
  return waitForAction(s, actionId, state);
}

export async function waitForAction(s: Setup, actionId: string, state: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/workspaces/${s.wsId}/actions/${actionId}`, { token: s.t.token });
    expectStatus(res, 200);
    if (res.json.state === state) return res.json;
    if (Date.now() > until) expect.fail(`action ${actionId} is ${res.json.state}, not ${state} (${res.json.error ?? ""})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The scheduled time arrives: the runner runs the due action as it would at that moment. */
export async function timeArrives(s: Setup, actionId: string, at: number) {
  const ctx = { ...ctxFromEnv(env), now: at + 1000 };
  return runAction({ ctx, input: { id: actionId, orgId: s.t.orgId, workspaceId: s.wsId } });
}
