import { client, type BodyOf, type ResponseOf } from "./client";

export type Org = ResponseOf<"/api/orgs/{orgId}", "get">;
export type OrgMember = ResponseOf<"/api/orgs/{orgId}/members", "get">["members"][number];
export type Invitation = ResponseOf<"/api/orgs/{orgId}/invitations", "get">["invitations"][number];
export type InvitationPreview = ResponseOf<"/api/invitations/preview", "post">;

export const getOrg = (orgId: string) => client.get("/api/orgs/{orgId}", { params: { orgId } });
export const listMembers = (orgId: string) => client.get("/api/orgs/{orgId}/members", { params: { orgId } });
export const changeMemberRole = (orgId: string, userId: string, role: OrgMember["role"]) =>
  client.patch("/api/orgs/{orgId}/members/{userId}", { params: { orgId, userId }, body: { role } });
export const removeMember = (orgId: string, userId: string) => client.delete("/api/orgs/{orgId}/members/{userId}", { params: { orgId, userId } });
export const listOrgInvitations = (orgId: string) => client.get("/api/orgs/{orgId}/invitations", { params: { orgId } });
export const inviteToOrg = (orgId: string, body: BodyOf<"/api/orgs/{orgId}/invitations", "post">) =>
  client.post("/api/orgs/{orgId}/invitations", { params: { orgId }, body });
export const revokeOrgInvitation = (orgId: string, invitationId: string) =>
  client.delete("/api/orgs/{orgId}/invitations/{invitationId}", { params: { orgId, invitationId } });
export const previewInvitation = (token: string) => client.post("/api/invitations/preview", { body: { token }, auth: false });
export const acceptInvitation = (body: BodyOf<"/api/invitations/accept", "post">) => client.post("/api/invitations/accept", { body, auth: false });
