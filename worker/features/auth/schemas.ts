import { z } from "zod";

/** Emails are trimmed and lower-cased before they are stored or compared. */
export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address" }))
  .transform((e) => e.toLowerCase());

// ASVS 6.2: at least 12 characters, up to 128, no composition rules.
export const password = z
  .string()
  .min(12, "Password must be at least 12 characters")
  .max(128, "Password must be at most 128 characters");

export const birthDate = z.iso.date({ message: "Birth date must be a date (YYYY-MM-DD)" });

const displayName = z.string().trim().min(1, "Name is required").max(120);

export const signupBody = z.strictObject({
  email,
  password,
  name: displayName,
  organizationName: z.string().trim().min(1, "Organization name is required").max(120),
  organizationKind: z.enum(["agency", "business"]),
  birthDate,
  acceptPolicyVersion: z.string().min(1).max(40),
});

export const loginBody = z.strictObject({ email, password: z.string().min(1).max(128) });

export const userView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  birthDate: z.string(),
  createdAt: z.number(),
});

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, "Enter your current password").max(128),
  newPassword: password,
});

export const resetRequestBody = z.strictObject({ email });

export const resetConfirmBody = z.strictObject({
  token: z.string().min(20, "The reset link is incomplete").max(200),
  password,
});

export const updateMeBody = z.strictObject({ name: displayName.optional() });

export const organizationView = z.object({ id: z.string(), name: z.string(), kind: z.enum(["agency", "business"]), createdAt: z.number(), updatedAt: z.number() });
export const signupView = z.object({ user: userView, organization: organizationView, accessToken: z.string() });
export const loginView = z.object({ user: userView, accessToken: z.string(), policy: z.object({ version: z.string(), acceptanceRequired: z.boolean() }) });
export const tokenView = z.object({ accessToken: z.string() });
export const sessionsView = z.object({
  sessions: z.array(z.object({ id: z.string(), createdAt: z.number(), lastUsedAt: z.number(), ip: z.string().nullable(), userAgent: z.string().nullable(), device: z.string(), current: z.boolean() })),
});
const orgRole = z.enum(["owner", "admin", "member"]);
export const meView = z.object({
  user: userView,
  memberships: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(["agency", "business"]), role: orgRole })),
  portalWorkspaces: z.array(z.object({ workspaceId: z.string(), workspaceName: z.string(), orgId: z.string(), orgName: z.string(), role: z.enum(["viewer", "editor", "admin"]) })),
  /** Platform operator: the web shows the operator console without asking a route bound to 404. */
  isOperator: z.boolean(),
});
export const meUpdatedView = z.object({ user: userView });
