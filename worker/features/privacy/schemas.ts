import { z } from "zod";
import { dsrKinds, dsrStatuses, dsrVerifications, regimes } from "../../db/schema";
import { consentState } from "../consent";
import { acceptanceStatusView } from "../policy";

export const regime = z.enum(regimes);
export const idParam = <K extends string>(name: K) => z.object({ [name]: z.string().min(1).max(64) } as Record<K, z.ZodString>);

export const exportQuery = z.object({ format: z.enum(["json", "zip"]).default("json") });

export const passwordBody = z.strictObject({
  password: z.string().min(1, "Enter your password").max(128),
  /** Which law the request is made under (affects only its deadline and label). */
  regime: regime.default("gdpr"),
});

export const restoreBody = z.strictObject({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address" })),
  password: z.string().min(1).max(128),
});

export const processingBody = z
  .strictObject({ restricted: z.boolean().optional(), objected: z.boolean().optional(), saleOptOut: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

export const orgProcessingBody = z
  .strictObject({ restricted: z.boolean().optional(), objected: z.boolean().optional() })
  .refine((b) => Object.keys(b).length > 0, "Nothing to change");

export const consentBody = z.strictObject({
  functional: z.boolean(),
  analytics: z.boolean(),
  source: z.enum(["banner", "settings"]).default("settings"),
});

/** Requests a user files by hand; access, erasure and the switches have their own self-serve routes. */
export const requestBody = z.strictObject({
  kind: z.enum(["rectification", "access", "erasure", "restriction", "objection", "know", "delete", "portability"]),
  regime: regime.default("gdpr"),
  details: z.string().trim().min(10, "Tell us what the request is about (at least 10 characters)").max(4000),
  orgId: z.string().min(1).max(64).optional(),
});

export const acceptPolicyBody = z.strictObject({ version: z.string().min(1).max(40) });

export const ATTACHMENT_MAX_BYTES = 512 * 1024;
export const attachmentTypes = ["application/pdf", "image/png", "image/jpeg", "text/plain"] as const;
export const attachmentBody = z.strictObject({
  name: z.string().trim().min(1).max(120).regex(/^[\w\-. ]+$/, "Use letters, digits, spaces, dots and dashes"),
  contentType: z.enum(attachmentTypes, { message: "Attach a PDF, PNG, JPEG or text file" }),
  // 512 KB of file is at most ~700 KB of base64.
  dataBase64: z.string().min(1).max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4),
});

export const requestView = z.object({
  id: z.string(),
  regime: z.enum(regimes),
  kind: z.enum(dsrKinds),
  source: z.enum(["self-serve", "email", "operator"]),
  status: z.enum(dsrStatuses),
  verification: z.enum(dsrVerifications),
  details: z.string().nullable(),
  actions: z.array(z.string()),
  attachment: z.object({ name: z.string() }).nullable(),
  receivedAt: z.number(),
  dueAt: z.number(),
  completedAt: z.number().nullable(),
  overdue: z.boolean(),
  orgId: z.string().nullable(),
});
export const eventView = z.object({ id: z.string(), at: z.number(), actor: z.enum(["user", "operator", "system"]), action: z.string(), note: z.string().nullable() });
export const jobView = z.object({
  id: z.string(),
  status: z.enum(["queued", "running", "ready", "failed"]),
  rowsTotal: z.number(),
  rowsDone: z.number(),
  tablesTotal: z.number(),
  tablesDone: z.number(),
  percent: z.number(),
  files: z.number(),
  bytes: z.number(),
  error: z.string().nullable(),
  createdAt: z.number(),
  completedAt: z.number().nullable(),
  expiresAt: z.number(),
  download: z.string().nullable(),
});
export const userFlagsView = z.object({ restricted: z.boolean(), objected: z.boolean(), saleOptOut: z.boolean() });
export const orgFlagsView = z.object({ restricted: z.boolean(), objected: z.boolean() });
export const inventoryItem = z.object({ name: z.string(), kind: z.string(), purpose: z.string(), retention: z.string(), exported: z.boolean(), about: z.array(z.string()) });
const pendingDeletion = z.object({ id: z.string(), name: z.string(), role: z.string(), deletedAt: z.number().nullable(), purgeAfter: z.number().nullable() });

export const overviewView = z.object({
  processing: userFlagsView,
  consent: consentState,
  policy: acceptanceStatusView,
  requests: z.array(requestView),
  exports: z.array(jobView),
  /** The PrivacyExport object's summary of the last export, when there was one. */
  lastExport: z.object({ jobId: z.string(), completedAt: z.number(), rows: z.number(), tables: z.number(), files: z.number(), bytes: z.number() }).nullable(),
  organizations: z.array(
    z.object({ id: z.string(), name: z.string(), role: z.string(), restricted: z.boolean(), objected: z.boolean(), deletedAt: z.number().nullable(), purgeAfter: z.number().nullable() }),
  ),
  pendingDeletions: z.array(pendingDeletion),
  inventory: z.array(inventoryItem),
});
export const inventoryView = z.object({ inventory: z.array(inventoryItem) });
export const jobEnvelope = z.object({ job: jobView });
export const jobsView = z.object({ exports: z.array(jobView) });
/** The small-account export: every table and store that holds the user's data, as JSON. */
export const exportView = z.looseObject({});
export const linkView = z.object({ url: z.string(), expiresIn: z.number() });
export const processingView = z.object({ processing: userFlagsView });
export const orgProcessingView = z.object({ processing: orgFlagsView });
export const consentsView = z.object({
  consent: consentState,
  history: z.array(z.object({ functional: z.boolean(), analytics: z.boolean(), policyVersion: z.string(), source: z.string(), at: z.number() })),
});
export const consentView = z.object({ consent: consentState });
export const requestsView = z.object({ requests: z.array(requestView) });
export const requestEnvelope = z.object({ request: requestView });
export const requestDetailView = z.object({ request: requestView, events: z.array(eventView) });
export const orgDeletionView = z.object({ orgId: z.string(), deletedAt: z.number(), purgeAfter: z.number() });
export const restoredView = z.object({ restored: z.literal(true) });
export const accountDeletionView = z.object({ deletedAt: z.number(), purgeAfter: z.number(), organizations: z.array(z.object({ id: z.string(), name: z.string() })) });
