import type { MiddlewareHandler } from "hono";
import { and, count, eq, gt, gte, isNull, ne, sql } from "drizzle-orm";
import type { AppEnv } from "../../core/context";
import type { Database } from "../../db/client";
import { aiUsage, integrations, invitations, memberships, portalAccess, workspaces } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { PLANS, type Limits } from "./plans";
import { billingRow, entitlement } from "./state";

type Entitlement = ReturnType<typeof entitlement>;
const upgrade = (orgId: string) => ({ upgradeUrl: "/settings/billing", billingApi: `/api/orgs/${orgId}/billing` });

/** Writes that stay open while read-only: billing itself, account and privacy rights, sign-in, and removals that free a seat or an account. */
const ALWAYS_OPEN = [
  /^\/api\/orgs\/[^/]+\/billing(\/|$)/,
  /^\/api\/(auth|me|privacy|consent|notifications|analytics|operator|webhooks|invoice-links|invitations|dev)(\/|$)/,
  /^\/api\/orgs$/,
];
const REMOVALS = [/^\/api\/orgs\/[^/]+\/(members|invitations)\/[^/]+$/, /^\/api\/integrations\/[^/]+$/];

/**
 * The organization a path names, when the caller belongs to it (as member or portal user); null when
 * it names one the caller cannot see (the route answers its own 404), undefined when it names none.
 */
async function orgOfPath(db: Database, userId: string, path: string): Promise<string | null | undefined> {
  const org = /^\/api\/orgs\/([^/]+)/.exec(path);
  if (org) {
    const orgId = decodeURIComponent(org[1]!);
    const [m] = await db.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))).limit(1);
    return m ? orgId : null;
  }
  const ws = /^\/api\/workspaces\/([^/]+)/.exec(path);
  if (!ws) return undefined;
  const [row] = await db
    .select({ orgId: workspaces.orgId, member: memberships.id, portal: portalAccess.id })
    .from(workspaces)
    .leftJoin(memberships, and(eq(memberships.orgId, workspaces.orgId), eq(memberships.userId, userId)))
    .leftJoin(portalAccess, and(eq(portalAccess.workspaceId, workspaces.id), eq(portalAccess.userId, userId)))
    .where(eq(workspaces.id, decodeURIComponent(ws[1]!)))
    .limit(1);
  return row && (row.member || row.portal) ? row.orgId : null;
}

function readOnly(orgId: string): ApiError {
  return new ApiError(
    "PAYMENT_REQUIRED",
    "Your QWEB subscription payment failed and the grace period is over: your data is safe and you can still read everything, but changes are paused until the card is updated in Settings → Billing",
    { details: { limit: "read_only", ...upgrade(orgId) } },
  );
}

function overLimit(orgId: string, e: Entitlement, limit: keyof Limits, what: string) {
  const allowed = e.limits[limit];
  const shown = limit === "aiBudgetMinor" ? `$${(allowed / 100).toFixed(2)} of AI a month` : `${allowed} ${what}`;
  return new ApiError("PAYMENT_REQUIRED", `The ${PLANS[e.plan].name} plan includes ${shown}: upgrade in Settings → Billing${limit === "aiBudgetMinor" ? " or wait for next month" : " or remove one first"}`, {
    details: { limit, allowed, ...upgrade(orgId) },
  });
}

/** Seats taken: members plus open organization invitations (an invitation holds its seat until it expires). */
export async function seatsTaken(db: Database, orgId: string, now: number) {
  const [[m], [i]] = await db.batch([
    db.select({ n: count() }).from(memberships).where(eq(memberships.orgId, orgId)),
    db.select({ n: count() }).from(invitations).where(and(eq(invitations.orgId, orgId), isNull(invitations.workspaceId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now))),
  ]);
  return (m?.n ?? 0) + (i?.n ?? 0);
}

/** The organization's AI spend this calendar month (UTC), in minor units (cents); usage is kept in micro-units. */
export async function aiSpendMinor(db: Database, orgId: string, now: number) {
  const d = new Date(now);
  const [row] = await db
    .select({ total: sql<number>`coalesce(sum(${aiUsage.costMicros}), 0)` })
    .from(aiUsage)
    .where(and(eq(aiUsage.orgId, orgId), gte(aiUsage.createdAt, Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))));
  return Math.ceil(Number(row?.total ?? 0) / 10_000);
}

async function checkPlanLimit(db: Database, method: string, path: string, orgId: string, e: Entitlement, now: number) {
  if (method !== "POST") return;
  if (/^\/api\/orgs\/[^/]+\/invitations$/.test(path)) {
    if ((await seatsTaken(db, orgId, now)) >= e.limits.seats) throw overLimit(orgId, e, "seats", "seats (members and open invitations)");
  } else if (/^\/api\/workspaces\/[^/]+\/integrations\/[^/]+\/connect$/.test(path)) {
    const [row] = await db.select({ n: count() }).from(integrations).where(and(eq(integrations.orgId, orgId), ne(integrations.status, "disconnected")));
    if ((row?.n ?? 0) >= e.limits.connectedAccounts) throw overLimit(orgId, e, "connectedAccounts", "connected accounts");
  } else if (/^\/api\/workspaces\/[^/]+\/ai\/jobs$/.test(path)) {
    if ((await aiSpendMinor(db, orgId, now)) >= e.limits.aiBudgetMinor) throw overLimit(orgId, e, "aiBudgetMinor", "");
  }
}

/**
 * P07, applied to every /api write: read-only once a failed payment's grace period is over (reads
 * and billing stay open), and the plan's seats, connected accounts and AI budget. 402 with the
 * upgrade path. Writes that name no organization (e.g. /api/content/:id) are read-only when every
 * organization of the caller is.
 */
export const planGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  const path = c.req.path;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS" || !c.var.auth || ALWAYS_OPEN.some((r) => r.test(path))) return next();
  const db = c.var.db;
  const now = c.var.ctx.now;
  const removal = method === "DELETE" && REMOVALS.some((r) => r.test(path));
  const orgId = await orgOfPath(db, c.var.auth.userId, path);
  if (orgId === null) return next();
  if (orgId === undefined) {
    if (removal) return next();
    const mine = await db.select({ orgId: memberships.orgId }).from(memberships).where(eq(memberships.userId, c.var.auth.userId)).limit(20);
    if (!mine.length) return next();
    const states = await Promise.all(mine.map(async (m) => entitlement(await billingRow(db, m.orgId), now)));
    if (states.every((s) => s.access === "read_only")) throw readOnly(mine[0]!.orgId);
    return next();
  }
  const e = entitlement(await billingRow(db, orgId), now);
  if (e.access === "read_only" && !removal) throw readOnly(orgId);
  await checkPlanLimit(db, method, path, orgId, e, now);
  await next();
};
