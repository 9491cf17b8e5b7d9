export { invitationRoutes } from "./routes";
export { invitationIdParam, invitationView, orgInvitationBody, workspaceInvitationBody } from "./schemas";
export { createInvitation, listInvitations, revokeInvitation } from "./service";
