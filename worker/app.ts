import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./core/context";
import { ApiError, codeForStatus, type ErrorBody } from "./lib/errors";
import { requestContext } from "./middleware/context";
import { securityHeaders } from "./middleware/security-headers";
import { requireAuth } from "./middleware/auth";
import { healthRoutes } from "./features/health";
import { authRoutes, meRoutes } from "./features/auth";
import { workspaceRoutes } from "./features/workspaces";
import { devRoutes } from "./features/dev";
import { orgRoutes } from "./features/orgs";
import { invitationRoutes } from "./features/invitations";
import { openApiRoutes } from "./features/openapi";
import { integrationRoutes, workspaceIntegrationRoutes, vaultRoutes, syncBenchRoutes } from "./features/integrations";
import { webhookRoutes } from "./features/webhooks";
import { requireJsonBody } from "./middleware/json-body";
import { activityLog } from "./middleware/activity";
import { activityRoutes } from "./features/activity";
import { privacyRoutes, accountDeletionRoutes } from "./features/privacy";
import { operatorRoutes } from "./features/operator";
import { notificationRoutes } from "./features/notifications";
import { analyticsRoutes, consentRoutes } from "./features/consent";
import { policyRoutes } from "./features/policy";
import { inboxRoutes, orgInboxRoutes, workspaceInboxRoutes } from "./features/inbox";
import { campaignRoutes } from "./features/campaigns";
import { isLocalEnv } from "./connectors/runtime";
import { agencyDashboardRoutes, dashboardRoutes, metricRoutes } from "./features/dashboards";
import { alertRoutes } from "./features/alerts";
import { reportRoutes, reportShareRoutes } from "./features/reports";
import { taskRoutes } from "./features/tasks";
import { aiJobRoutes, aiOrgRoutes, aiUsageRoutes, aiWorkspaceRoutes } from "./features/ai";
import { contentRoutes } from "./features/content";
import { approvalPolicyRoutes } from "./features/approvals";
import { actionRoutes, orgActionRoutes } from "./features/actions";
import { adsRoutes, orgAdsRoutes } from "./features/ads";
import { agencyWebhookRoutes, financeRoutes, portalFinanceRoutes, publicInvoiceRoutes, publicPayRoutes } from "./features/finance";
import { billingRoutes, planGuard, stripeWebhookRoutes, workspaceLimit } from "./features/billing";
import { publicMediaRoutes, publishBenchRoutes, publishingDevRoutes, publishingRoutes } from "./features/publishing";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Paths under /api that answer without a session; everything else requires a valid JWT. */
const PUBLIC_PREFIXES = ["/api/health", "/api/policy", "/api/auth/", "/api/openapi.json", "/api/webhooks/", "/api/integrations/oauth/callback", "/api/invitations/accept", "/api/invitations/preview", "/api/consent", "/api/privacy/restore", "/api/privacy/download/", "/api/dev/", "/api/report-shares/", "/api/invoice-links/", "/api/public-media/"];
/** The media library's upload takes files up to 100 MB: its route sets its own body limit. */
const isMediaUpload = (path: string) => /^\/api\/workspaces\/[^/]+\/publishing\/media$/.test(path);
export const isPublicPath = (path: string) => PUBLIC_PREFIXES.some((p) => path === p || path.startsWith(p));

export type AppOptions = {
  /** Local mode (APP_ENV development or test): mounts the dev routes and the sync benchmark. */
  local: boolean;
};

export function buildApp({ local }: AppOptions) {
  const app = new Hono<AppEnv>();

  app.use("*", securityHeaders);
  app.use("/api/*", requestContext);
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError("PAYLOAD_TOO_LARGE", "Request body is larger than 1 MB");
    },
  });
  app.use("/api/*", (c, next) => (c.req.method === "POST" && isMediaUpload(c.req.path) ? next() : limit(c, next)));
  app.use("/api/*", requireJsonBody);
  app.use("/api/*", async (c, next) => {
    // Refresh/logout authenticate with the refresh cookie, not a bearer token.
    if (isPublicPath(c.req.path)) return next();
    return requireAuth(c, next);
  });
  app.use("/api/*", activityLog());
  app.use("/api/*", planGuard);

  app.route("/api", healthRoutes);
  app.route("/api/auth", authRoutes);
  app.route("/api/me", meRoutes);
  app.use("/api/workspaces", workspaceLimit);
  app.route("/api/workspaces", workspaceRoutes);
  if (local) app.route("/api/dev", devRoutes);
  app.route("/api/orgs/:orgId/finance", financeRoutes);
  app.route("/api/invoice-links", publicInvoiceRoutes);
  app.route("/api/invoice-links", publicPayRoutes);
  app.route("/api/orgs/:orgId/billing", billingRoutes);
  app.route("/api/orgs", orgRoutes);
  app.route("/api/invitations", invitationRoutes);
  app.route("/api", activityRoutes);
  app.route("/api/workspaces/:workspaceId/integrations", workspaceIntegrationRoutes);
  app.route("/api/workspaces/:workspaceId/dashboard", dashboardRoutes);
  app.route("/api/orgs/:orgId/dashboard", agencyDashboardRoutes);
  app.route("/api/metrics", metricRoutes);
  app.route("/api/workspaces/:workspaceId/alerts", alertRoutes);
  app.route("/api/workspaces/:workspaceId/reports", reportRoutes);
  app.route("/api/report-shares", reportShareRoutes);
  app.route("/api/workspaces/:workspaceId/tasks", taskRoutes);
  app.route("/api/workspaces/:workspaceId/finance", portalFinanceRoutes);
  app.route("/api/integrations", integrationRoutes);
  app.route("/api/workspaces/:workspaceId/inbox", workspaceInboxRoutes);
  app.route("/api/orgs/:orgId/inbox", orgInboxRoutes);
  app.route("/api/inbox", inboxRoutes);
  app.route("/api/workspaces/:workspaceId/campaigns", campaignRoutes);
  app.route("/api/webhooks/stripe/orgs", agencyWebhookRoutes);
  app.route("/api/webhooks/stripe", stripeWebhookRoutes);
  app.route("/api/webhooks", webhookRoutes);
  app.route("/api/operator/vault", vaultRoutes);
  if (local) app.route("/api/dev/sync-bench", syncBenchRoutes);
  if (local) app.route("/api/dev/publish-bench", publishBenchRoutes);
  app.route("/api/me", accountDeletionRoutes);
  app.route("/api/privacy", privacyRoutes);
  app.route("/api/policy", policyRoutes);
  app.route("/api/consent", consentRoutes);
  app.route("/api/analytics", analyticsRoutes);
  app.route("/api/notifications", notificationRoutes);
  app.route("/api/operator", operatorRoutes);
  app.route("/api/workspaces/:workspaceId/ai", aiWorkspaceRoutes);
  app.route("/api/orgs/:orgId/ai", aiOrgRoutes);
  app.route("/api/ai/jobs", aiJobRoutes);
  app.route("/api/ai/usage", aiUsageRoutes);
  app.route("/api", contentRoutes);
  app.route("/api/workspaces/:workspaceId/approval-policies", approvalPolicyRoutes);
  app.route("/api/workspaces/:workspaceId/actions", actionRoutes);
  app.route("/api/orgs/:orgId/actions", orgActionRoutes);
  app.route("/api/workspaces/:workspaceId/ads", adsRoutes);
  app.route("/api/orgs/:orgId/ads", orgAdsRoutes);
  app.route("/api/workspaces/:workspaceId/publishing", publishingRoutes);
  if (local) app.route("/api/workspaces/:workspaceId/publishing", publishingDevRoutes);
  app.route("/api/public-media", publicMediaRoutes);
  app.route("/api", openApiRoutes(app));

  app.notFound((c) => {
    const body: ErrorBody = {
      error: { code: "NOT_FOUND", message: `No route for ${c.req.method} ${c.req.path}`, requestId: c.get("requestId") ?? "" },
    };
    return c.json(body, 404);
  });

  app.onError((err, c) => {
    const requestId = c.get("requestId") ?? crypto.randomUUID();
    if (err instanceof ApiError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message, requestId, ...(err.details !== undefined ? { details: err.details } : {}) } };
      return c.json(body, err.status, err.headers);
    }
    if (err instanceof HTTPException) {
      // Hono's own 4xx (malformed JSON, bad content type) in the common shape.
      const message = err.status === 400 && /json/i.test(err.message) ? "Malformed JSON in request body" : err.message || "Bad request";
      const body: ErrorBody = { error: { code: codeForStatus(err.status), message, requestId } };
      return c.json(body, err.status);
    }
    // Log without request bodies: they may hold passwords or tokens. Drizzle's message also lists
    // the query's bound parameters, so a query error is logged by its cause (D1's error) only.
    const logged = err instanceof Error && err.cause instanceof Error ? err.cause : err;
    console.error(JSON.stringify({ level: "error", requestId, path: c.req.path, method: c.req.method, error: logged instanceof Error ? `${logged.name}: ${logged.message}` : String(err) }));
    const body: ErrorBody = { error: { code: "INTERNAL", message: "Something went wrong on our side", requestId } };
    return c.json(body, 500);
  });

  return app;
}

/** Every route, local ones included: what tests and the route inventory read. */
export const app = buildApp({ local: true });
let productionApp: ReturnType<typeof buildApp> | undefined;

/** The app a request runs through: production never mounts the local-only routes. */
export const appFor = (env: Env) => (isLocalEnv(env) ? app : (productionApp ??= buildApp({ local: false })));
