import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { integrations, oauthStates } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { sha256Hex } from "../../lib/hash";
import { b64url, newId, newToken } from "../../lib/ids";
import { vaultFrom } from "../../lib/vault";
import { ProviderError } from "../../connectors/http";
import { buildRuntime, oauthAppOf } from "../../connectors/runtime";
import type { Account, Connector, Secrets, TokenGrant } from "../../connectors/types";
import type { Ctx, TenantCtx } from "../../core/context";
import { getWorkspaceAccess, atLeast } from "../../core/tenancy";
import { oauthCompletionFor } from "../../core/oauth-completions";
import { isSecretField, sealStatements, WEBHOOK_SECRET } from "./credentials";
import { connectorOf, integrationView, queueSync, type IntegrationRow } from "./service";
import { readConfig } from "../../env";

export const STATE_TTL_MS = 10 * 60_000;

function requireApp(env: Env, connector: Connector) {
  const app = oauthAppOf(env, connector.id);
  if (!app) throw new ApiError("UNAVAILABLE", `${connector.name} is not configured on this server`);
  return app;
}

/** The provider's refusal or outage in words a user can act on (never a 5xx for their input). */
function providerFailure(connector: Connector, err: unknown, doing: string): ApiError {
  if (err instanceof ProviderError) {
    if (err.kind === "unauthorized" || err.kind === "permanent") {
      return new ApiError("UNPROCESSABLE", `${connector.name} refused ${doing}: ${err.message}`);
    }
    return new ApiError("BAD_GATEWAY", `${connector.name} could not be reached (${err.kind}); try again in a moment`);
  }
  return new ApiError("BAD_GATEWAY", `${connector.name} answered unexpectedly while ${doing}`);
}

/**
 * The form's fields split into secrets and account coordinates. A secret field is required; the
 * connector itself validates the rest (a malformed shop domain, an optional property id).
 */
function splitInputs(connector: Connector, fields: Record<string, string>) {
  const account: Account = {};
  const secrets: Secrets = {};
  const missing: string[] = [];
  for (const spec of connector.auth.flow.inputs) {
    const value = fields[spec.name]?.trim();
    if (!value) {
      if (spec.secret) missing.push(spec.label);
      continue;
    }
    if (spec.secret && isSecretField(spec.name)) secrets[spec.name] = value;
    else account[spec.name] = value;
  }
  if (missing.length) {
    throw new ApiError("VALIDATION_FAILED", `Missing: ${missing.join(", ")}`, {
      details: missing.map((m) => ({ path: `fields.${m}`, message: "Required" })),
    });
  }
  return { account, secrets };
}

/**
 * OAuth: stores a single-use state (hashed) with the PKCE verifier (sealed) and the hash of a
 * browser nonce, and returns the authorize URL and that nonce (for the starting browser's cookie).
 */
export async function beginOAuth({ ctx, input: { connector, fields } }: { ctx: TenantCtx; input: { connector: Connector; fields: Record<string, string> } }) {
  const { env, db, tenant: t, now } = ctx;
  if (connector.auth.kind !== "oauth2") throw new ApiError("BAD_REQUEST", `${connector.name} connects with a key, not a redirect`);
  const flow = connector.auth.flow;
  requireApp(env, connector);
  const { account } = splitInputs(connector, fields);
  const state = newToken();
  const browserNonce = newToken();
  const id = newId();
  let codeVerifier: string | undefined;
  let codeChallenge: string | undefined;
  if (flow.pkce) {
    codeVerifier = newToken();
    codeChallenge = b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier))));
  }
  const sealed = codeVerifier ? await vaultFrom(env).encrypt(codeVerifier, { orgId: t.orgId, recordId: id, field: "codeVerifier" }) : null;
  let authorizeUrl: string;
  try {
    authorizeUrl = flow.authorizeUrl(buildRuntime(env, connector.id), { state, codeChallenge, account });
  } catch (err) {
    if (err instanceof ProviderError) throw new ApiError("VALIDATION_FAILED", err.message);
    throw err;
  }
  await db.insert(oauthStates).values({
    id, stateHash: await sha256Hex(state), userId: t.userId, orgId: t.orgId, workspaceId: t.workspaceId, provider: connector.id,
    account, codeVerifier: sealed, browserHash: await sha256Hex(browserNonce), createdAt: now, expiresAt: now + STATE_TTL_MS,
  });
  return { started: { kind: "redirect" as const, authorizeUrl }, browserNonce };
}

export type CallbackState = { workspaceId: string; orgId: string; userId: string; provider: string; account: Account; codeVerifier?: string };

export type StateRefusal = "expired" | "another-browser";

/**
 * Consumes a state exactly once, and only from the browser that started it (the nonce of its
 * cookie). Unknown, used or expired → "expired"; a live state without its browser's nonce →
 * "another-browser", left unconsumed so the starting browser can still finish.
 */
export async function consumeState({ ctx: { env, db, now }, input: { state, browserNonce } }: {
  ctx: Ctx; input: { state: string; browserNonce: string | undefined };
}): Promise<{ state: CallbackState } | { refused: StateRefusal }> {
  const stateHash = await sha256Hex(state);
  const live = and(eq(oauthStates.stateHash, stateHash), isNull(oauthStates.usedAt), gt(oauthStates.expiresAt, now));
  const [row] = browserNonce
    ? await db.update(oauthStates).set({ usedAt: now }).where(and(live, eq(oauthStates.browserHash, await sha256Hex(browserNonce)))).returning()
    : [];
  if (!row) {
    const [other] = await db.select({ id: oauthStates.id }).from(oauthStates).where(live).limit(1);
    return { refused: other ? "another-browser" : "expired" };
  }
  const codeVerifier = row.codeVerifier
    ? await vaultFrom(env).decrypt(row.codeVerifier, { orgId: row.orgId, recordId: row.id, field: "codeVerifier" })
    : undefined;
  return { state: { workspaceId: row.workspaceId, orgId: row.orgId, userId: row.userId, provider: row.provider, account: row.account, codeVerifier } };
}

/** The OAuth callback after the state checked out: the user must still administer the workspace. */
export async function completeOAuth({ ctx, input: { state: st, connector, query } }: { ctx: Ctx; input: { state: CallbackState; connector: Connector; query: Record<string, string> } }) {
  const { env, db } = ctx;
  if (connector.auth.kind !== "oauth2") throw new ApiError("BAD_REQUEST", "Not an OAuth provider");
  const tenant = await getWorkspaceAccess(db, st.userId, st.workspaceId);
  if (!atLeast(tenant.role, "admin")) throw new ApiError("FORBIDDEN", "Only workspace admins can connect integrations");
  let grant: TokenGrant;
  try {
    grant = await connector.auth.flow.exchange(buildRuntime(env, connector.id), { code: query.code ?? "", codeVerifier: st.codeVerifier, account: st.account, query });
  } catch (err) {
    throw providerFailure(connector, err, "the authorization");
  }
  return saveConnection({ ctx: { ...ctx, tenant }, input: { connector, grant: { ...grant, account: { ...st.account, ...grant.account } } } });
}

/** API keys: verified with a real call before anything is stored. */
export async function connectWithKey({ ctx, input: { connector, fields } }: { ctx: TenantCtx; input: { connector: Connector; fields: Record<string, string> } }) {
  const { env } = ctx;
  if (connector.auth.kind !== "api-key") throw new ApiError("BAD_REQUEST", `${connector.name} connects through its own sign-in page`);
  const { account, secrets } = splitInputs(connector, fields);
  let verified: { account: Account; label: string };
  try {
    verified = await connector.auth.flow.verify(buildRuntime(env, connector.id), { secrets, account });
  } catch (err) {
    throw providerFailure(connector, err, "the key");
  }
  return saveConnection({ ctx, input: { connector, grant: { secrets, expiresAt: null, scopes: [], account: { ...account, ...verified.account }, label: verified.label } } });
}

/**
 * Creates the integration, or updates the workspace's existing one for the same account (a
 * reconnect), stores the grant's secrets encrypted, and queues the first sync.
 */
async function saveConnection({ ctx, input: { connector, grant } }: { ctx: TenantCtx; input: { connector: Connector; grant: TokenGrant } }) {
  const { env, db, tenant: t, now } = ctx;
  const account = grant.account ?? {};
  const label = grant.label ?? connector.name;
  const accountKey = connector.accountKey?.(account, label) ?? label;
  const [existing] = await db
    .select()
    .from(integrations)
    .where(
      and(
        eq(integrations.orgId, t.orgId), eq(integrations.workspaceId, t.workspaceId), eq(integrations.provider, connector.id),
        eq(integrations.accountKey, accountKey), isNull(integrations.disconnectedAt),
      ),
    )
    .limit(1);
  const fields = { status: "active" as const, label, account, scopes: grant.scopes, tokenExpiresAt: grant.expiresAt, lastError: null, updatedAt: now };
  const row: IntegrationRow = existing
    ? { ...existing, ...fields }
    : {
        id: newId(), orgId: t.orgId, workspaceId: t.workspaceId, provider: connector.id, accountKey, connectedBy: t.userId,
        lastSyncAt: null, rowsSynced: 0, syncIntervalMinutes: 60, createdAt: now, disconnectedAt: null, ...fields,
      };
  const webhookSecret = existing ? undefined : newToken();
  await db.batch([
    existing ? db.update(integrations).set(fields).where(eq(integrations.id, existing.id)) : db.insert(integrations).values(row),
    ...(await sealStatements(env, db, row, { ...grant.secrets }, { replace: true, now })),
    ...(webhookSecret ? await sealStatements(env, db, row, { [WEBHOOK_SECRET]: webhookSecret }, { now }) : []),
  ]);
  if (webhookSecret && connector.webhook?.subscribe) await subscribeWebhooks(env, db, row, connector, grant.secrets, account, webhookSecret);
  await queueSync(env, row, existing ? "manual" : "initial");
  return row;
}

export const webhookUrl = (env: Env, provider: string, integrationId: string) =>
  `${readConfig(env).APP_URL.replace(/\/$/, "")}/api/webhooks/${provider}/${integrationId}`;

async function subscribeWebhooks(env: Env, db: Database, row: IntegrationRow, connector: Connector, secrets: Secrets, account: Account, secret: string) {
  try {
    await connector.webhook!.subscribe!(buildRuntime(env, connector.id), { secrets, account, deliveryUrl: webhookUrl(env, connector.id, row.id), secret });
  } catch (err) {
    // Best effort: scheduled syncs still catch every change; say why live updates are off.
    const reason = `Live updates are off: ${connector.name} did not accept the webhook (${err instanceof Error ? err.message : String(err)})`;
    await db.update(integrations).set({ lastError: reason }).where(eq(integrations.id, row.id));
  }
}

/**
 * Connect a provider: an OAuth connect starts (the authorize URL, and the nonce for the starting
 * browser's cookie); a key is verified with a real call and the integration saved.
 */
export async function connectProvider({ ctx, input: { provider, fields } }: { ctx: TenantCtx; input: { provider: string; fields: Record<string, string> } }) {
  const connector = connectorOf(provider);
  if (connector.auth.kind === "oauth2") return { kind: "redirect" as const, ...(await beginOAuth({ ctx, input: { connector, fields } })) };
  const row = await connectWithKey({ ctx, input: { connector, fields } });
  return { kind: "connected" as const, integration: integrationView(row, null, false, true) };
}

const spaPage = (ctx: Ctx, workspaceId: string | null, params: Record<string, string>) => {
  const base = ctx.config.APP_URL.replace(/\/$/, "");
  const path = workspaceId ? `/workspaces/${workspaceId}/integrations` : "/integrations";
  return `${base}${path}?${new URLSearchParams(params)}`;
};

/**
 * The OAuth callback: consumes the state (only from the browser that started the connect),
 * finishes the connect (or hands it to the feature that owns the provider) and answers where to
 * send the browser, with what happened in words.
 */
export async function finishOAuth({ ctx, input: { query, browserNonce } }: { ctx: Ctx; input: { query: Record<string, string>; browserNonce: string | undefined } }) {
  const consumed = query.state ? await consumeState({ ctx, input: { state: query.state, browserNonce } }) : { refused: "expired" as const };
  if ("refused" in consumed) {
    const error = consumed.refused === "another-browser"
      ? "This connection was started in another browser. Connect again from this browser."
      : "The sign-in link expired or was already used. Connect again.";
    return spaPage(ctx, null, { error });
  }
  const st = consumed.state;
  // A provider connected outside this framework (a mailbox) finishes in its own feature.
  const elsewhere = oauthCompletionFor(st.provider);
  if (elsewhere) return elsewhere(ctx.env, ctx.db, st, query);
  const back = (params: Record<string, string>) => spaPage(ctx, st.workspaceId, { provider: st.provider, ...params });
  if (query.error || !query.code) return back({ error: query.error_description ?? query.error ?? "The provider did not grant access" });
  try {
    await completeOAuth({ ctx, input: { state: st, connector: connectorOf(st.provider), query } });
    return back({ connected: st.provider });
  } catch (err) {
    return back({ error: err instanceof ApiError ? err.message : "Connecting failed; try again" });
  }
}
