import { z } from "zod";

export const workspaceParam = z.object({ workspaceId: z.string().min(1).max(64) });

export const createWorkspaceBody = z.strictObject({
  orgId: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1, "Name is required").max(120),
  description: z.string().trim().max(2000).optional(),
});

export const updateWorkspaceBody = z
  .strictObject({
    name: z.string().trim().min(1, "Name is required").max(120).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to update");

export const workspaceView = z.object({
  id: z.string(),
  orgId: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  role: z.enum(["viewer", "editor", "admin", "org-admin"]),
});
export const workspaceListView = z.object({ workspaces: z.array(workspaceView) });
