import { z } from "zod";

const id = z.string().min(1).max(64);
export const projectParam = z.object({ orgId: id, projectId: id });
export const listProjectsQuery = z.strictObject({ workspaceId: id.optional() });
export const createProjectBody = z.strictObject({ workspaceId: id, name: z.string().trim().min(1).max(120) });
export const updateProjectBody = z.strictObject({ name: z.string().trim().min(1).max(120).optional(), archived: z.boolean().optional() });

export const rateParam = z.object({ orgId: id, rateId: id });
const minor = z.number().int().min(0).max(1_000_000_000);
export const putRateBody = z.strictObject({
  scope: z.enum(["org", "workspace", "project", "person"]),
  /** The workspace, project or user id; omitted for the organization default. */
  targetId: id.optional(),
  hourlyMinor: minor,
  costMinor: minor.nullable().optional(),
});

/** Answers. */
export const projectView = z.object({ id: z.string(), orgId: z.string(), workspaceId: z.string(), name: z.string(), archivedAt: z.number().int().nullable(), createdAt: z.number().int() });
export const projectListView = z.object({ projects: z.array(projectView) });
export const rateView = z.object({ id: z.string(), orgId: z.string(), scope: z.enum(["org", "workspace", "project", "person"]), targetId: z.string(), hourlyMinor: z.number().int(), costMinor: z.number().int().nullable(), updatedAt: z.number().int() });
export const rateListView = z.object({ rates: z.array(rateView) });
