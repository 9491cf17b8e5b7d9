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
  /** IANA zone where the workspace's days begin (dashboards, reports, alerts). */
  timeZone: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  role: z.enum(["viewer", "editor", "admin", "org-admin"]),
});
export const workspaceListView = z.object({ workspaces: z.array(workspaceView), nextCursor: z.string().nullable() });
/** Opaque to clients: base64url of "<createdAt>_<id>", the last row of the previous page. */
const cursor = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const m = /^(\d{1,15})_([\w-]{1,64})$/.exec(Buffer.from(s, "base64url").toString("utf8"));
    if (!m) {
      ctx.addIssue({ code: "custom", message: "Invalid cursor" });
      return z.NEVER;
    }
    return { createdAt: Number(m[1]), id: m[2]! };
  });
export type WorkspaceCursor = z.output<typeof cursor>;
export const encodeCursor = (c: WorkspaceCursor) => Buffer.from(`${c.createdAt}_${c.id}`).toString("base64url");

export const listWorkspacesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursor.optional(),
  /** Part of the name, case-insensitive (the switcher's search). */
  q: z.string().trim().min(1).max(120).optional(),
});
export type ListWorkspacesQuery = z.output<typeof listWorkspacesQuery>;
