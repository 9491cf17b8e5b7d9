import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { aiUsage, type AiProviderId } from "../../db/schema";
import { costMicros } from "../../connectors/ai/prices";
import type { Usage } from "../../connectors/ai/types";
import { newId } from "../../lib/ids";
import { chunkRows, columnsOf } from "../../db/chunk";
import type { Ctx } from "../../core/context";
import { getOrgAccess } from "../../core/tenancy";
import { forbidden } from "../../lib/errors";

export type UsageRow = typeof aiUsage.$inferInsert;

/** One usage row (P16): tokens, images, cost in micro-USD, duration and outcome of one call. */
export function usageRow(p: { orgId: string; workspaceId: string; jobId: string; agent: string | null; provider: AiProviderId; model: string; usage: Usage; durationMs: number; outcome: UsageRow["outcome"]; key: string; now: number }): UsageRow {
  return {
    id: newId(),
    orgId: p.orgId,
    workspaceId: p.workspaceId,
    jobId: p.jobId,
    agent: p.agent,
    provider: p.provider,
    model: p.model,
    inputTokens: p.usage.inputTokens,
    outputTokens: p.usage.outputTokens,
    images: p.usage.images,
    costMicros: costMicros(p.provider, p.model, p.usage),
    currency: "USD",
    durationMs: Math.max(0, Math.round(p.durationMs)),
    outcome: p.outcome,
    idempotencyKey: p.key,
    createdAt: p.now,
  };
}

export const insertUsage = (db: Database, rows: UsageRow[]) =>
  chunkRows(rows, columnsOf(aiUsage)).map((part) => db.insert(aiUsage).values(part).onConflictDoNothing({ target: aiUsage.idempotencyKey }));

const groupCols = {
  month: sql<string>`strftime('%Y-%m', ${aiUsage.createdAt} / 1000, 'unixepoch')`,
  agent: sql<string>`coalesce(${aiUsage.agent}, 'studio')`,
  provider: sql<string>`${aiUsage.provider}`,
  model: sql<string>`${aiUsage.model}`,
} as const;
export type UsageGroup = keyof typeof groupCols;

/** GET /api/ai/usage: totals by month, agent, provider or model over [from, to). */
export async function aggregateUsage(db: Database, q: { orgId: string; workspaceId?: string; from: number; to: number; by: UsageGroup }) {
  const key = groupCols[q.by];
  const rows = await db
    .select({
      key,
      calls: sql<number>`count(*)`,
      inputTokens: sql<number>`sum(${aiUsage.inputTokens})`,
      outputTokens: sql<number>`sum(${aiUsage.outputTokens})`,
      images: sql<number>`sum(${aiUsage.images})`,
      costMicros: sql<number>`sum(${aiUsage.costMicros})`,
      durationMs: sql<number>`sum(${aiUsage.durationMs})`,
      failures: sql<number>`sum(case when ${aiUsage.outcome} = 'ok' then 0 else 1 end)`,
    })
    .from(aiUsage)
    .where(and(eq(aiUsage.orgId, q.orgId), q.workspaceId ? eq(aiUsage.workspaceId, q.workspaceId) : undefined, gte(aiUsage.createdAt, q.from), lt(aiUsage.createdAt, q.to)))
    .groupBy(key)
    .orderBy(key);
  return rows.map((r) => ({ ...r, calls: Number(r.calls), inputTokens: Number(r.inputTokens), outputTokens: Number(r.outputTokens), images: Number(r.images), costMicros: Number(r.costMicros), durationMs: Number(r.durationMs), failures: Number(r.failures) }));
}

const monthStartOf = (m: string) => Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1, 1);

/** GET /api/ai/usage: organization admins only; by default the last 12 months up to this one (UTC). */
export async function usageReport({ ctx, input: q }: { ctx: Ctx; input: { userId: string; orgId: string; workspaceId?: string; from?: string; to?: string; by: UsageGroup } }) {
  const org = await getOrgAccess(ctx.db, q.userId, q.orgId);
  if (org.role === "member") throw forbidden("Only organization admins see AI usage and cost");
  const now = new Date(ctx.now);
  const to = q.to ? Date.UTC(Number(q.to.slice(0, 4)), Number(q.to.slice(5, 7)), 1) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const from = q.from ? monthStartOf(q.from) : Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1);
  const rows = await aggregateUsage(ctx.db, { orgId: q.orgId, workspaceId: q.workspaceId, from, to, by: q.by });
  return { by: q.by, currency: "USD", from, to, rows };
}
