import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";

export const regimes = ["gdpr", "ccpa"] as const;
export type Regime = (typeof regimes)[number];
export const dsrKinds = [
  "access", "portability", "rectification", "erasure", "restriction", "objection", "consent-withdrawal",
  "know", "delete", "opt-out-sale",
] as const;
export type DsrKind = (typeof dsrKinds)[number];
export const dsrStatuses = ["received", "verifying", "in-progress", "completed", "rejected", "cancelled"] as const;
export type DsrStatus = (typeof dsrStatuses)[number];
export const dsrVerifications = ["pending", "session", "password", "email", "manual"] as const;

/**
 * Every data-subject request, self-serve or filed by an operator for an emailed request, with its
 * legal deadline. Kept 3 years to show compliance; the subject's erasure clears what identifies them.
 */
export const dsrRequests = sqliteTable(
  "dsr_requests",
  {
    id: text().primaryKey(),
    userId: text(),
    orgId: text(),
    email: text(),
    regime: text({ enum: regimes }).notNull(),
    kind: text({ enum: dsrKinds }).notNull(),
    source: text({ enum: ["self-serve", "email", "operator"] }).notNull(),
    status: text({ enum: dsrStatuses }).notNull(),
    verification: text({ enum: dsrVerifications }).notNull(),
    details: text(),
    /** JSON array of strings: what was done. */
    actions: text({ mode: "json" }).$type<string[]>().notNull().default([]),
    attachmentKey: text(),
    attachmentName: text(),
    receivedAt: integer().notNull(),
    dueAt: integer().notNull(),
    completedAt: integer(),
    /** The deadline alert already raised: "near-due" then "overdue" (each once). */
    alertLevel: text({ enum: ["near-due", "overdue"] }),
    filedBy: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    index("dsr_requests_due_idx").on(t.status, t.dueAt),
    index("dsr_requests_user_idx").on(t.userId, t.receivedAt),
    index("dsr_requests_org_idx").on(t.orgId),
  ],
);
declareData(dsrRequests, {
  owners: {
    user: { column: "user_id", erase: { clear: ["user_id", "email", "details", "attachment_key", "attachment_name"] } },
    organization: { column: "org_id", erase: { clear: ["org_id"] } },
  },
  retention: { rule: "rolling", months: 36, column: "received_at" },
  export: {},
  purpose: "Data-subject requests: what was asked, when it is due, what was done",
});

/** The audit trail of a request. */
export const dsrEvents = sqliteTable(
  "dsr_events",
  {
    id: text().primaryKey(),
    requestId: text().notNull().references(() => dsrRequests.id, { onDelete: "cascade" }),
    at: integer().notNull(),
    actor: text({ enum: ["user", "operator", "system"] }).notNull(),
    /** The operator's user id; null for the subject themself and the system. */
    operatorId: text(),
    action: text().notNull(),
    note: text(),
  },
  (t) => [index("dsr_events_request_idx").on(t.requestId, t.at)],
);
declareData(dsrEvents, {
  owners: {
    user: { via: { column: "request_id", parent: "dsr_requests" }, erase: { clear: ["note"] } },
  },
  retention: { rule: "rolling", months: 36, column: "at" },
  export: {},
  purpose: "Audit trail of each data-subject request",
});

export const consentCategories = ["functional", "analytics"] as const;
export type ConsentCategory = (typeof consentCategories)[number];

/** Cookie / processing consent of a signed-in user, append-only: the latest row is in force. */
export const consents = sqliteTable(
  "consents",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    functional: integer({ mode: "boolean" }).notNull(),
    analytics: integer({ mode: "boolean" }).notNull(),
    policyVersion: text().notNull(),
    source: text({ enum: ["banner", "settings", "signup"] }).notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [index("consents_user_idx").on(t.userId, t.createdAt)],
);
declareData(consents, {
  owners: { user: "user_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Record of the cookie categories you consented to, and under which policy version",
});

/** Page views and feature use, stored only with analytics consent (P06, P22). */
export const analyticsEvents = sqliteTable(
  "analytics_events",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    orgId: text(),
    kind: text({ enum: ["page_view", "feature"] }).notNull(),
    name: text().notNull(),
    deviceClass: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index("analytics_user_idx").on(t.userId, t.createdAt), index("analytics_org_idx").on(t.orgId, t.createdAt)],
);
declareData(analyticsEvents, {
  owners: { user: "user_id", organization: "org_id" },
  retention: { rule: "rolling", months: 12, column: "created_at" },
  export: {},
  purpose: "Usage analytics (page views, features used), only with analytics consent",
});

/** Privacy policy versions; the latest effective one is in force. */
export const policyVersions = sqliteTable(
  "policy_versions",
  {
    id: text().primaryKey(),
    version: text().notNull(),
    effectiveDate: text().notNull(),
    effectiveAt: integer().notNull(),
    title: text().notNull(),
    text: text().notNull(),
    summary: text(),
    material: integer({ mode: "boolean" }).notNull(),
    publishedAt: integer().notNull(),
    publishedBy: text(),
    /** Announcement fan-out of a material version: users are notified in id order past this cursor. */
    announceCursor: text(),
    announcedAt: integer(),
  },
  (t) => [uniqueIndex("policy_versions_version_uq").on(t.version), index("policy_versions_effective_idx").on(t.effectiveAt)],
);
declareData(policyVersions, {
  owners: { user: { column: "published_by", erase: { clear: ["published_by"] } } },
  retention: { rule: "platform" },
  export: { omit: ["text", "announce_cursor"] },
  purpose: "Published privacy policy versions",
});

/** In-app notifications (policy changes, breach notices, request updates, deadline alerts). */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    kind: text({ enum: ["policy", "breach", "dsr", "dsr-alert", "incident-alert", "erasure", "system", "integration", "alert"] }).notNull(),
    title: text().notNull(),
    body: text().notNull(),
    link: text(),
    createdAt: integer().notNull(),
    readAt: integer(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt)],
);
declareData(notifications, {
  owners: { user: "user_id" },
  retention: { rule: "rolling", months: 12, column: "created_at" },
  export: {},
  purpose: "Messages shown to you in the app",
});

/** Platform operators (QWEB staff): a role apart from customer organizations, granted only by CLI/seed. */
export const operators = sqliteTable(
  "operators",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    grantedBy: text().notNull(),
    createdAt: integer().notNull(),
  },
  (t) => [uniqueIndex("operators_user_uq").on(t.userId)],
);
declareData(operators, {
  owners: { user: "user_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Whether your account is a QWEB platform operator",
});

/** Personal-data breaches (GDPR Art. 33/34): operator-only records with a 72-hour clock. */
export const incidents = sqliteTable(
  "incidents",
  {
    id: text().primaryKey(),
    title: text().notNull(),
    detectedAt: integer().notNull(),
    deadlineAt: integer().notNull(),
    nature: text().notNull(),
    /** JSON arrays of strings. */
    dataCategories: text({ mode: "json" }).$type<string[]>().notNull(),
    subjectCategories: text({ mode: "json" }).$type<string[]>().notNull(),
    likelyConsequences: text().notNull(),
    measuresTaken: text().notNull(),
    authorityNotifiedAt: integer(),
    authorityReference: text(),
    usersNotifiedAt: integer(),
    alertedAt: integer(),
    status: text({ enum: ["open", "notified", "closed"] }).notNull(),
    createdBy: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("incidents_deadline_idx").on(t.usersNotifiedAt, t.deadlineAt)],
);
declareData(incidents, {
  owners: { user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "platform" },
  export: {},
  purpose: "Records of personal-data breaches kept to document them (Art. 33(5))",
});

/** One row per affected user notified of an incident: the record of delivery. */
export const incidentNotices = sqliteTable(
  "incident_notices",
  {
    id: text().primaryKey(),
    incidentId: text().notNull().references(() => incidents.id, { onDelete: "cascade" }),
    userId: text(),
    email: text(),
    notificationId: text(),
    emailMessageId: text(),
    notifiedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("incident_notices_uq").on(t.incidentId, t.userId), index("incident_notices_user_idx").on(t.userId)],
);
declareData(incidentNotices, {
  owners: { user: { column: "user_id", erase: { clear: ["user_id", "email"] } } },
  retention: { rule: "platform" },
  export: {},
  purpose: "When you were notified of a breach, in the app and by email",
});

/** What each retention run removed. No subject ids: counts per rule only. */
export const purgeReports = sqliteTable(
  "purge_reports",
  {
    id: text().primaryKey(),
    runId: text().notNull(),
    cron: text().notNull(),
    scheduledAt: integer().notNull(),
    rule: text().notNull(),
    subjects: integer().notNull(),
    rowsDeleted: integer().notNull(),
    objectsDeleted: integer().notNull(),
    statements: integer().notNull(),
    durationMs: integer().notNull(),
    maxBatchMs: integer().notNull(),
    complete: integer({ mode: "boolean" }).notNull(),
    error: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index("purge_reports_time_idx").on(t.scheduledAt), index("purge_reports_run_idx").on(t.runId)],
);
declareData(purgeReports, {
  owners: {},
  retention: { rule: "rolling", months: 24, column: "scheduled_at" },
  export: false,
  purpose: "Counts of what each retention run removed (no personal data)",
});

/** Asynchronous exports: progress for the privacy center, the archive's parts live in R2. */
export const exportJobs = sqliteTable(
  "export_jobs",
  {
    id: text().primaryKey(),
    userId: text().notNull(),
    status: text({ enum: ["queued", "running", "ready", "failed"] }).notNull(),
    rowsTotal: integer().notNull(),
    rowsDone: integer().notNull(),
    tablesTotal: integer().notNull(),
    tablesDone: integer().notNull(),
    files: integer().notNull(),
    bytes: integer().notNull(),
    error: text(),
    createdAt: integer().notNull(),
    completedAt: integer(),
    expiresAt: integer().notNull(),
  },
  (t) => [index("export_jobs_user_idx").on(t.userId, t.createdAt)],
);
declareData(exportJobs, {
  owners: { user: "user_id" },
  retention: { rule: "expires", column: "expires_at" },
  export: {},
  purpose: "Your data exports and their progress (archives are kept 7 days)",
});

declareStore({
  store: "r2",
  name: "privacy-attachments",
  binding: "FILES",
  owners: { user: "privacy/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: true,
  purpose: "Documents you attach to a privacy request (e.g. proof for a rectification)",
});
declareStore({
  store: "r2",
  name: "export-archives",
  binding: "FILES",
  owners: { user: "exports/{id}/" },
  retention: { rule: "purge-after", days: 7, column: "uploaded" },
  export: false,
  purpose: "The parts of your data exports, kept 7 days for download",
});
declareStore({
  store: "durable-object",
  name: "PrivacyExport",
  binding: "PRIVACY_EXPORT",
  owners: { user: "export:{id}" },
  retention: { rule: "owner-lifetime" },
  export: false,
  purpose: "The progress of your running export and the summary of your last one",
});
