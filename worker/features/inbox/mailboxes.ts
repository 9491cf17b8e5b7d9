// Connecting a Gmail mailbox to a workspace (the integrations OAuth state and callback, reused),
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
import { ProviderError } from "../../connectors/http";
import { buildRuntime } from "../../connectors/runtime";
import { beginOAuth } from "../integrations";
import { deleteMailboxCredentials, openMailboxSecrets, sealMailboxSecrets } from "./credentials";
import type { MailboxRow } from "./ingest";

export const mailboxStub = (env: Env, mailboxId: string) => env.MAILBOX.getByName(mailboxId);

export function mailboxView(row: MailboxRow) {
  return {
    id: row.id, workspaceId: row.workspaceId, provider: row.provider, address: row.address, status: row.status,
    sync: row.sync, messagesSynced: row.messagesSynced, lastSyncAt: row.lastSyncAt, lastError: row.lastError, connectedAt: row.createdAt,
  };
}

export async function startGmailConnect({ ctx, input }: { ctx: TenantCtx; input: { loginHint?: string } }) {
  const { started, browserNonce } = await beginOAuth(ctx.env, ctx.db, ctx.tenant, gmail, {}, ctx.now);
  const u = new URL(started.authorizeUrl);
  if (input.loginHint) u.searchParams.set("login_hint", input.loginHint);
  return { started: { kind: "redirect" as const, authorizeUrl: u.toString() }, browserNonce };
}

const settingsUrl = (env: Env, params: Record<string, string>) => `${readConfig(env).APP_URL.replace(/\/$/, "")}/inbox/settings?${new URLSearchParams(params)}`;

/** Stores the grant for the mailbox (a reconnect of the same address updates it) and starts its syncs. */
export async function saveMailbox(env: Env, db: Database, st: OAuthCallbackState, code: string, now = Date.now()): Promise<MailboxRow> {
  const tenant = await getWorkspaceAccess(db, st.userId, st.workspaceId);
  if (!atLeast(tenant.role, "admin")) throw new ApiError("FORBIDDEN", "Only workspace admins can connect mailboxes");
  if (gmail.auth.kind !== "oauth2") throw new Error("gmail is an OAuth provider");
  let grant;
  try {
    grant = await gmail.auth.flow.exchange(buildRuntime(env, "gmail"), { code, codeVerifier: st.codeVerifier, account: st.account, query: {} });
  } catch (err) {
    if (err instanceof ProviderError && (err.kind === "unauthorized" || err.kind === "permanent")) throw new ApiError("UNPROCESSABLE", `Gmail refused the authorization: ${err.message}`);
    throw new ApiError("BAD_GATEWAY", "Gmail could not be reached; try again in a moment");
  }
  const address = grant.account?.address ?? "";
  const [existing] = await db.select().from(mailboxes)
    .where(and(eq(mailboxes.orgId, tenant.orgId), eq(mailboxes.workspaceId, tenant.workspaceId), eq(mailboxes.address, address), isNull(mailboxes.disconnectedAt))).limit(1);
  const fields = { status: "active" as const, scopes: grant.scopes, tokenExpiresAt: grant.expiresAt, lastError: null, updatedAt: now };
  const row: MailboxRow = existing
    ? { ...existing, ...fields }
    : {
        id: newId(), orgId: tenant.orgId, workspaceId: tenant.workspaceId, provider: "gmail", address, connectedBy: tenant.userId, messagesSynced: 0, lastSyncAt: null,
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

registerOAuthCompletion("gmail", async (env, db, st, query) => {
  if (query.error || !query.code) return settingsUrl(env, { error: query.error_description ?? query.error ?? "Google did not grant access" });
  try {
    const row = await saveMailbox(env, db, st, query.code);
    return settingsUrl(env, { connected: "gmail", mailbox: row.id });
  } catch (err) {
    return settingsUrl(env, { error: err instanceof ApiError ? err.message : "Connecting the mailbox failed; try again" });
  }
});

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
  if (secrets && gmail.auth.kind === "oauth2" && gmail.auth.flow.revoke) {
    await gmail.auth.flow.revoke(buildRuntime(ctx.env, "gmail"), { secrets, account: {} }).catch((err: unknown) => {
      console.warn(JSON.stringify({ level: "warn", event: "revoke-failed", provider: "gmail", mailboxId: row.id, error: err instanceof Error ? err.name : "unknown" }));
    });
  }
}
