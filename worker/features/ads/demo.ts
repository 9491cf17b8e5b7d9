// Local demo only: a pause and a budget change proposed by the agency member in each demo client,
// so Approvals has something waiting for the demo owner after `npm start`.
import { and, asc, eq } from "drizzle-orm";
import { ctxFromEnv } from "../../core/context";
import { getWorkspaceAccess } from "../../core/tenancy";
import type { Database } from "../../db/client";
import { actions, adCampaigns } from "../../db/schema";
import { proposeBudget, proposeStatus } from "./campaigns";

export async function seedDemoActions(env: Env, db: Database, proposerId: string, workspaces: { id: string; orgId: string }[]) {
  for (const ws of workspaces) {
    const [any] = await db.select({ id: actions.id }).from(actions).where(and(eq(actions.orgId, ws.orgId), eq(actions.workspaceId, ws.id))).limit(1);
    if (any) continue;
    const ctx = { ...ctxFromEnv(env), db, tenant: await getWorkspaceAccess(db, proposerId, ws.id) };
    const rows = await db.select().from(adCampaigns).where(and(eq(adCampaigns.orgId, ws.orgId), eq(adCampaigns.workspaceId, ws.id))).orderBy(asc(adCampaigns.name));
    const running = rows.filter((r) => r.status === "ACTIVE" || r.status === "ENABLED");
    // The last running campaign is paused; the first other one with a daily budget of its own gets +15 %.
    const pause = running.at(-1);
    if (pause) await proposeStatus({ ctx, input: { integrationId: pause.integrationId, campaignId: pause.providerId, pause: true } });
    const budget = rows.find((r) => r !== pause && r.dailyBudgetMinor && !r.sharedBudget);
    if (budget) await proposeBudget({ ctx, input: { integrationId: budget.integrationId, campaignId: budget.providerId, dailyBudgetMinor: Math.round(budget.dailyBudgetMinor! * 1.15) } });
  }
}
