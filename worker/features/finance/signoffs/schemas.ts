import { z } from "zod";

const id = z.string().min(1).max(64);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD").refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "Not a calendar date");

export const signoffParam = z.object({ orgId: id, signoffId: id });
export const portalSignoffParam = z.object({ workspaceId: id, signoffId: id });

export const requestSignoffBody = z.strictObject({
  workspaceId: id,
  /** Omit for every project of the client. */
  projectId: id.nullable().optional(),
  /** Inclusive, by each entry's local day in its own time zone. */
  from: isoDate,
  to: isoDate,
  message: z.string().trim().max(2000).optional(),
});
export const listSignoffsQuery = z.strictObject({ workspaceId: id.optional() });
export const decideSignoffBody = z.strictObject({
  decision: z.enum(["approve", "dispute"]),
  /** Required for a dispute: what the client questions. */
  comment: z.string().trim().max(2000).optional(),
});

/** Answers. */
export const signoffStatusView = z.enum(["pending", "approved", "disputed", "reopened"]);
export const signoffView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  workspaceName: z.string(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  status: signoffStatusView,
  message: z.string(),
  entryCount: z.number().int(),
  totalMinutes: z.number().int(),
  billableMinutes: z.number().int(),
  requestedByName: z.string().nullable(),
  requestedAt: z.number().int(),
  decidedByName: z.string().nullable(),
  decidedAt: z.number().int().nullable(),
  comment: z.string(),
  reopenedAt: z.number().int().nullable(),
  /** The client's portal editors and admins decide; viewers only see. */
  canDecide: z.boolean(),
});
export const signoffEntryView = z.object({
  id: z.string(),
  date: z.string(),
  startedAt: z.number().int(),
  endedAt: z.number().int(),
  minutes: z.number().int(),
  timeZone: z.string(),
  billable: z.boolean(),
  notes: z.string(),
  person: z.string().nullable(),
  project: z.string().nullable(),
});
export const signoffDetailView = signoffView.extend({
  entries: z.array(signoffEntryView),
  byProject: z.array(z.object({ project: z.string(), minutes: z.number().int(), entries: z.number().int() })),
});
export const signoffListView = z.object({ signoffs: z.array(signoffView) });
