import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { portalRoles } from "../../db/schema";
import { doc, validate, targetEmailDomain, targetParam } from "../../lib/validate";
import { requireWorkspace } from "../../core/tenancy";
import { invitationIdParam, invitationView, workspaceInvitationBody, createInvitation, listInvitations, revokeInvitation } from "../invitations";
import { changePortalRole, listPortalUsers, revokePortalUser } from "./portal";

const tags = ["portal users"];
const portalUserView = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(portalRoles), createdAt: z.number() });
const userParam = z.object({ userId: z.string().min(1).max(64) });

/**
 * P02: workspace admins and organization owners/admins manage a workspace's portal users.
 * Guards run before validation, so a foreign workspace answers 404 whatever the body holds.
 */
export const portalRoutes = new Hono<AppEnv>()
  .post(
    "/:workspaceId/invitations",
    doc({ summary: "Invite a portal user to the workspace as viewer, editor or admin (workspace admins)", tags, status: 201, response: z.object({ invitation: invitationView }), activity: { action: "workspace.invitation.create", target: targetEmailDomain } }),
    requireWorkspace("admin"),
    validate("json", workspaceInvitationBody),
    async (c) => {
      const { email, role } = c.req.valid("json");
      const { orgId, workspaceId } = c.var.tenant;
      const inviter = { userId: c.var.auth.userId, name: c.var.auth.name };
      const invitation = await createInvitation({ ctx: c.var.ctx, input: { orgId, workspaceId, email, role, inviter } });
      return c.json({ invitation }, 201);
    },
  )
  .get(
    "/:workspaceId/invitations",
    doc({ summary: "Pending invitations to the workspace (workspace admins)", tags, response: z.object({ invitations: z.array(invitationView) }) }),
    requireWorkspace("admin"),
    async (c) => c.json({ invitations: await listInvitations({ ctx: c.var.ctx, input: { orgId: c.var.tenant.orgId, workspaceId: c.var.tenant.workspaceId } }) }),
  )
  .delete(
    "/:workspaceId/invitations/:invitationId",
    doc({ summary: "Revoke a pending invitation to the workspace (workspace admins)", tags, status: 204, activity: { action: "workspace.invitation.revoke", target: targetParam("invitation", "invitationId") } }),
    requireWorkspace("admin"),
    validate("param", invitationIdParam),
    async (c) => {
      const { orgId, workspaceId } = c.var.tenant;
      await revokeInvitation({ ctx: c.var.ctx, input: { orgId, workspaceId, invitationId: c.req.valid("param").invitationId } });
      return c.body(null, 204);
    },
  )
  .get(
    "/:workspaceId/portal-users",
    doc({ summary: "The workspace's portal users and their roles (editors and above; viewers cannot list people)", tags, response: z.object({ users: z.array(portalUserView) }) }),
    requireWorkspace("editor"),
    async (c) => c.json({ users: await listPortalUsers({ ctx: c.var.tenantCtx }) }),
  )
  .patch(
    "/:workspaceId/portal-users/:userId",
    doc({ summary: "Change a portal user's role (workspace admins)", tags, response: portalUserView, activity: { action: "workspace.portal-user.role", target: targetParam("user", "userId") } }),
    requireWorkspace("admin"),
    validate("param", userParam),
    validate("json", z.strictObject({ role: z.enum(portalRoles) })),
    async (c) => c.json(await changePortalRole({ ctx: c.var.tenantCtx, input: { userId: c.req.valid("param").userId, role: c.req.valid("json").role } })),
  )
  .delete(
    "/:workspaceId/portal-users/:userId",
    doc({ summary: "Revoke a portal user's access to the workspace (workspace admins)", tags, status: 204, activity: { action: "workspace.portal-user.revoke", target: targetParam("user", "userId") } }),
    requireWorkspace("admin"),
    validate("param", userParam),
    async (c) => {
      await revokePortalUser({ ctx: c.var.tenantCtx, input: { userId: c.req.valid("param").userId } });
      return c.body(null, 204);
    },
  );
