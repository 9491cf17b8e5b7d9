// Response shapes from docs/API-PLAN.md (the contract shared with the backend).

export type User = { id: string; email: string; name: string; birthDate?: string; createdAt?: number };
export type OrgRole = "owner" | "admin" | "member";
export type WorkspaceRole = "viewer" | "editor" | "admin" | "org-admin";
export type PortalRole = "viewer" | "editor" | "admin";
export type OrgKind = "agency" | "business";

export type Membership = { id: string; name: string; kind: OrgKind; role: OrgRole };
export type PortalWorkspace = { workspaceId: string; workspaceName: string; orgId: string; orgName: string; role: PortalRole };
export type Me = { user: User; memberships: Membership[]; portalWorkspaces: PortalWorkspace[]; isOperator: boolean };

export type Workspace = {
  id: string;
  orgId: string;
  name: string;
  description: string | null;
  createdAt: number;
  updatedAt: number;
  role: WorkspaceRole;
};

export type OrgMember = { userId: string; name: string; email: string; role: OrgRole; createdAt: number };
export type PortalUser = { userId: string; name: string; email: string; role: PortalRole; createdAt: number };
export type Invitation = {
  id: string;
  email: string;
  role: string;
  workspaceId: string | null;
  workspaceName: string | null;
  expiresAt: number;
  createdAt: number;
  status?: string;
};
export type InvitationPreview = {
  email: string;
  role: string;
  orgName: string;
  workspaceName: string | null;
  accountExists: boolean;
  expiresAt: number;
};
export type Session = { id: string; createdAt: number; lastUsedAt: number | null; ip: string | null; userAgent: string | null; current: boolean };
export type ActivityItem = {
  id: string;
  userId: string | null;
  userName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The HTTP status the action answered (older rows may carry a word). */
  status: number | string | null;
  ip: string | null;
  userAgent: string | null;
  deviceClass: string | null;
  createdAt: number;
};
export type Policy = { version: string; effectiveDate: string };
export type PolicyText = Policy & { title: string; text: string };
export type MailMessage = { id: string; to: string; subject: string; text: string; createdAt: number };
