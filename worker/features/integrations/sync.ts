import { and, eq, isNull } from "drizzle-orm";
import { createDb, type Database } from "../../db/client";
import { integrations, syncRuns, type SyncReason } from "../../db/schema";
import { newId } from "../../lib/ids";
import { VaultError } from "../../lib/vault";
import { getConnector } from "../../connectors";
import { ProviderError } from "../../connectors/http";
import { buildRuntime } from "../../connectors/runtime";
import type { Connector, ConnectorRuntime, Secrets, StreamPage } from "../../connectors/types";
import { openSecrets, sealStatements } from "./credentials";
import { countRows, heldRowsStatement, rowCount, runWrites, writeStatements } from "./persist";
import { notifyIntegrationFailure } from "./notify";
import type { IntegrationRow } from "./service";

/** Everything one sync invocation needs; plaintext secrets live here only while it runs. */
export type SyncContext = {
  env: Env;
  db: Database;
  integration: IntegrationRow;
  connector: Connector;
  rt: ConnectorRuntime;
  secrets: Secrets;
  account: Record<string, string>;
  /** Set when the stored credentials do not decrypt (a copied or tampered row): the run fails with it. */
  unreadable?: string;
};

export class NeedsReconnect extends Error {}

/** Loads a connected integration with its decrypted secrets; null when it is gone or disconnected. */
export async function openContext(env: Env, integrationId: string): Promise<SyncContext | null> {
  const db = createDb(env.DB);
  const [integration] = await db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, integrationId), isNull(integrations.disconnectedAt)))
    .limit(1);
  const connector = integration && getConnector(integration.provider);
  if (!integration || !connector) return null;
  const account = integration.account;
  const ctx: SyncContext = { env, db, integration, connector, rt: buildRuntime(env, connector.id), secrets: {}, account };
  try {
    ctx.secrets = await openSecrets(env, db, integration);
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    ctx.unreadable = "QWEB could not read the stored credentials; reconnect the account.";
  }
  return ctx;
}

export async function startRun(ctx: SyncContext, reason: SyncReason, now: number): Promise<string> {
  const id = newId();
  const { orgId, workspaceId, id: integrationId } = ctx.integration;
  await ctx.db.insert(syncRuns).values({
    id, orgId, workspaceId, integrationId, reason, status: "running",
    stream: ctx.connector.streams[0]?.name ?? null, streamsTotal: ctx.connector.streams.length, startedAt: now,
  });
  return id;
}

export type Progress = { stream: string | null; streamsDone: number; pages: number; rowsFetched: number; rowsWritten: number; retries: number; detail: string | null };

const progressStatement = (d1: D1Database, runId: string, p: Progress) =>
  d1
    .prepare("UPDATE sync_runs SET stream = ?, streams_done = ?, pages = ?, rows_fetched = ?, rows_written = ?, retries = ?, detail = ? WHERE id = ?")
    .bind(p.stream, p.streamsDone, p.pages, p.rowsFetched, p.rowsWritten, p.retries, p.detail, runId);

/** Writes one page and the run's progress atomically; returns rows written. */
export async function writePage(ctx: SyncContext, runId: string, page: StreamPage, progress: Progress): Promise<number> {
  const i = ctx.integration;
  const owner = { integrationId: i.id, orgId: i.orgId, workspaceId: i.workspaceId, source: i.provider };
  const fetched = rowCount(page.batch);
  const writes = writeStatements(ctx.env.DB, owner, page.batch);
  // The progress row goes in the same batch, before D1 has counted the changes: it counts the
  // page's rows as written; the next page's progress (and the run's end) carry D1's own count.
  // The integration's row count moves in the same batch, so the list and the run agree.
  const next = { ...progress, pages: progress.pages + 1, rowsFetched: progress.rowsFetched + fetched, detail: null };
  const extra = [progressStatement(ctx.env.DB, runId, { ...next, rowsWritten: progress.rowsWritten + fetched }), heldRowsStatement(ctx.env.DB, i.id)];
  const written = await runWrites(ctx.env.DB, writes, extra);
  Object.assign(progress, next, { rowsWritten: progress.rowsWritten + written });
  return written;
}

export const saveProgress = (ctx: SyncContext, runId: string, p: Progress) => progressStatement(ctx.env.DB, runId, p).run();

/** Ends a run and records its outcome on the integration. */
export async function finishRun(
  ctx: SyncContext,
  runId: string,
  startedAt: number,
  outcome: { status: "succeeded" | "failed" | "cancelled"; error?: string; integrationStatus?: "active" | "error" | "needs_reconnect" },
  progress: Progress,
  now = Date.now(),
) {
  const rows = await countRows(ctx.env.DB, ctx.integration.id);
  const integrationPatch: Partial<IntegrationRow> = { rowsSynced: rows, updatedAt: now };
  if (outcome.status === "succeeded") Object.assign(integrationPatch, { lastSyncAt: now, status: "active", lastError: null });
  else if (outcome.integrationStatus) Object.assign(integrationPatch, { status: outcome.integrationStatus, lastError: outcome.error ?? null });
  await ctx.db.batch([
    ctx.db
      .update(syncRuns)
      .set({ ...progress, detail: null, status: outcome.status, error: outcome.error ?? null, finishedAt: now, durationMs: now - startedAt })
      .where(eq(syncRuns.id, runId)),
    ctx.db.update(integrations).set(integrationPatch).where(and(eq(integrations.id, ctx.integration.id), isNull(integrations.disconnectedAt))),
  ]);
  // A new failure episode (it worked before) is told once; later failed runs of it are not.
  if (outcome.integrationStatus === "error" && ctx.integration.status !== "error" && outcome.error) {
    await notifyIntegrationFailure(ctx.env, ctx.db, ctx.integration, ctx.connector.name, outcome.error, "error");
  }
  if (outcome.integrationStatus) ctx.integration = { ...ctx.integration, status: outcome.integrationStatus };
}

/**
 * Refreshes the OAuth tokens and stores the new grant encrypted. A refresh the provider refuses
 * throws NeedsReconnect; network trouble stays a transient ProviderError.
 */
export async function refreshTokens(ctx: SyncContext, now = Date.now()): Promise<void> {
  const auth = ctx.connector.auth;
  if (auth.kind !== "oauth2" || !auth.flow.refresh) throw new NeedsReconnect(`${ctx.connector.name} rejected the stored credentials`);
  let grant;
  try {
    grant = await auth.flow.refresh(ctx.rt, { secrets: ctx.secrets, account: ctx.account });
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "transient" || err.kind === "rate-limited")) throw err;
    throw new NeedsReconnect(`${ctx.connector.name} refused to renew access: ${err instanceof Error ? err.message : String(err)}`);
  }
  const i = ctx.integration;
  const account = grant.account ? { ...ctx.account, ...grant.account } : ctx.account;
  await ctx.db.batch([
    ctx.db
      .update(integrations)
      .set({
        tokenExpiresAt: grant.expiresAt,
        account,
        ...(grant.scopes.length ? { scopes: grant.scopes } : {}),
        updatedAt: now,
      })
      .where(eq(integrations.id, i.id)),
    ...(await sealStatements(ctx.env, ctx.db, i, { ...grant.secrets }, { now })),
  ]);
  // A refresh response may omit the refresh token (Google): keep the one we have.
  ctx.secrets = { ...ctx.secrets, ...Object.fromEntries(Object.entries(grant.secrets).filter(([, v]) => v)) };
  ctx.account = account;
  ctx.integration = { ...i, tokenExpiresAt: grant.expiresAt };
}

/** Refresh a little before expiry (from the provider's expires_in), never after. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
export const tokenDue = (ctx: SyncContext, now: number) =>
  ctx.integration.tokenExpiresAt !== null && ctx.integration.tokenExpiresAt - now < REFRESH_MARGIN_MS;

/** Marks the integration "needs reconnect" and tells the workspace admins once. */
export async function markNeedsReconnect(ctx: SyncContext, reason: string, now = Date.now()) {
  const changed = await ctx.db
    .update(integrations)
    .set({ status: "needs_reconnect", lastError: reason, updatedAt: now })
    .where(and(eq(integrations.id, ctx.integration.id), isNull(integrations.disconnectedAt)))
    .returning({ id: integrations.id });
  if (changed.length && ctx.integration.status !== "needs_reconnect") {
    await notifyIntegrationFailure(ctx.env, ctx.db, ctx.integration, ctx.connector.name, reason, "needs_reconnect");
  }
  ctx.integration = { ...ctx.integration, status: "needs_reconnect" };
}
