import type { MiddlewareHandler } from "hono";
import { count, eq } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import type { Database } from "../../db/client";
import { memberships, workspaces } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { PLANS } from "./plans";
import { billingRow, entitlement } from "./state";

const upgrade = (orgId: string) => ({ upgradeUrl: "/settings/billing", billingApi: `/api/orgs/${orgId}/billing` });

/** 402 when a failed payment's grace period is over: reads still work, writes wait for the card (no data is lost). */
export async function assertWritable(db: Database, orgId: string, now = Date.now()) {
  const e = entitlement(await billingRow(db, orgId), now);
  if (e.access === "read_only") {
    throw new ApiError("PAYMENT_REQUIRED", "Your QWEB subscription payment failed and the grace period is over: your data is safe, but changes are paused until the card is updated in Settings → Billing", { details: upgrade(orgId) });
  }
  return e;
}

/** 402 with an upgrade path when the organization's plan has no room for another workspace. */
export async function assertCanAddWorkspace(db: Database, orgId: string, now = Date.now()) {
  const e = await assertWritable(db, orgId, now);
  const [row] = await db.select({ n: count() }).from(workspaces).where(eq(workspaces.orgId, orgId));
  if ((row?.n ?? 0) >= e.limits.workspaces) {
    throw new ApiError("PAYMENT_REQUIRED", `The ${PLANS[e.plan].name} plan includes ${e.limits.workspaces} workspaces: upgrade in Settings → Billing to add more`, { details: { limit: "workspaces", allowed: e.limits.workspaces, ...upgrade(orgId) } });
  }
}

/** POST /api/workspaces: the plan's workspace limit, checked for the organization the body names (or the caller's only one). */
export const workspaceLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== "POST" || c.req.path !== "/api/workspaces") return next();
  let orgId: string | undefined;
  try {
    const body = (await c.req.json()) as { orgId?: unknown };
    if (typeof body?.orgId === "string") orgId = body.orgId;
  } catch {
    return next(); // the route's validator answers a malformed body
  }
  if (!orgId) {
    const mine = await c.var.db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, c.var.auth.userId)).limit(2);
    if (mine.length === 1) orgId = mine[0]!.orgId;
  }
  if (orgId) {
    const [m] = await c.var.db.select({ role: memberships.role }).from(memberships).where(eq(memberships.orgId, orgId)).limit(1);
    if (m) await assertCanAddWorkspace(c.var.db, orgId);
  }
  await next();
};
