import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, syncRuns, type SyncReason } from "../../db/schema";
import { notFound } from "../../lib/errors";
import { getConnector } from "../../connectors";
import type { Connector, ProviderId } from "../../connectors/types";
import { getWorkspaceAccess, type TenantContext } from "../../core/tenancy";
import { failureView } from "./messages";

export type IntegrationRow = typeof integrations.$inferSelect;
export type SyncRunRow = typeof syncRuns.$inferSelect;
export type Scope = { orgId: string; workspaceId: string };

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

/** Connected (not disconnected) integrations of a workspace, oldest first. */
export const listIntegrations = (db: Database, s: Scope) =>
  db
    .select()
    .from(integrations)
    .where(and(eq(integrations.orgId, s.orgId), eq(integrations.workspaceId, s.workspaceId), isNull(integrations.disconnectedAt)))
    .orderBy(integrations.createdAt);

export async function latestRuns(db: Database, s: Scope): Promise<Map<string, SyncRunRow>> {
  const rows = await db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, s.orgId), eq(syncRuns.workspaceId, s.workspaceId), eq(syncRuns.status, "running")));
  return new Map(rows.map((r) => [r.integrationId, r]));
}

export async function runsOf(db: Database, s: Scope, integrationId: string, limit: number) {
  return db
    .select()
    .from(syncRuns)
    .where(and(eq(syncRuns.orgId, s.orgId), eq(syncRuns.workspaceId, s.workspaceId), eq(syncRuns.integrationId, integrationId)))
    .orderBy(desc(syncRuns.startedAt))
    .limit(limit);
}

/** A connected integration within the scope, or NOT_FOUND. */
export async function getIntegration(db: Database, s: Scope, id: string): Promise<IntegrationRow> {
  const [row] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.orgId, s.orgId), eq(integrations.workspaceId, s.workspaceId), isNull(integrations.disconnectedAt)))
    .limit(1);
  if (!row) throw notFound("Integration");
  return row;
}

/**
 * The caller's access to an integration's workspace (`/api/integrations/:id` routes): the id is
 * resolved to its workspace, then access is checked exactly like `requireWorkspace`; no access
 * (or another tenant's id) answers 404.
 */
export async function integrationAccess(db: Database, userId: string, id: string): Promise<TenantContext> {
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
