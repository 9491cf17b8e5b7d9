import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../core/context";
import { recordActivity } from "../features/activity";
import { deviceClass } from "../lib/device";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const USER_AGENT_MAX = 400;

/** What the route declared with doc({ activity }); a route that declares nothing (or no route) is "unknown". */
async function described(c: Context<AppEnv>) {
  const decl = c.get("activity");
  if (!decl) return { action: "unknown", targetType: null, targetId: null };
  let target = null;
  try {
    target = (await decl.target?.(c)) ?? null;
  } catch {
    // A target read from a body that failed validation: the entry still names its action.
  }
  return { action: decl.action, targetType: target?.type ?? null, targetId: target?.id ?? null };
}

// Drizzle puts bound parameters into its message; D1's own error (the cause) has none.
const errorText = (err: unknown) => (err instanceof Error ? `${err.name}: ${(err.cause instanceof Error ? err.cause : err).message}` : "error");

/**
 * P06: one activity_log row for every state-changing /api request (except /api/dev), written
 * after the response is built and awaited, so a row is never lost to a cut-short waitUntil.
 * Only metadata is stored: never bodies, query strings, cookies or headers beyond the user agent.
 * The action is the key the route declares, so renaming a route never renames past entries.
 */
export function activityLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!STATE_CHANGING.has(c.req.method) || c.req.path === "/api/dev" || c.req.path.startsWith("/api/dev/")) return;
    const userAgent = c.req.header("user-agent")?.slice(0, USER_AGENT_MAX) || null;
    try {
      const input = {
        ...(await described(c)),
        userId: c.get("auth")?.userId ?? c.get("actorId") ?? null,
        orgId: c.get("tenant")?.orgId ?? c.get("org")?.orgId ?? null,
        status: c.res.status,
        ip: c.var.clientIp ?? null,
        userAgent,
        deviceClass: deviceClass(userAgent),
        createdAt: Date.now(),
      };
      await recordActivity({ ctx: c.var.ctx, input });
    } catch (err) {
      // The action itself succeeded or failed on its own terms; a lost audit row must not turn it into a 500.
      console.error(JSON.stringify({ level: "error", event: "activity-log-failed", requestId: c.var.requestId, error: errorText(err) }));
    }
  };
}
