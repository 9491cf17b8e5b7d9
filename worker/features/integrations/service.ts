import { and, desc, eq, isNull } from "drizzle-orm";
import type { Ctx, TenantCtx } from "../../core/context";
import { integrations, syncRuns, type SyncReason } from "../../db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { getConnector } from "../../connectors";
import type { Connector, ProviderId } from "../../connectors/types";
import { atLeast, getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { failureView } from "./messages";

export type IntegrationRow = typeof integrations.$inferSelect;
export type SyncRunRow = typeof syncRuns.$inferSelect;

export const PROVIDER_ORDER: ProviderId[] = ["shopify", "woocommerce", "ga4", "klaviyo", "mailchimp", "meta", "google-ads"];

export function connectorOf(provider: string): Connector {
  const c = getConnector(provider);
  if (!c) throw notFound("Provider");
  return c;
}

/** The connectable providers and what the connect form asks (never any secret value). */
export function providerCatalog() {
  return PROVIDER_ORDER.flatMap((id) => {
    const c = getConnector(id);
    if (!c) return [];
    const inputs = c.auth.flow.inputs.map(({ name, label, secret, placeholder, help }) => ({ name, label, secret, placeholder, help }));
    return [{ id: c.id, name: c.name, category: c.category, auth: c.auth.kind, inputs }];
  });
}

/** Tokens that cannot be refreshed (Meta) warn this long before they expire. */
export const RECONNECT_WARNING_MS = 7 * 86_400_000;

/** When the user must reconnect by: the token's expiry when it cannot be refreshed and ends within 7 days. */
export function reconnectBy(row: Pick<IntegrationRow, "tokenExpiresAt" | "status">, connector: Connector | undefined, now = Date.now()): number | null {
  if (!connector || connector.auth.kind !== "oauth2" || connector.auth.flow.refresh || row.tokenExpiresAt === null || row.status === "disconnected") return null;
  return row.tokenExpiresAt - now < RECONNECT_WARNING_MS ? row.tokenExpiresAt : null;
}

/**
 * What the API shows of an integration: status and figures, never a credential. `lastError` is a
 * sentence with what to do; `lastErrorDetail` (the provider's raw reason) goes to admins only.
 */
export function integrationView(row: IntegrationRow, run: SyncRunRow | null, queued = false, admin = false) {
  const failure = failureView(row.provider, row.lastError, admin);
  const connector = getConnector(row.provider);
  const running = run?.status === "running";
  const status = row.status === "active" && running ? "syncing" : row.status;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    provider: row.provider,
    name: connector?.name ?? row.provider,
    category: connector?.category ?? null,
    status,
    label: row.label,
    account: row.account,
    scopes: row.scopes,
    tokenExpiresAt: row.tokenExpiresAt,
    /** Set when the connection ends soon and cannot renew itself: "Reconnect before <date>". */
    reconnectBy: reconnectBy(row, connector),
    connectedAt: row.createdAt,
    lastSyncAt: row.lastSyncAt,
    rowsSynced: row.rowsSynced,
    lastError: failure.message,
    ...(failure.detail !== undefined ? { lastErrorDetail: failure.detail } : {}),
    syncIntervalMinutes: row.syncIntervalMinutes,
    queued,
    progress: running && run ? runView(run, row.provider, admin) : null,
  };
}

/** A sync run; a failed one's `error` is the sentence, its raw reason (`errorDetail`) for admins only. */
export function runView(r: SyncRunRow, provider: string, admin = false) {
  const failure = r.status === "failed" ? failureView(provider, r.error, admin) : { message: r.error, detail: undefined };
  return {
    id: r.id,
    reason: r.reason,
    status: r.status,
    stream: r.stream,
    streamsDone: r.streamsDone,
    streamsTotal: r.streamsTotal,
    pages: r.pages,
    rowsFetched: r.rowsFetched,
    rowsWritten: r.rowsWritten,
    retries: r.retries,
    detail: r.detail,
    error: failure.message,
    ...(failure.detail !== undefined ? { errorDetail: failure.detail } : {}),
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.durationMs,
  };
}

export const syncStub = (env: Env, workspaceId: string) => env.WORKSPACE_SYNC.getByName(workspaceId);

/** Queues a sync of the integration in its workspace's sync object (a duplicate is coalesced there). */
export const queueSync = (env: Env, row: Pick<IntegrationRow, "id" | "workspaceId" | "syncIntervalMinutes">, reason: SyncReason, full = false) =>
  syncStub(env, row.workspaceId).enqueue(row.id, reason, row.syncIntervalMinutes * 60_000, { full });

/** Connected (not disconnected) integrations of a workspace, oldest first. */
export const listIntegrations = ({ ctx: { db, tenant: s } }: { ctx: TenantCtx; input?: undefined }) =>
  db
    .select()
    .from(integrations)
    .where(and(eq(integrations.orgId, s.orgId), eq(integrations.workspaceId, s.workspaceId), isNull(integrations.disconnectedAt)))
    .orderBy(integrations.createdAt);

async function latestRuns({ db, tenant: s }: TenantCtx): Promise<Map<string, SyncRunRow>> {
  const rows = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, s.orgId), eq(syncRuns.workspaceId, s.workspaceId), eq(syncRuns.status, "running")));
  return new Map(rows.map((r) => [r.integrationId, r]));
}

/** A workspace's integrations (with live progress and queue state) and the providers it can connect. */
export async function workspaceIntegrations({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const t = ctx.tenant;
  const [rows, runs, queue] = await Promise.all([listIntegrations({ ctx }), latestRuns(ctx), syncStub(ctx.env, t.workspaceId).status()]);
  const queued = new Set(queue.queued.map((q) => q.integrationId));
  const admin = atLeast(t.role, "admin");
  return { providers: providerCatalog(), integrations: rows.map((r) => integrationView(r, runs.get(r.id) ?? null, queued.has(r.id), admin)) };
}

/** A connected integration within the tenant, or NOT_FOUND. */
export async function getIntegration({ ctx: { db, tenant: s }, input: { id } }: { ctx: TenantCtx; input: { id: string } }): Promise<IntegrationRow> {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.orgId, s.orgId), eq(integrations.workspaceId, s.workspaceId), isNull(integrations.disconnectedAt)))
    .limit(1);
  if (!row) throw notFound("Integration");
  return row;
}

export async function integrationDetail({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await getIntegration({ ctx, input });
  const runs = await latestRuns(ctx);
  return integrationView(row, runs.get(row.id) ?? null, false, atLeast(ctx.tenant.role, "admin"));
}

/** The integration's sync history, newest first. */
export async function integrationRuns({ ctx, input }: { ctx: TenantCtx; input: { id: string; limit: number } }) {
  const { db, tenant: s } = ctx;
  const row = await getIntegration({ ctx, input });
  const runs = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, s.orgId), eq(syncRuns.workspaceId, s.workspaceId), eq(syncRuns.integrationId, row.id)))
    .orderBy(desc(syncRuns.startedAt))
    .limit(input.limit);
  const admin = atLeast(s.role, "admin");
  return { runs: runs.map((r) => runView(r, row.provider, admin)) };
}

/** Sync now: queued ahead of scheduled syncs; an integration that needs reconnecting cannot sync. */
export async function syncIntegration({ ctx, input }: { ctx: TenantCtx; input: { id: string; full: boolean } }) {
  const row = await getIntegration({ ctx, input });
  if (row.status === "needs_reconnect") throw new ApiError("CONFLICT", "Reconnect this integration before syncing it");
  return queueSync(ctx.env, row, "manual", input.full);
}

/**
 * The provider of an integration of the tenant, whatever its state (read after a disconnect has
 * marked the row), for its activity entry; null when there is none.
 */
export async function providerOfIntegration({ ctx: { db, tenant: t }, input: { id } }: { ctx: TenantCtx; input: { id: string } }) {
  const [row] = await db
    .select({ provider: integrations.provider })
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.orgId, t.orgId), eq(integrations.workspaceId, t.workspaceId)))
    .limit(1);
  return row?.provider ?? null;
}

/**
 * The caller's access to an integration's workspace (`/api/integrations/:id` routes): the id is
 * resolved to its workspace, then access is checked exactly like `requireWorkspace`; no access
 * (or another tenant's id) answers 404.
 */
export async function integrationAccess({ ctx: { db }, input: { userId, id } }: { ctx: Ctx; input: { userId: string; id: string } }): Promise<TenantContext> {
  const [row] = await db
    .select({ workspaceId: integrations.workspaceId })
    .from(integrations)
    .where(and(eq(integrations.id, id), isNull(integrations.disconnectedAt)))
    .limit(1);
  if (!row) throw notFound("Integration");
  try {
    return await getWorkspaceAccess(db, userId, row.workspaceId);
  } catch {
    throw notFound("Integration");
  }
}

export const reasonPriority: Record<SyncReason, number> = { manual: 3, initial: 2, scheduled: 1 };
