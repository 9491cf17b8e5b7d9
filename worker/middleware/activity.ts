import type { Context, Hono, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../core/context";
import { describeRequest, deviceClass, recordActivity } from "../features/activity";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const USER_AGENT_MAX = 400;

/** The endpoint's own route (not a `use` middleware's wildcard); undefined when nothing matched. */
const endpointPath = (c: Context<AppEnv>) => matchedRoutes(c).findLast((r) => r.method !== "ALL")?.path;

// Drizzle puts bound parameters into its message; D1's own error (the cause) has none.
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : "error");

/**
 * P06: one activity_log row for every state-changing /api request (except /api/dev), written
 * after the response is built and awaited, so a row is never lost to a cut-short waitUntil.
 * Only metadata is stored: never bodies, query strings, cookies or headers beyond the user agent.
 * `app` is read lazily to tell collection POSTs (creates) from action POSTs.
 */
export function activityLog(app: Hono<AppEnv>): MiddlewareHandler<AppEnv> {
  let listable: Set<string> | undefined;
  const isListable = (path: string) => (listable ??= new Set(app.routes.filter((r) => r.method === "GET").map((r) => r.path))).has(path);

  return async (c, next) => {
    await next();
    if (!STATE_CHANGING.has(c.req.method) || c.req.path === "/api/dev" || c.req.path.startsWith("/api/dev/")) return;
    const route = endpointPath(c);
    const described = route
      ? describeRequest(c.req.method, route, c.req.path, isListable)
      : { action: "unknown", targetType: null, targetId: null };
    const userAgent = c.req.header("user-agent")?.slice(0, USER_AGENT_MAX) || null;
    try {
      await recordActivity(c.var.db, {
        ...described,
        userId: c.get("auth")?.userId ?? c.get("actorId") ?? null,
        orgId: c.get("tenant")?.orgId ?? c.get("org")?.orgId ?? null,
        status: c.res.status,
        ip: c.var.clientIp ?? null,
        userAgent,
        deviceClass: deviceClass(userAgent),
        createdAt: Date.now(),
      });
    } catch (err) {
      // The action itself succeeded or failed on its own terms; a lost audit row must not turn it into a 500.
      console.error(JSON.stringify({ level: "error", event: "activity-log-failed", requestId: c.var.requestId, error: errorText(err) }));
    }
  };
}
