// Connecting a Gmail or Outlook mailbox to a workspace (the integrations OAuth state and callback, reused;
// iCloud connects with an app-specific password: icloud.ts),
// listing mailboxes with their sync status, and disconnecting (credentials gone at once, the
// cursor forgotten, mail purged 30 days later by the retention run: P18).
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { mailboxes } from "../../db/schema";
import type { OrgCtx, TenantCtx } from "../../core/context";
import { atLeast, getWorkspaceAccess } from "../../core/tenancy";
import { registerOAuthCompletion, type OAuthCallbackState } from "../../core/oauth-completions";
import { ApiError, notFound } from "../../lib/errors";
import { newId } from "../../lib/ids";
import { readConfig } from "../../env";
import { gmail } from "../../connectors/gmail";
import { outlook } from "../../connectors/outlook";
import type { Connector, Secrets } from "../../connectors/types";
import { ProviderError } from "../../connectors/http";
import { buildRuntime } from "../../connectors/runtime";
import { beginOAuth } from "../integrations";
import { deleteMailboxCredentials, openMailboxSecrets, sealMailboxSecrets } from "./credentials";
import type { MailboxRow } from "./ingest";
import { oauthConnectorOf } from "./tokens";

export const mailboxStub = (env: Env, mailboxId: string) => env.MAILBOX.getByName(mailboxId);

export function mailboxView(row: MailboxRow) {
  return {
    id: row.id, workspaceId: row.workspaceId, provider: row.provider, address: row.address, status: row.status,
    sync: row.sync, messagesSynced: row.messagesSynced, lastSyncAt: row.lastSyncAt, lastError: row.lastError, connectedAt: row.createdAt,
  };
}

export const startGmailConnect = ({ ctx, input }: { ctx: TenantCtx; input: { loginHint?: string } }) => startOAuthConnect(ctx, gmail, input);
export const startOutlookConnect = ({ ctx, input }: { ctx: TenantCtx; input: { loginHint?: string } }) => startOAuthConnect(ctx, outlook, input);

async function startOAuthConnect(ctx: TenantCtx, connector: Connector, input: { loginHint?: string }) {
  const { started, browserNonce } = await beginOAuth({ ctx, input: { connector, fields: {} } });
  const u = new URL(started.authorizeUrl);
  if (input.loginHint) u.searchParams.set("login_hint", input.loginHint);
  return { started: { kind: "redirect" as const, authorizeUrl: u.toString() }, browserNonce };
}

export const settingsUrl = (env: Env, params: Record<string, string>) => `${readConfig(env).APP_URL.replace(/\/$/, "")}/inbox/settings?${new URLSearchParams(params)}`;

/** Stores the grant for the mailbox (a reconnect of the same address updates it) and starts its syncs. */
export async function saveMailbox(env: Env, db: Database, st: OAuthCallbackState, code: string, now = Date.now()): Promise<MailboxRow> {
  const tenant = await getWorkspaceAccess(db, st.userId, st.workspaceId);
  if (!atLeast(tenant.role, "admin")) throw new ApiError("FORBIDDEN", "Only workspace admins can connect mailboxes");
  const connector = oauthConnectorOf(st.provider === "outlook" ? "outlook" : "gmail")!;
  if (connector.auth.kind !== "oauth2") throw new Error(`${connector.id} is an OAuth provider`);
  let grant;
  try {
    grant = await connector.auth.flow.exchange(buildRuntime(env, connector.id), { code, codeVerifier: st.codeVerifier, account: st.account, query: {} });
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "unauthorized" || err.kind === "permanent")) throw new ApiError("UNPROCESSABLE", `${connector.name} refused the authorization: ${err.message}`);
    throw new ApiError("BAD_GATEWAY", `${connector.name} could not be reached; try again in a moment`);
  }
  return storeMailbox(env, db, tenant, connector.id as MailboxRow["provider"], grant.account?.address ?? "", grant, now);
}

/** Inserts (or, for the same address and provider, updates) the mailbox, seals its secrets and starts its syncs. */
export async function storeMailbox(
  env: Env, db: Database, tenant: { orgId: string; workspaceId: string; userId: string }, provider: MailboxRow["provider"], address: string,
  grant: { secrets: Secrets; scopes: string[]; expiresAt: number | null }, now: number,
): Promise<MailboxRow> {
  const [existing] = await db.select().from(mailboxes)
    .where(and(eq(mailboxes.orgId, tenant.orgId), eq(mailboxes.workspaceId, tenant.workspaceId), eq(mailboxes.provider, provider), eq(mailboxes.address, address), isNull(mailboxes.disconnectedAt))).limit(1);
  const fields = { status: "active" as const, scopes: grant.scopes, tokenExpiresAt: grant.expiresAt, lastError: null, updatedAt: now };
  const row: MailboxRow = existing
    ? { ...existing, ...fields }
    : {
        id: newId(), orgId: tenant.orgId, workspaceId: tenant.workspaceId, provider, address, connectedBy: tenant.userId, messagesSynced: 0, lastSyncAt: null,
        sync: { phase: "initial", fetched: 0, estimate: null, historyId: null, waitingUntil: null }, createdAt: now, disconnectedAt: null, ...fields,
      };
  await db.batch([
    existing ? db.update(mailboxes).set(fields).where(eq(mailboxes.id, existing.id)) : db.insert(mailboxes).values(row),
    deleteMailboxCredentials(db, row),
    ...(await sealMailboxSecrets(env, db, row, grant.secrets, now)),
  ]);
  await mailboxStub(env, row.id).start(row.id);
  return row;
}

for (const [provider, who] of [["gmail", "Google"], ["outlook", "Microsoft"]] as const) {
  registerOAuthCompletion(provider, async (env, db, st, query) => {
    if (query.error || !query.code) return settingsUrl(env, { error: query.error_description?.split(/\r?\n| Trace ID:/)[0] ?? query.error ?? `${who} did not grant access` });
    try {
      const row = await saveMailbox(env, db, st, query.code);
      return settingsUrl(env, { connected: provider, mailbox: row.id });
    } catch (err) {
      return settingsUrl(env, { error: err instanceof ApiError ? err.message : "Connecting the mailbox failed; try again" });
    }
  });
}

export async function listWorkspaceMailboxes({ ctx }: { ctx: TenantCtx; input?: undefined }) {
  const rows = await ctx.db.select().from(mailboxes)
    .where(and(eq(mailboxes.orgId, ctx.tenant.orgId), eq(mailboxes.workspaceId, ctx.tenant.workspaceId), isNull(mailboxes.disconnectedAt))).orderBy(desc(mailboxes.createdAt));
  return rows.map(mailboxView);
}

export async function listOrgMailboxes({ ctx }: { ctx: OrgCtx; input?: undefined }) {
  const rows = await ctx.db.select().from(mailboxes).where(and(eq(mailboxes.orgId, ctx.org.orgId), isNull(mailboxes.disconnectedAt))).orderBy(desc(mailboxes.createdAt));
  return rows.map(mailboxView);
}

/** A connected mailbox of the caller's workspace (fetch-or-throw). */
export async function getMailbox({ ctx, input }: { ctx: TenantCtx; input: { id: string } }): Promise<MailboxRow> {
  const [row] = await ctx.db.select().from(mailboxes)
    .where(and(eq(mailboxes.id, input.id), eq(mailboxes.orgId, ctx.tenant.orgId), eq(mailboxes.workspaceId, ctx.tenant.workspaceId), isNull(mailboxes.disconnectedAt))).limit(1);
  if (!row) throw notFound("Mailbox");
  return row;
}

/** The workspace a mailbox id belongs to, for the guard (404 when unknown or disconnected). */
export async function mailboxWorkspace(db: Database, id: string): Promise<string | null> {
  const [row] = await db.select({ workspaceId: mailboxes.workspaceId }).from(mailboxes).where(and(eq(mailboxes.id, id), isNull(mailboxes.disconnectedAt))).limit(1);
  return row?.workspaceId ?? null;
}

/** P18: credentials deleted and syncs stopped now; the mail goes with the retention run 30 days later. */
export async function disconnectMailbox({ ctx, input }: { ctx: TenantCtx; input: { id: string } }) {
  const row = await getMailbox({ ctx, input });
  const secrets = await openMailboxSecrets(ctx.env, ctx.db, row).catch(() => null);
  await ctx.db.batch([
    deleteMailboxCredentials(ctx.db, row),
    ctx.db.update(mailboxes).set({ status: "disconnected", disconnectedAt: ctx.now, updatedAt: ctx.now })
      .where(and(eq(mailboxes.id, row.id), eq(mailboxes.orgId, ctx.tenant.orgId), eq(mailboxes.workspaceId, ctx.tenant.workspaceId))),
  ]);
  await mailboxStub(ctx.env, row.id).stop();
  // Outlook has no revocation endpoint and iCloud's app-specific password is revoked by the user at
  // appleid.apple.com: for both, deleting the credentials is what QWEB can do.
  const connector = oauthConnectorOf(row.provider);
  if (secrets && connector?.auth.kind === "oauth2" && connector.auth.flow.revoke) {
    await connector.auth.flow.revoke(buildRuntime(ctx.env, connector.id), { secrets, account: {} }).catch((err: unknown) => {
      console.warn(JSON.stringify({ level: "warn", event: "revoke-failed", provider: row.provider, mailboxId: row.id, error: err instanceof Error ? err.name : "unknown" }));
    });
  }
}
