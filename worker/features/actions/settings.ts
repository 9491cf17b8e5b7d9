import { and, eq } from "drizzle-orm";
import type { TenantCtx } from "../../core/context";
import { actionExecutor, actionKinds, type ActionKind } from "../../core/actions";
import { actionSettings } from "../../db/schema";
import { approversFor, setApprovers } from "../approvals";
import type { SettingsBody } from "./schemas";

/** Autopilot, guardrail limits and approvers for every action kind of the workspace. */
export async function listSettings({ ctx }: { ctx: TenantCtx }) {
  const rows = await ctx.db
    .select()
    .from(actionSettings)
    .where(and(eq(actionSettings.workspaceId, ctx.tenant.workspaceId), eq(actionSettings.orgId, ctx.tenant.orgId)));
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return Promise.all(actionKinds.map(async (kind) => settingsView(kind, byKind.get(kind) ?? null, await approversFor({ ctx, input: { subjectKind: kind } }))));
}

const settingsView = (kind: ActionKind, row: { autopilot: boolean; limits: Record<string, number> } | null, approvers: Awaited<ReturnType<typeof approversFor>>) => {
  const executor = actionExecutor(kind);
  return { kind, autopilot: row?.autopilot ?? false, limits: row?.limits ?? {}, approvers, available: !!executor, guarded: !!executor?.guard };
};

export async function saveSettings({ ctx, input }: { ctx: TenantCtx; input: { kind: ActionKind } & SettingsBody }) {
  const { db, tenant, now } = ctx;
  await db
    .insert(actionSettings)
    .values({ workspaceId: tenant.workspaceId, orgId: tenant.orgId, kind: input.kind, autopilot: input.autopilot, limits: input.limits, updatedBy: tenant.userId, updatedAt: now })
    .onConflictDoUpdate({ target: [actionSettings.workspaceId, actionSettings.kind], set: { autopilot: input.autopilot, limits: input.limits, updatedBy: tenant.userId, updatedAt: now } });
  if (input.approvers) await setApprovers({ ctx, input: { subjectKind: input.kind, approvers: input.approvers } });
  return settingsView(input.kind, input, await approversFor({ ctx, input: { subjectKind: input.kind } }));
}
