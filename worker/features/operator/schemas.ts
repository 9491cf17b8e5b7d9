import { z } from "zod";
import { dsrKinds, dsrStatuses, dsrVerifications } from "../../db/schema";
import { timestampMs } from "../../lib/timestamp";
import { eventSchema as eventView, regime, requestSchema as requestView } from "../privacy";
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

export const fileBody = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  regime: regime.default("gdpr"),
  kind: z.enum(dsrKinds),
  details: z.string().trim().min(1).max(4000),
  /** When the emailed request reached privacy@: its deadline runs from then. */
  receivedAt: timestampMs.optional(),
  orgId: z.string().min(1).max(64).optional(),
});

export const updateBody = z
  .strictObject({
    status: z.enum(dsrStatuses).optional(),
    verification: z.enum(dsrVerifications).optional(),
    action: z.string().trim().min(1).max(500).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
    /** Use the regime's one extension (GDPR +60 days, CCPA +45 days); the requester must be told why. */
    extend: z.literal(true).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

export const publishBody = z.strictObject({
  version: z.string().trim().min(1).max(40),
  effectiveDate: z.iso.date(),
  title: z.string().trim().min(1).max(200),
  text: z.string().min(50).max(200_000),
  summary: z.string().trim().max(2000).optional(),
  material: z.boolean(),
});
export type UpdateBody = z.output<typeof updateBody>;
export type FileBody = z.output<typeof fileBody>;
