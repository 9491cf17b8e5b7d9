import { Hono } from "hono";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetParam } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { portalRoutes } from "./portal-routes";
import { createWorkspaceBody, listWorkspacesQuery, updateWorkspaceBody, workspaceListView, workspaceView } from "./schemas";
import { createWorkspace, deleteWorkspace, getWorkspace, toWorkspacePage, updateWorkspace, visibleRowsOf, workspacesVisibleToJson } from "./service";
import { sessionInBatch } from "../../middleware/auth";

export const workspaceRoutes = new Hono<AppEnv>()
  .get(
    "/",
    doc({ summary: "List the workspaces you can access, newest first, a page at a time (cursor)", tags: ["workspaces"], response: workspaceListView }),
    validate("query", listWorkspacesQuery),
    sessionInBatch,
    async (c) => {
      const page = c.req.valid("query");
      const rows = visibleRowsOf(await c.var.withSessionValue(workspacesVisibleToJson({ ctx: c.var.ctx, input: { ...page, userId: c.var.auth.userId } })));
      return c.json(toWorkspacePage(rows, page.limit));
    },
  )
  .post(
    "/",
    doc({
      summary: "Create a workspace (organization owners and admins)",
      tags: ["workspaces"],
      status: 201,
      response: workspaceView,
      activity: { action: "workspace.create", target: (c) => (c.get("org") ? { type: "organization", id: c.get("org").orgId } : null) },
    }),
    validate("json", createWorkspaceBody),
    async (c) => {
      const { workspace, orgRole } = await createWorkspace({ ctx: c.var.ctx, input: { ...c.req.valid("json"), userId: c.var.auth.userId } });
      c.set("org", { userId: c.var.auth.userId, orgId: workspace.orgId, role: orgRole }); // activity attribution
      return c.json(workspace, 201);
    },
  )
  .get(
    "/:workspaceId",
    doc({ summary: "Get a workspace", tags: ["workspaces"], response: workspaceView }),
    requireWorkspace("viewer"),
    async (c) => c.json(await getWorkspace({ ctx: c.var.tenantCtx })),
  )
  .patch(
    "/:workspaceId",
    doc({ summary: "Rename or describe a workspace (workspace admins)", tags: ["workspaces"], response: workspaceView, activity: { action: "workspace.update", target: targetParam("workspace", "workspaceId") } }),
    requireWorkspace("admin"),
    validate("json", updateWorkspaceBody),
    async (c) => c.json(await updateWorkspace({ ctx: c.var.tenantCtx, input: c.req.valid("json") })),
  )
  .delete(
    "/:workspaceId",
    doc({
      summary: "Delete a workspace and everything in it (organization owners and admins)",
      tags: ["workspaces"],
      status: 204,
      activity: { action: "workspace.delete", target: targetParam("workspace", "workspaceId") },
    }),
    requireWorkspace("org-admin"),
    async (c) => {
      await deleteWorkspace({ ctx: c.var.tenantCtx });
      return c.body(null, 204);
    },
  )
  .route("/", portalRoutes);
