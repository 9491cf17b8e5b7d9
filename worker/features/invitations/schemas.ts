import { z } from "zod";
import { birthDate, email } from "../auth";

export const INVITATION_TTL_DAYS = 7;

// 256-bit base64url tokens are 43 characters; leave room without accepting megabytes.
const token = z.string().trim().min(16, "Invitation token is missing or too short").max(200);

export const orgInvitationBody = z.strictObject({ email, role: z.enum(["admin", "member"]) });
export const workspaceInvitationBody = z.strictObject({ email, role: z.enum(["viewer", "editor", "admin"]) });

export const previewBody = z.strictObject({ token });

export const acceptBody = z.strictObject({
  token,
  password: z.string().min(1, "Password is required").max(128),
  name: z.string().trim().min(1, "Name is required").max(120).optional(),
  birthDate: birthDate.optional(),
  /** Optional: the policy version the new account accepts on the invitation page. */
  acceptPolicyVersion: z.string().min(1).max(40).optional(),
});

export const invitationIdParam = z.object({ invitationId: z.string().min(1).max(64) });

export const invitationView = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  workspaceId: z.string().nullable(),
  workspaceName: z.string().nullable(),
  expiresAt: z.number(),
  createdAt: z.number(),
  status: z.enum(["pending", "expired"]),
});
export type InvitationView = z.infer<typeof invitationView>;

export const previewView = z.object({
  email: z.string(),
  role: z.string(),
  orgName: z.string(),
  workspaceName: z.string().nullable(),
  accountExists: z.boolean(),
  expiresAt: z.number(),
});
