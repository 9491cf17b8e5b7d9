import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../core/context";
import { doc, validate, targetEmailDomain, targetParam } from "../../lib/validate";
import { requireOrg } from "../../core/tenancy";
import { invitationIdParam, invitationView, orgInvitationBody, createInvitation, listInvitations, revokeInvitation } from "../invitations";
import { memberParam, memberRoleBody, memberView, orgView, updateOrgBody } from "./schemas";
import { changeMemberRole, getOrg, listMembers, removeMember, updateOrg } from "./service";

const tags = ["organizations"];

// Guards run before validation: a foreign organization answers 404 whatever the body holds.
export const orgRoutes = new Hono<AppEnv>()
  .get("/:orgId", doc({ summary: "Get an organization and your role in it", tags, response: orgView }), requireOrg("member"), async (c) =>
    c.json(await getOrg({ ctx: c.var.orgCtx })),
  )
  .patch(
    "/:orgId",
    doc({ summary: "Rename an organization or change its kind (owners and admins)", tags, response: orgView, activity: { action: "organization.update", target: targetParam("organization", "orgId") } }),
    requireOrg("admin"),
    validate("json", updateOrgBody),
    async (c) => c.json(await updateOrg({ ctx: c.var.orgCtx, input: c.req.valid("json") })),
  )
  .get(
    "/:orgId/members",
    doc({ summary: "List the organization's members", tags, response: z.object({ members: z.array(memberView) }) }),
    requireOrg("member"),
    async (c) => c.json({ members: await listMembers({ ctx: c.var.orgCtx }) }),
  )
  .patch(
    "/:orgId/members/:userId",
    doc({ summary: "Change a member's role (owners; admins for admins and members). The last owner stays an owner", tags, response: memberView, activity: { action: "organization.member.role", target: targetParam("user", "userId") } }),
    requireOrg("admin"),
    validate("param", memberParam),
    validate("json", memberRoleBody),
    async (c) => c.json(await changeMemberRole({ ctx: c.var.orgCtx, input: { ...c.req.valid("param"), ...c.req.valid("json") } })),
  )
  .delete(
    "/:orgId/members/:userId",
    doc({
      summary: "Remove a member, or leave the organization yourself. The last owner cannot be removed",
      tags,
      status: 204,
      activity: { action: "organization.member.remove", target: targetParam("user", "userId") },
    }),
    requireOrg("member"),
    validate("param", memberParam),
    async (c) => {
      await removeMember({ ctx: c.var.orgCtx, input: c.req.valid("param") });
      return c.body(null, 204);
    },
  )
  .post(
    "/:orgId/invitations",
    doc({ summary: "Invite someone to the organization as admin or member (owners and admins)", tags, status: 201, response: z.object({ invitation: invitationView }), activity: { action: "organization.invitation.create", target: targetEmailDomain } }),
    requireOrg("admin"),
    validate("json", orgInvitationBody),
    async (c) => {
      const { email, role } = c.req.valid("json");
      const inviter = { userId: c.var.auth.userId, name: c.var.auth.name };
      const invitation = await createInvitation({ ctx: c.var.ctx, input: { orgId: c.var.org.orgId, workspaceId: null, email, role, inviter } });
      return c.json({ invitation }, 201);
    },
  )
  .get(
    "/:orgId/invitations",
    doc({ summary: "Pending invitations of the organization and all its workspaces (owners and admins)", tags, response: z.object({ invitations: z.array(invitationView) }) }),
    requireOrg("admin"),
    async (c) => c.json({ invitations: await listInvitations({ ctx: c.var.ctx, input: { orgId: c.var.org.orgId } }) }),
  )
  .delete(
    "/:orgId/invitations/:invitationId",
    doc({ summary: "Revoke a pending invitation (owners and admins)", tags, status: 204, activity: { action: "organization.invitation.revoke", target: targetParam("invitation", "invitationId") } }),
    requireOrg("admin"),
    validate("param", invitationIdParam),
    async (c) => {
      await revokeInvitation({ ctx: c.var.ctx, input: { orgId: c.var.org.orgId, invitationId: c.req.valid("param").invitationId } });
      return c.body(null, 204);
    },
  );
