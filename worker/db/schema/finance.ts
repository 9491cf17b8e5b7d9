import { sql } from "drizzle-orm";
import { sqliteTable, text, integer, index, uniqueIndex } from "drizzle-orm/sqlite-core";
import { declareData, declareStore } from "../registry";
import { users } from "./accounts";
import { organizations, workspaces } from "./tenancy";

/** Per-organization finance settings: currency, invoice numbering sequence, the agency's details. */
export const financeSettings = sqliteTable("finance_settings", {
  orgId: text().primaryKey().references(() => organizations.id, { onDelete: "cascade" }),
  currency: text().notNull(),
  /** e.g. `INV-{YYYY}-{seq:4}`; must contain `{seq}` or `{seq:N}`. */
  invoicePattern: text().notNull(),
  /** The next sequence number; taken with one atomic UPDATE … RETURNING. */
  nextSeq: integer().notNull(),
  paymentTermsDays: integer().notNull(),
  agencyName: text(),
  agencyDetails: text(),
  /** The agency's logo in R2 (`finance/{org}/logo/…`): PNG or JPEG, sniffed; its pixel size for the PDF. */
  logoKey: text(),
  logoType: text({ enum: ["image/png", "image/jpeg"] }),
  logoWidth: integer(),
  logoHeight: integer(),
  logoBytes: integer(),
  updatedAt: integer().notNull(),
});
declareData(financeSettings, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "The agency's invoicing settings and details",
});

export const projects = sqliteTable(
  "projects",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    name: text().notNull(),
    archivedAt: integer(),
    createdAt: integer().notNull(),
  },
  (t) => [index("projects_org_ws_idx").on(t.orgId, t.workspaceId)],
);
declareData(projects, {
  owners: { organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Client projects time and expenses are booked on",
});

export const rateScopes = ["org", "workspace", "project", "person"] as const;
export type RateScope = (typeof rateScopes)[number];

/** Hourly rates; the most specific wins: person → project → client (workspace) → organization. */
export const rates = sqliteTable(
  "rates",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    scope: text({ enum: rateScopes }).notNull(),
    /** The workspace, project or user id; the org id for the organization default. */
    targetId: text().notNull(),
    hourlyMinor: integer().notNull(),
    /** What an hour costs the agency (person rates), for profitability. */
    costMinor: integer(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("rates_target_uq").on(t.orgId, t.scope, t.targetId)],
);
declareData(rates, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Billing and cost rates of the organization, clients, projects and people",
});

export const timeEntries = sqliteTable(
  "time_entries",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    projectId: text().references(() => projects.id, { onDelete: "set null" }),
    taskId: text(),
    /** Cleared when the person's account is erased: the agency's books keep the hours. */
    userId: text().references(() => users.id, { onDelete: "set null" }),
    startedAt: integer().notNull(),
    /** Null while the timer runs. */
    endedAt: integer(),
    /** IANA zone the person logged in; the week view and the invoice dates use it. */
    timeZone: text().notNull(),
    billable: integer({ mode: "boolean" }).notNull(),
    notes: text().notNull(),
    /** The hourly rate the entry was billed at (set when it lands on an invoice). */
    rateMinor: integer(),
    invoiceId: text(),
    invoiceLineId: text(),
    /** The client sign-off request that holds this entry (pending or approved: the entry is locked). */
    signoffId: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    // One running timer per person and organization, enforced by the database under concurrency.
    uniqueIndex("time_entries_running_uq").on(t.orgId, t.userId).where(sql`ended_at IS NULL`),
    index("time_entries_org_user_idx").on(t.orgId, t.userId, t.startedAt),
    index("time_entries_org_ws_idx").on(t.orgId, t.workspaceId, t.startedAt),
    index("time_entries_invoice_idx").on(t.invoiceId),
    index("time_entries_signoff_idx").on(t.signoffId),
  ],
);
declareData(timeEntries, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "user_id", erase: { clear: ["user_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Time logged by people on client work",
});

export const expenses = sqliteTable(
  "expenses",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    projectId: text().references(() => projects.id, { onDelete: "set null" }),
    userId: text().references(() => users.id, { onDelete: "set null" }),
    /** YYYY-MM-DD */
    date: text().notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    category: text().notNull(),
    vendor: text().notNull(),
    notes: text().notNull(),
    billable: integer({ mode: "boolean" }).notNull(),
    /** Markup on re-billing, basis points (1500 = 15 %). */
    markupBp: integer().notNull(),
    receiptKey: text(),
    receiptType: text(),
    receiptBytes: integer(),
    invoiceId: text(),
    invoiceLineId: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index("expenses_org_ws_idx").on(t.orgId, t.workspaceId, t.date), index("expenses_invoice_idx").on(t.invoiceId)],
);
declareData(expenses, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "user_id", erase: { clear: ["user_id"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Expenses incurred for clients, with their receipts",
});

export const invoiceStatuses = ["draft", "sent", "viewed", "partially_paid", "paid", "void"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];
export type BillTo = { name: string; email?: string; address?: string };

export const invoices = sqliteTable(
  "invoices",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text({ enum: ["invoice", "credit_note"] }).notNull(),
    /** The invoice a credit note credits. */
    creditOf: text(),
    number: text().notNull(),
    seq: integer().notNull(),
    status: text({ enum: invoiceStatuses }).notNull(),
    currency: text().notNull(),
    issueDate: text().notNull(),
    dueDate: text().notNull(),
    billTo: text({ mode: "json" }).$type<BillTo>().notNull(),
    notes: text().notNull(),
    terms: text().notNull(),
    subtotalMinor: integer().notNull(),
    discountMinor: integer().notNull(),
    taxMinor: integer().notNull(),
    totalMinor: integer().notNull(),
    paidMinor: integer().notNull(),
    creditedMinor: integer().notNull(),
    /** SHA-256 of the public view token; the token itself is only ever in the email. */
    publicTokenHash: text(),
    publicExpiresAt: integer(),
    pdfKey: text(),
    sentAt: integer(),
    viewedAt: integer(),
    voidedAt: integer(),
    /** When the "due soon" and the "overdue" reminders went out (each once, claimed by the cron). */
    reminderBeforeAt: integer(),
    reminderOverdueAt: integer(),
    createdBy: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [
    uniqueIndex("invoices_number_uq").on(t.orgId, t.number),
    uniqueIndex("invoices_token_uq").on(t.publicTokenHash),
    index("invoices_org_ws_idx").on(t.orgId, t.workspaceId, t.issueDate),
  ],
);
declareData(invoices, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "created_by", erase: { clear: ["created_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: { omit: ["public_token_hash"] },
  purpose: "Invoices and credit notes sent to clients",
});

export type TaxRate = { name: string; bp: number };

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    invoiceId: text().notNull().references(() => invoices.id, { onDelete: "cascade" }),
    position: integer().notNull(),
    description: text().notNull(),
    /** Quantity in thousandths (1.5 h = 1500). */
    quantityMilli: integer().notNull(),
    unitPriceMinor: integer().notNull(),
    discountBp: integer().notNull(),
    taxRates: text({ mode: "json" }).$type<TaxRate[]>().notNull(),
    source: text({ enum: ["manual", "time", "expense"] }).notNull(),
    grossMinor: integer().notNull(),
    discountMinor: integer().notNull(),
    taxMinor: integer().notNull(),
    totalMinor: integer().notNull(),
  },
  (t) => [index("invoice_lines_invoice_idx").on(t.invoiceId, t.position)],
);
declareData(invoiceLines, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Line items of invoices",
});

export const payments = sqliteTable(
  "payments",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    invoiceId: text().notNull().references(() => invoices.id, { onDelete: "cascade" }),
    date: text().notNull(),
    amountMinor: integer().notNull(),
    currency: text().notNull(),
    method: text().notNull(),
    reference: text().notNull(),
    /** For online payments: the provider's id (a Checkout Session), so a redelivered event pays once. */
    externalId: text(),
    recordedBy: text(),
    createdAt: integer().notNull(),
  },
  (t) => [index("payments_org_idx").on(t.orgId, t.date), index("payments_invoice_idx").on(t.invoiceId), uniqueIndex("payments_external_uq").on(t.externalId)],
);
declareData(payments, {
  owners: { organization: "org_id", workspace: "workspace_id", user: { column: "recorded_by", erase: { clear: ["recorded_by"] } } },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Payments received on invoices",
});

declareStore({
  store: "r2",
  name: "finance files (receipts, invoice PDFs)",
  binding: "FILES",
  owners: { organization: "finance/{id}/" },
  retention: { rule: "owner-lifetime" },
  export: true,
  purpose: "Expense receipts and rendered invoice PDFs",
});

/** The agency's own Stripe account for "pay online": its secret key and webhook secret, vault ciphertext only. */
export const financeSecrets = sqliteTable(
  "finance_secrets",
  {
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    /** "stripeSecretKey" | "stripeWebhookSecret" */
    field: text().notNull(),
    ciphertext: text().notNull(),
    keyId: text().notNull(),
    /** A non-secret hint shown in settings (the key's mode and last four characters). */
    hint: text().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("finance_secrets_org_field_uq").on(t.orgId, t.field)],
);
declareData(financeSecrets, {
  owners: { organization: "org_id" },
  retention: { rule: "owner-lifetime" },
  export: { omit: ["ciphertext"] },
  purpose: "The agency's Stripe account used for invoice payments (encrypted; never shown again)",
});

/** Time budgets per client or project and month: hours (in minutes) or money (minor units at the billing rates). */
export const financeBudgets = sqliteTable(
  "finance_budgets",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** Null: the whole client. */
    projectId: text().references(() => projects.id, { onDelete: "cascade" }),
    unit: text({ enum: ["hours", "amount"] }).notNull(),
    /** Minutes for an hours budget, minor units of the organization's currency for an amount budget. */
    monthlyLimit: integer().notNull(),
    /** The highest threshold already announced (80 or 100) and the month it was for (YYYY-MM): once per threshold and month. */
    notifiedPct: integer().notNull(),
    notifiedMonth: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [uniqueIndex("finance_budgets_target_uq").on(t.orgId, t.workspaceId, t.projectId), index("finance_budgets_org_idx").on(t.orgId)],
);
declareData(financeBudgets, {
  owners: { organization: "org_id", workspace: "workspace_id" },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Monthly time budgets of clients and projects and which warnings were sent",
});

export const signoffStatuses = ["pending", "approved", "disputed", "reopened"] as const;
export type SignoffStatus = (typeof signoffStatuses)[number];

/**
 * The agency asks a client to sign off a period's hours. Pending and approved requests hold their
 * entries (`time_entries.signoff_id`), which then refuse edits; a dispute or a reopen releases them.
 */
export const timeSignoffs = sqliteTable(
  "time_signoffs",
  {
    id: text().primaryKey(),
    orgId: text().notNull().references(() => organizations.id, { onDelete: "cascade" }),
    workspaceId: text().notNull().references(() => workspaces.id, { onDelete: "cascade" }),
    /** Null: every project of the client. */
    projectId: text().references(() => projects.id, { onDelete: "set null" }),
    /** YYYY-MM-DD, inclusive, each entry's local day in its own time zone. */
    fromDate: text().notNull(),
    toDate: text().notNull(),
    status: text({ enum: signoffStatuses }).notNull(),
    message: text().notNull(),
    /** What the client was asked to sign: fixed when requested. */
    entryCount: integer().notNull(),
    totalMinutes: integer().notNull(),
    billableMinutes: integer().notNull(),
    requestedBy: text().references(() => users.id, { onDelete: "set null" }),
    decidedBy: text().references(() => users.id, { onDelete: "set null" }),
    decidedAt: integer(),
    comment: text().notNull(),
    reopenedBy: text().references(() => users.id, { onDelete: "set null" }),
    reopenedAt: integer(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (t) => [index("time_signoffs_org_ws_idx").on(t.orgId, t.workspaceId, t.createdAt)],
);
declareData(timeSignoffs, {
  owners: {
    organization: "org_id",
    workspace: "workspace_id",
    // The client's decider; the agency's requester and reopener are cleared by their foreign keys.
    user: { column: "decided_by", erase: { clear: ["decided_by"] } },
  },
  retention: { rule: "owner-lifetime" },
  export: {},
  purpose: "Clients' sign-off of the hours the agency logged for them, with their comments",
});

declareStore({
  store: "r2",
  name: "agency invoice logo",
  binding: "FILES",
  owners: { organization: "finance/{id}/logo/" },
  retention: { rule: "owner-lifetime" },
  export: true,
  purpose: "The agency's logo (PNG or JPEG) drawn on its invoice PDFs",
});
