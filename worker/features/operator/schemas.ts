import { z } from "zod";
import { eventSchema as eventView, requestSchema as requestView } from "../privacy";
import { policyVersionView } from "../policy";

export const operatorMeView = z.object({ operator: z.literal(true) });
export const overviewView = z.object({
  requests: z.object({ open: z.number(), overdue: z.number(), nearDue: z.number() }),
  incidents: z.object({ open: z.number(), unnotified: z.number() }),
  lastPurgeRun: z.object({ scheduledAt: z.number(), cron: z.string() }).nullable(),
});
/** A request as operators see it: the requester's email and account beside the user's own view. */
export const operatorRequestView = requestView.extend({ email: z.string(), userId: z.string().nullable() });
export const queueView = z.object({ requests: z.array(operatorRequestView) });
export const operatorRequestEnvelope = z.object({ request: operatorRequestView });
export const operatorRequestDetailView = z.object({ request: operatorRequestView, events: z.array(eventView) });
export const accountView = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), birthDate: z.string(), createdAt: z.number(), deletedAt: z.number().nullable() }),
});
export const childErasureView = z.object({ requestId: z.string(), erased: z.boolean(), rows: z.number(), objects: z.number(), organizations: z.number() });
export const purgeReportsView = z.object({
  reports: z.array(
    z.object({
      runId: z.string(),
      cron: z.string(),
      scheduledAt: z.number(),
      rule: z.string(),
      subjects: z.number(),
      rowsDeleted: z.number(),
      objectsDeleted: z.number(),
      statements: z.number(),
      durationMs: z.number(),
      maxBatchMs: z.number(),
      complete: z.boolean(),
      error: z.string().nullable(),
    }),
  ),
});
export const policiesView = z.object({ versions: z.array(policyVersionView) });
export const publishedView = z.object({ version: policyVersionView });
