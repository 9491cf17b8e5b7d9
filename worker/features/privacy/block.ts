import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../env";
import { notFound } from "../../lib/errors";

/**
 * An organization scheduled for deletion is closed to every member at once: its routes and its
 * workspaces' routes answer 404 as if it were gone (the privacy center still lets an owner restore it).
 */
export function blockDeletedOrganizations(kind: "org" | "workspace"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = c.req.param(kind === "org" ? "orgId" : "workspaceId");
    if (id) {
      const sql =
        kind === "org"
          ? `SELECT 1 AS gone FROM organizations WHERE id = ? AND deleted_at IS NOT NULL`
          : `SELECT 1 AS gone FROM workspaces w JOIN organizations o ON o.id = w.org_id WHERE w.id = ? AND o.deleted_at IS NOT NULL`;
      if (await c.env.DB.prepare(sql).bind(id).first()) throw notFound(kind === "org" ? "Organization" : "Workspace");
    }
    await next();
  };
}
