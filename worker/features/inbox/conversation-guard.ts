import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../core/context";
import { atLeast, type WorkspaceRole } from "../../core/tenancy";
import { forbidden } from "../../lib/errors";
import { conversationAccess } from "./conversations";

/** `/conversations/:conversationId…`: the caller's role on its workspace (at least `min`), or 404. */
export function requireConversation(min: WorkspaceRole): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const tenant = await conversationAccess(c.var.db, c.var.auth.userId, c.req.param("conversationId") ?? "");
    if (!atLeast(tenant.role, min)) throw forbidden();
    c.set("tenant", tenant);
    c.set("tenantCtx", { ...c.var.ctx, tenant });
    await next();
  };
}
