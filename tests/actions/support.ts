// Helpers for the approval path's tests: a workspace with its owner, a proposing context, a test
// executor that counts its provider calls per attempt, and waiting for an action to settle.
import { expect } from "vitest";
import { ctxFromEnv, type TenantCtx } from "../../worker/core/context";
import { actionExecutor, registerActionExecutor, type ActionExecutor, type ActionKind, type ActionOutcome } from "../../worker/core/actions";
import { getWorkspaceAccess } from "../../worker/core/tenancy";
import { proposeAction, type ProposeInput } from "../../worker/features/actions";
import { call, env, expectStatus, newTenant, newWorkspace, type Tenant } from "../support/harness";

export { call, env, expectStatus };

export async function owner(name = "Client Co") {
  const t = await newTenant({ name: "Agency" });
  const ws = await newWorkspace(t, name);
  return { t, ws };
}

export async function tenantCtx(userId: string, workspaceId: string): Promise<TenantCtx> {
  const ctx = ctxFromEnv(env);
  return { ...ctx, tenant: await getWorkspaceAccess(ctx.db, userId, workspaceId) };
}

export async function propose(t: Pick<Tenant, "userId">, workspaceId: string, input: Partial<ProposeInput> & { kind: ActionKind }) {
  return proposeAction({
    ctx: await tenantCtx(t.userId, workspaceId),
    input: { subjectType: "test", subjectId: "subject-1", summary: "Send the test reply", before: { sent: false }, after: { sent: true }, ...input },
  });
}

/** The test executor's provider: calls per attempt id, and the outcomes it will answer next. */
export const provider = { calls: new Map<string, number>(), script: [] as ActionOutcome[], seen: [] as string[] };

/** A stand-in feature for the kind `send_reply` (the inbox registers the real one): counts calls per attemptId. */
export const testExecutor: ActionExecutor = {
  kind: "send_reply",
  async execute({ action }) {
    provider.calls.set(action.attemptId, (provider.calls.get(action.attemptId) ?? 0) + 1);
    provider.seen.push(action.id);
    // A slow provider: concurrent runners have time to race.
    await new Promise((r) => setTimeout(r, 50));
    return provider.script.shift() ?? { ok: true, result: { messageId: `m-${action.attemptId}` } };
  },
  async guard({ action, limits }) {
    const words = String((action.after as { text?: string }).text ?? "").length;
    return limits.maxChars !== undefined && words > limits.maxChars ? `Longer than ${limits.maxChars} characters` : null;
  },
};
let real: ActionExecutor | undefined;
export const useTestExecutor = () => {
  const current = actionExecutor("send_reply");
  if (current !== testExecutor) real = current;
  registerActionExecutor(testExecutor);
};
/**
 * Puts the inbox's real send_reply executor back (afterAll in each file that uses the stand-in):
 * one workerd runtime serves a pool worker's files in turn (isolate: false), so the registry
 * outlives the file, and tests/inbox/drafts.test.ts found the stand-in's guard in place of the
 * real one (its client reply went out on autopilot).
 */
export const restoreExecutor = () => {
  if (real) registerActionExecutor(real);
};

const TERMINAL = new Set(["done", "failed", "rejected", "cancelled"]);

/** Polls the action until it reaches a terminal state (or `state`). */
export async function settle(token: string, workspaceId: string, id: string, state?: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await call("GET", `/api/workspaces/${workspaceId}/actions/${id}`, { token });
    expectStatus(res, 200);
    if (state ? res.json.state === state : TERMINAL.has(res.json.state)) return res.json;
    if (Date.now() > until) expect.fail(`action ${id} still ${res.json.state} (${res.json.error ?? ""})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
