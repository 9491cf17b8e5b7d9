import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../lib/errors";
import { doc, targetParam, validate } from "../../lib/validate";
import { atLeast, requireWorkspace, type WorkspaceRole } from "../../core/tenancy";
import { connectProvider, finishOAuth, STATE_TTL_MS } from "./connect";
import { disconnectIntegration } from "./disconnect";
import {
  callbackQuery, connectBody, connectedView, connectStartedView, integrationListView, integrationParam, integrationView as integrationSchema, providerParam, runsListView,
  runsQuery, syncQueuedView, syncQuery,
} from "./schemas";
import { integrationAccess, integrationDetail, integrationRuns, providerOfIntegration, syncIntegration, workspaceIntegrations } from "./service";

const tags = ["integrations"];

// The provider names what an integration entry acted on; requireIntegration has already scoped it.
const integrationProvider = async (c: Context<AppEnv>) => {
  const id = c.req.param("integrationId");
  const ctx = c.get("tenantCtx");
  if (!id || !ctx) return targetParam("integration", "integrationId")(c);
  // Read after the handler: a disconnect has already marked the row, so this reads it whatever its state.
  const provider = await providerOfIntegration({ ctx, input: { id } });
  return provider ? { type: "provider", id: provider } : null;
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
    const tenant = await integrationAccess({ ctx: c.var.ctx, input: { userId: c.var.auth.userId, id: c.req.param("integrationId") ?? "" } });
    if (!atLeast(tenant.role, min)) throw new ApiError("FORBIDDEN", "You do not have permission to do this");
    c.set("tenant", tenant);
    c.set("tenantCtx", { ...c.var.ctx, tenant });
    await next();
  };
}

export const workspaceIntegrationRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ summary: "List a workspace's connected integrations and the providers it can connect", tags, response: integrationListView }),
    requireWorkspace("viewer"),
    async (c) => c.json(await workspaceIntegrations({ ctx: c.var.tenantCtx })),
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
      const done = await connectProvider({ ctx: c.var.tenantCtx, input: { provider: c.req.valid("param").provider, fields: c.req.valid("json").fields } });
      if (done.kind === "connected") return c.json(done, 201);
      setOAuthBrowserCookie(c, done.browserNonce);
      return c.json(done.started);
    },
  );

export const integrationRoutes = new Hono<AppEnv>()
  .get(
    "/oauth/callback",
    doc({ summary: "OAuth redirect target: checks the state, exchanges the code, stores the tokens encrypted, returns to the app", tags, public: true, status: 302, activity: { action: "integration.oauth.complete", target: oauthProvider } }),
    validate("query", callbackQuery),
    async (c) => {
      const browserNonce = getCookie(c, OAUTH_COOKIE) || undefined;
      deleteCookie(c, OAUTH_COOKIE, oauthCookie);
      return c.redirect(await finishOAuth({ ctx: c.var.ctx, input: { query: c.req.valid("query"), browserNonce } }), 302);
    },
  )
  .get(
    "/:integrationId",
    doc({ summary: "An integration's status, figures and live sync progress", tags, response: integrationSchema }),
    validate("param", integrationParam),
    requireIntegration("viewer"),
    async (c) => c.json(await integrationDetail({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").integrationId } })),
  )
  .get(
    "/:integrationId/runs",
    doc({ summary: "The integration's sync history, newest first", tags, response: runsListView }),
    validate("param", integrationParam),
    validate("query", runsQuery),
    requireIntegration("viewer"),
    async (c) => c.json(await integrationRuns({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").integrationId, limit: c.req.valid("query").limit } })),
  )
  .post(
    "/:integrationId/sync",
    doc({ summary: "Sync now (editors): queued ahead of scheduled syncs; a duplicate request is coalesced; ?full=true re-reads everything", tags, status: 202, response: syncQueuedView, activity: { action: "integration.sync", target: integrationProvider } }),
    validate("param", integrationParam),
    validate("query", syncQuery),
    requireIntegration("editor"),
    async (c) => c.json(await syncIntegration({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").integrationId, full: c.req.valid("query").full === "true" } }), 202),
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
      await disconnectIntegration({ ctx: c.var.tenantCtx, input: { id: c.req.valid("param").integrationId } });
      return c.body(null, 204);
    },
  );
