import { z } from "zod";
import { orgRoles } from "../../db/schema";

export const orgView = z.object({ id: z.string(), name: z.string(), kind: z.enum(["agency", "business"]), role: z.enum(orgRoles) });

export const updateOrgBody = z
  .strictObject({
    name: z.string().trim().min(1, "Name is required").max(120).optional(),
    kind: z.enum(["agency", "business"]).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to update");

export const memberParam = z.object({ userId: z.string().min(1).max(64) });
export const memberRoleBody = z.strictObject({ role: z.enum(orgRoles) });

export const memberView = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: z.enum(orgRoles),
  createdAt: z.number(),
});
