import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { and, eq } from "drizzle-orm";
import { integrations } from "../../db/schema";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { atLeast, requireWorkspace, type WorkspaceRole } from "../../core/tenancy";
import { beginOAuth, completeOAuth, connectWithKey, consumeState, queueSync, STATE_TTL_MS, syncStub } from "./connect";
import { disconnectIntegration } from "./disconnect";
import {
  callbackQuery, connectBody, connectedView, connectStartedView, integrationListView, integrationParam, integrationView as integrationSchema, providerParam, runsListView,
  runsQuery, syncQueuedView, syncQuery,
} from "./schemas";
import { connectorOf, getIntegration, integrationAccess, integrationView, latestRuns, listIntegrations, providerCatalog, runsOf, runView } from "./service";
import { readConfig } from "../../env";
import { oauthCompletionFor } from "../../core/oauth-completions";

const tags = ["integrations"];

// The provider names what an integration entry acted on; requireIntegration has already scoped it.
const integrationProvider = async (c: Context<AppEnv>) => {
  const id = c.req.param("integrationId");
  const t = c.get("tenant");
  if (!id || !t) return targetParam("integration", "integrationId")(c);
  // Read after the handler: a disconnect has already marked the row, so this reads it whatever its state.
  const [row] = await c.var.db
    .select({ provider: integrations.provider })
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.orgId, t.orgId), eq(integrations.workspaceId, t.workspaceId)))
    .limit(1);
  return row ? { type: "provider", id: row.provider } : null;
};
const oauthProvider = (c: Context<AppEnv>) => {
  const provider = new URL(c.res.headers.get("location") ?? "http://x").searchParams.get("provider");
  return provider ? { type: "provider", id: provider } : null;
};

/**
 * The nonce that binds an OAuth state to the browser that started the connect: set by the start
 * (a same-origin fetch), sent back only to the callback (Lax: the provider's top-level redirect).
 */
const OAUTH_COOKIE = "qweb_oauth";
const oauthCookie = { path: "/api/integrations/oauth", httpOnly: true, secure: true, sameSite: "Lax" } as const;
/** Sets the browser nonce of a started connect (also used by features that start their own, like mailboxes). */
export const setOAuthBrowserCookie = (c: Context, nonce: string) => setCookie(c, OAUTH_COOKIE, nonce, { ...oauthCookie, maxAge: STATE_TTL_MS / 1000 });

/** `/api/integrations/:integrationId…`: the caller's role on the integration's workspace, or 404. */
function requireIntegration(min: WorkspaceRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const tenant = await integrationAccess(c.var.db, c.var.auth.userId, c.req.param("integrationId") ?? "");
    if (!atLeast(tenant.role, min)) throw new ApiError("FORBIDDEN", "You do not have permission to do this");
    c.set("tenant", tenant);
    await next();
  };
}

export const workspaceIntegrationRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ summary: "List a workspace's connected integrations and the providers it can connect", tags, response: integrationListView }),
    requireWorkspace("viewer"),
    async (c) => {
      const t = c.var.tenant;
      const [rows, runs, queue] = await Promise.all([listIntegrations(c.var.db, t), latestRuns(c.var.db, t), syncStub(c.env, t.workspaceId).status()]);
      const queued = new Set(queue.queued.map((q) => q.integrationId));
      const admin = atLeast(t.role, "admin");
      return c.json({ providers: providerCatalog(), integrations: rows.map((r) => integrationView(r, runs.get(r.id) ?? null, queued.has(r.id), admin)) });
    },
  )
  .post(
    "/:provider/connect",
    doc({
      summary: "Connect a provider: an authorize URL to redirect to (OAuth) or a verified key (201)",
      tags,
      response: connectStartedView,
      alternatives: { 201: { description: "Connected with a verified key", schema: connectedView } },
      activity: { action: "integration.connect", target: targetParam("provider", "provider") },
    }),
    requireWorkspace("admin"),
    validate("param", providerParam),
    validate("json", connectBody),
    async (c) => {
      const connector = connectorOf(c.req.valid("param").provider);
      const { fields } = c.req.valid("json");
      if (connector.auth.kind === "oauth2") {
        const { started, browserNonce } = await beginOAuth(c.env, c.var.db, c.var.tenant, connector, fields);
        setOAuthBrowserCookie(c, browserNonce);
        return c.json(started);
      }
      const row = await connectWithKey(c.env, c.var.db, c.var.tenant, connector, fields);
      return c.json({ kind: "connected" as const, integration: integrationView(row, null, false, true) }, 201);
    },
  );

const spaPage = (env: Env, workspaceId: string | null, params: Record<string, string>) => {
  const base = readConfig(env).APP_URL.replace(/\/$/, "");
  const path = workspaceId ? `/workspaces/${workspaceId}/integrations` : "/integrations";
  return `${base}${path}?${new URLSearchParams(params)}`;
};

export const integrationRoutes = new Hono<AppEnv>()
  .get(
    "/oauth/callback",
    doc({ summary: "OAuth redirect target: checks the state, exchanges the code, stores the tokens encrypted, returns to the app", tags, public: true, status: 302, activity: { action: "integration.oauth.complete", target: oauthProvider } }),
    validate("query", callbackQuery),
    async (c) => {
      const query = c.req.valid("query");
      const nonce = getCookie(c, OAUTH_COOKIE) || undefined;
      deleteCookie(c, OAUTH_COOKIE, oauthCookie);
      const consumed = query.state ? await consumeState(c.env, c.var.db, query.state, nonce) : { refused: "expired" as const };
      if ("refused" in consumed) {
        const error = consumed.refused === "another-browser"
          ? "This connection was started in another browser. Connect again from this browser."
          : "The sign-in link expired or was already used. Connect again.";
        return c.redirect(spaPage(c.env, null, { error }), 302);
      }
      const st = consumed.state;
      // A provider connected outside this framework (a mailbox) finishes in its own feature.
      const elsewhere = oauthCompletionFor(st.provider);
      if (elsewhere) return c.redirect(await elsewhere(c.env, c.var.db, st, query as Record<string, string>), 302);
      const back = (params: Record<string, string>) => c.redirect(spaPage(c.env, st.workspaceId, { provider: st.provider, ...params }), 302);
      if (query.error || !query.code) return back({ error: query.error_description ?? query.error ?? "The provider did not grant access" });
      try {
        await completeOAuth(c.env, c.var.db, st, connectorOf(st.provider), query);
        return back({ connected: st.provider });
      } catch (err) {
        return back({ error: err instanceof ApiError ? err.message : "Connecting failed; try again" });
      }
    },
  )
  .get(
    "/:integrationId",
    doc({ summary: "An integration's status, figures and live sync progress", tags, response: integrationSchema }),
    validate("param", integrationParam),
    requireIntegration("viewer"),
    async (c) => {
      const t = c.var.tenant;
      const row = await getIntegration(c.var.db, t, c.req.valid("param").integrationId);
      const runs = await latestRuns(c.var.db, t);
      return c.json(integrationView(row, runs.get(row.id) ?? null, false, atLeast(t.role, "admin")));
    },
  )
  .get(
    "/:integrationId/runs",
    doc({ summary: "The integration's sync history, newest first", tags, response: runsListView }),
    validate("param", integrationParam),
    validate("query", runsQuery),
    requireIntegration("viewer"),
    async (c) => {
      const row = await getIntegration(c.var.db, c.var.tenant, c.req.valid("param").integrationId);
      const runs = await runsOf(c.var.db, c.var.tenant, row.id, c.req.valid("query").limit);
      const admin = atLeast(c.var.tenant.role, "admin");
      return c.json({ runs: runs.map((r) => runView(r, row.provider, admin)) });
    },
  )
  .post(
    "/:integrationId/sync",
    doc({ summary: "Sync now (editors): queued ahead of scheduled syncs; a duplicate request is coalesced; ?full=true re-reads everything", tags, status: 202, response: syncQueuedView, activity: { action: "integration.sync", target: integrationProvider } }),
    validate("param", integrationParam),
    validate("query", syncQuery),
    requireIntegration("editor"),
    async (c) => {
      const row = await getIntegration(c.var.db, c.var.tenant, c.req.valid("param").integrationId);
      if (row.status === "needs_reconnect") throw new ApiError("CONFLICT", "Reconnect this integration before syncing it");
      return c.json(await queueSync(c.env, row, "manual", c.req.valid("query").full === "true"), 202);
    },
  )
  .delete(
    "/:integrationId",
    doc({
      summary: "Disconnect: revokes and deletes the credentials now; synced data is deleted 30 days later",
      tags,
      status: 204,
      activity: { action: "integration.disconnect", target: integrationProvider },
    }),
    validate("param", integrationParam),
    requireIntegration("admin"),
    async (c) => {
      const row = await getIntegration(c.var.db, c.var.tenant, c.req.valid("param").integrationId);
      await disconnectIntegration(c.env, c.var.db, row);
      return c.body(null, 204);
    },
  );
