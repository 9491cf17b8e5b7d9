import { z } from "zod";

export const incidentView = z.object({
  id: z.string(),
  title: z.string(),
  detectedAt: z.number(),
  deadlineAt: z.number(),
  msToDeadline: z.number(),
  nature: z.string(),
  dataCategories: z.array(z.string()),
  subjectCategories: z.array(z.string()),
  likelyConsequences: z.string(),
  measuresTaken: z.string(),
  authorityNotifiedAt: z.number().nullable(),
  authorityReference: z.string().nullable(),
  usersNotifiedAt: z.number().nullable(),
  alertedAt: z.number().nullable(),
  status: z.enum(["open", "notified", "closed"]),
  late: z.boolean(),
});
const noticeStats = z.object({ users: z.number(), emails: z.number(), lastAt: z.number().nullable() });
export const incidentListView = z.object({ incidents: z.array(incidentView) });
export const incidentEnvelope = z.object({ incident: incidentView });
export const incidentDetailView = z.object({ incident: incidentView, notices: noticeStats });
export const notifiedView = z.object({ notified: z.number(), incident: incidentView, notices: noticeStats });
