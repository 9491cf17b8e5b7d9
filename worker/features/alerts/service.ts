import { and, desc, eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client";
import { alertRules, alerts, memberships, type AlertKind, type AlertParams } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { TenantContext } from "../../core/context";

export type Ctx = { db: Database; tenant: TenantContext; now: number };
type RuleInput = { kind: AlertKind; name: string; params: AlertParams; recipients: string[]; enabled: boolean };

const inWorkspace = (t: TenantContext) => and(eq(alertRules.workspaceId, t.workspaceId), eq(alertRules.orgId, t.orgId));

/** Recipients must be members of the workspace's organization (never another tenant's users). */
async function checkRecipients(db: Database, t: TenantContext, ids: string[]) {
  if (!ids.length) return;
  const found = await db.select({ id: memberships.userId }).from(memberships).where(and(eq(memberships.orgId, t.orgId), inArray(memberships.userId, ids)));
  if (found.length !== new Set(ids).size) throw new ApiError("VALIDATION_FAILED", "Every recipient must be a member of the organization");
}

export async function getRuleInWorkspace(db: Database, t: TenantContext, id: string) {
  const [r] = await db.select().from(alertRules).where(and(eq(alertRules.id, id), inWorkspace(t))).limit(1);
  if (!r) throw notFound("Alert rule");
  return r;
}

export const listRules = ({ ctx }: { ctx: Ctx }) => ctx.db.select().from(alertRules).where(inWorkspace(ctx.tenant)).orderBy(alertRules.createdAt);

export async function createRule({ ctx, input }: { ctx: Ctx; input: RuleInput }) {
  await checkRecipients(ctx.db, ctx.tenant, input.recipients);
  const row = { id: newId(), orgId: ctx.tenant.orgId, workspaceId: ctx.tenant.workspaceId, ...input, createdBy: ctx.tenant.userId, createdAt: ctx.now, updatedAt: ctx.now };
  await ctx.db.insert(alertRules).values(row);
  return row;
}

export async function updateRule({ ctx, input }: { ctx: Ctx; input: { id: string; patch: Partial<RuleInput> } }) {
  const rule = await getRuleInWorkspace(ctx.db, ctx.tenant, input.id);
  if (input.patch.recipients) await checkRecipients(ctx.db, ctx.tenant, input.patch.recipients);
  await ctx.db.update(alertRules).set({ ...input.patch, updatedAt: ctx.now }).where(and(eq(alertRules.id, rule.id), inWorkspace(ctx.tenant)));
  return getRuleInWorkspace(ctx.db, ctx.tenant, rule.id);
}

export async function deleteRule({ ctx, input }: { ctx: Ctx; input: { id: string } }) {
  const rule = await getRuleInWorkspace(ctx.db, ctx.tenant, input.id);
  await ctx.db.delete(alertRules).where(and(eq(alertRules.id, rule.id), inWorkspace(ctx.tenant)));
}

const alertInWorkspace = (t: TenantContext, id: string) => and(eq(alerts.id, id), eq(alerts.workspaceId, t.workspaceId), eq(alerts.orgId, t.orgId));

export const listAlerts = ({ ctx }: { ctx: Ctx }) =>
  ctx.db.select().from(alerts).where(and(eq(alerts.workspaceId, ctx.tenant.workspaceId), eq(alerts.orgId, ctx.tenant.orgId))).orderBy(desc(alerts.createdAt)).limit(200);

/** Acknowledge, or snooze the rule's alerts until a time; another workspace's alert is 404. */
export async function setAlertStatus({ ctx, input }: { ctx: Ctx; input: { id: string; status: "acknowledged" | "snoozed"; until?: number } }) {
  if (input.status === "snoozed" && (!input.until || input.until <= ctx.now)) throw new ApiError("VALIDATION_FAILED", "Snooze until a time in the future");
  const [row] = await ctx.db
    .update(alerts)
    .set(input.status === "acknowledged"
      ? { status: "acknowledged", acknowledgedBy: ctx.tenant.userId, acknowledgedAt: ctx.now, snoozedUntil: null }
      : { status: "snoozed", snoozedUntil: input.until })
    .where(alertInWorkspace(ctx.tenant, input.id))
    .returning();
  if (!row) throw notFound("Alert");
  return row;
}
