import { and, asc, eq } from "drizzle-orm";
import { approvalEvents, approvalPolicies, type ApproverRole } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { TenantCtx } from "../../core/context";
import type { TenantContext } from "../../core/tenancy";

/** Without a saved policy the team's editors and admins approve; a workspace adds its client's portal editors or admins. */
export const DEFAULT_APPROVERS: ApproverRole[] = ["editor", "admin"];

/** How the policy sees the caller: team members as editor/admin, portal users as portal_editor/portal_admin; viewers approve nothing. */
export function approverRoleOf(t: Pick<TenantContext, "role" | "orgRole">): ApproverRole | null {
  if (t.orgRole) return t.orgRole === "member" ? "editor" : "admin";
  if (t.role === "editor") return "portal_editor";
  if (t.role === "admin") return "portal_admin";
  return null;
}

export async function approversFor({ ctx, input: { subjectKind } }: { ctx: TenantCtx; input: { subjectKind: string } }): Promise<ApproverRole[]> {
  const { db, tenant: t } = ctx;
  const [row] = await db
    .select({ approvers: approvalPolicies.approvers })
    .from(approvalPolicies)
    .where(and(eq(approvalPolicies.workspaceId, t.workspaceId), eq(approvalPolicies.orgId, t.orgId), eq(approvalPolicies.subjectKind, subjectKind)))
    .limit(1);
  return row?.approvers ?? DEFAULT_APPROVERS;
}

export async function setApprovers({ ctx, input: { subjectKind, approvers } }: { ctx: TenantCtx; input: { subjectKind: string; approvers: ApproverRole[] } }) {
  const { db, tenant: t, now } = ctx;
  await db
    .insert(approvalPolicies)
    .values({ workspaceId: t.workspaceId, orgId: t.orgId, subjectKind, approvers, updatedBy: t.userId, updatedAt: now })
    .onConflictDoUpdate({ target: [approvalPolicies.workspaceId, approvalPolicies.subjectKind], set: { approvers, updatedBy: t.userId, updatedAt: now } });
  return { approvers };
}

/** Whether the caller may approve or reject under the workspace's policy. */
export async function mayApprove({ ctx, input }: { ctx: TenantCtx; input: { subjectKind: string } }) {
  const role = approverRoleOf(ctx.tenant);
  return !!role && (await approversFor({ ctx, input })).includes(role);
}

export type AuditEvent = { subjectKind: string; subjectId: string; action: (typeof approvalEvents.$inferInsert)["action"]; toStatus: string; note?: string | null };

/** An audit entry, as a statement for the caller's db.batch (written with the state change it records). */
export const auditStatement = ({ ctx: { db, tenant: t, now }, input: e }: { ctx: TenantCtx; input: AuditEvent }) =>
  db.insert(approvalEvents).values({ id: newId(), orgId: t.orgId, workspaceId: t.workspaceId, subjectKind: e.subjectKind, subjectId: e.subjectId, action: e.action, toStatus: e.toStatus, actorId: t.userId, actorRole: approverRoleOf(t) ?? t.role, note: e.note ?? null, createdAt: now });

export const auditTrail = ({ ctx: { db, tenant: t }, input: { subjectKind, subjectId } }: { ctx: TenantCtx; input: { subjectKind: string; subjectId: string } }) =>
  db
    .select({ id: approvalEvents.id, action: approvalEvents.action, toStatus: approvalEvents.toStatus, actorId: approvalEvents.actorId, actorRole: approvalEvents.actorRole, note: approvalEvents.note, createdAt: approvalEvents.createdAt })
    .from(approvalEvents)
    .where(and(eq(approvalEvents.orgId, t.orgId), eq(approvalEvents.subjectKind, subjectKind), eq(approvalEvents.subjectId, subjectId)))
    .orderBy(asc(approvalEvents.createdAt));
