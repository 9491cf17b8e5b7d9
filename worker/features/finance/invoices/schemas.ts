import { z } from "zod";
import { currency, isoDate } from "../expenses/schemas";
import { PATTERN_HINT, validPattern } from "./numbering";

const id = z.string().min(1).max(64);
const email = z.email().max(254).transform((e) => e.toLowerCase());
export const invoiceParam = z.object({ orgId: id, invoiceId: id });
export const taxRate = z.strictObject({ name: z.string().trim().min(1).max(40), bp: z.number().int().min(0).max(10_000) });
export const lineBody = z.strictObject({
  id: id.optional(),
  description: z.string().trim().min(1).max(500),
  /** Up to three decimals (1.5 hours, 0.25 days). */
  quantity: z.number().min(0).max(1_000_000),
  unitPriceMinor: z.number().int().min(0).max(1_000_000_000_000),
  discountBp: z.number().int().min(0).max(10_000).optional(),
  taxRates: z.array(taxRate).max(4).optional(),
});
export type LineBody = z.infer<typeof lineBody>;
const billTo = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: email.optional(),
  address: z.string().trim().max(1000).optional(),
});
export const createInvoiceBody = z.strictObject({
  workspaceId: id,
  currency: currency.optional(),
  issueDate: isoDate.optional(),
  dueDate: isoDate.optional(),
  billTo: billTo.optional(),
  notes: z.string().max(4000).optional(),
  terms: z.string().max(4000).optional(),
  lines: z.array(lineBody).max(200).optional(),
});
export const updateInvoiceBody = createInvoiceBody.omit({ workspaceId: true }).strict();
export const listInvoicesQuery = z.strictObject({
  workspaceId: id.optional(),
  status: z.enum(["draft", "sent", "viewed", "partially_paid", "paid", "overdue", "void"]).optional(),
  kind: z.enum(["invoice", "credit_note"]).optional(),
});
export const unbilledQuery = z.strictObject({
  workspaceId: id,
  from: isoDate,
  to: isoDate,
  groupBy: z.enum(["project", "person", "entry"]).default("project"),
  currency: currency.optional(),
});
export const fromUnbilledBody = z.strictObject({
  workspaceId: id,
  from: isoDate,
  to: isoDate,
  groupBy: z.enum(["project", "person", "entry"]).default("project"),
  currency: currency.optional(),
  taxRates: z.array(taxRate).max(4).optional(),
  issueDate: isoDate.optional(),
  dueDate: isoDate.optional(),
});
export const sendInvoiceBody = z.strictObject({ to: email.optional(), message: z.string().max(2000).optional() });
export const creditNoteBody = z.strictObject({ lines: z.array(lineBody).min(1).max(200).optional(), notes: z.string().max(4000).optional() });
export const paymentBody = z.strictObject({
  amountMinor: z.number().int().min(1).max(1_000_000_000_000),
  date: isoDate,
  method: z.enum(["bank transfer", "card", "cash", "cheque", "other"]),
  reference: z.string().trim().max(200).optional(),
});
export const settingsBody = z.strictObject({
  currency: currency.optional(),
  invoicePattern: z.string().trim().min(5).max(40).refine(validPattern, PATTERN_HINT).optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
  agencyName: z.string().trim().max(200).nullable().optional(),
  agencyDetails: z.string().trim().max(1000).nullable().optional(),
});
export const tokenParam = z.object({ token: z.string().min(20).max(100) });

/** Answers. */
const taxRateView = z.object({ name: z.string(), bp: z.number().int() });
const billToView = z.object({ name: z.string(), email: z.string().optional(), address: z.string().optional() });
export const invoiceStatusView = z.enum(["draft", "sent", "viewed", "partially_paid", "paid", "overdue", "void"]);
export const invoiceLineView = z.object({
  id: z.string(),
  position: z.number().int(),
  description: z.string(),
  quantity: z.number(),
  unitPriceMinor: z.number().int(),
  discountBp: z.number().int(),
  taxRates: z.array(taxRateView),
  source: z.enum(["manual", "time", "expense"]),
  grossMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
});
const amounts = {
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  taxMinor: z.number().int(),
  totalMinor: z.number().int(),
  paidMinor: z.number().int(),
  creditedMinor: z.number().int(),
  amountDueMinor: z.number().int(),
};
export const invoiceView = z.object({
  id: z.string(),
  orgId: z.string(),
  workspaceId: z.string(),
  kind: z.enum(["invoice", "credit_note"]),
  creditOf: z.string().nullable(),
  number: z.string(),
  seq: z.number().int(),
  status: invoiceStatusView,
  currency: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  billTo: billToView,
  notes: z.string(),
  terms: z.string(),
  ...amounts,
  publicExpiresAt: z.number().int().nullable(),
  sentAt: z.number().int().nullable(),
  viewedAt: z.number().int().nullable(),
  voidedAt: z.number().int().nullable(),
  reminderBeforeAt: z.number().int().nullable(),
  reminderOverdueAt: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  totalFormatted: z.string(),
  hasPdf: z.boolean(),
  lines: z.array(invoiceLineView).optional(),
});
export const invoiceListView = z.object({ invoices: z.array(invoiceView) });
export const creditNoteView = z.object({ creditNote: invoiceView, invoice: invoiceView });
export const financeSettingsView = z.object({
  orgId: z.string(),
  currency: z.string(),
  invoicePattern: z.string(),
  nextSeq: z.number().int(),
  paymentTermsDays: z.number().int(),
  agencyName: z.string().nullable(),
  agencyDetails: z.string().nullable(),
  /** The logo drawn on invoice PDFs (GET /settings/logo serves it). */
  logo: z.object({ type: z.enum(["image/png", "image/jpeg"]), width: z.number().int(), height: z.number().int(), bytes: z.number().int() }).nullable(),
  updatedAt: z.number().int(),
});
export const unbilledPreviewView = z.object({
  currency: z.string(),
  lines: z.array(z.object({ description: z.string(), quantity: z.number(), unitPriceMinor: z.number().int(), totalMinor: z.number().int(), source: z.enum(["manual", "time", "expense"]), entries: z.number().int(), expenses: z.number().int() })),
  totals: z.object({ subtotalMinor: z.number().int(), discountMinor: z.number().int(), taxMinor: z.number().int(), totalMinor: z.number().int() }),
  entryCount: z.number().int(),
  expenseCount: z.number().int(),
  skippedExpenses: z.array(z.object({ id: z.string(), vendor: z.string(), currency: z.string(), amountMinor: z.number().int() })),
});
export const paymentView = z.object({
  id: z.string(),
  orgId: z.string(),
  workspaceId: z.string(),
  invoiceId: z.string(),
  date: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  method: z.string(),
  reference: z.string(),
  externalId: z.string().nullable(),
  recordedBy: z.string().nullable(),
  createdAt: z.number().int(),
});
export const paymentRecordedView = z.object({ payment: paymentView, invoice: invoiceView });
export const paymentListView = z.object({ payments: z.array(paymentView.extend({ invoiceNumber: z.string() })) });
const { id: _lineId, ...publicLine } = invoiceLineView.shape;
export const publicInvoiceView = z.object({
  number: z.string(),
  kind: z.enum(["invoice", "credit_note"]),
  status: invoiceStatusView,
  currency: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  billTo: billToView,
  from: z.object({ name: z.string().nullable(), details: z.string().nullable() }),
  notes: z.string(),
  terms: z.string(),
  ...amounts,
  payOnline: z.boolean(),
  lines: z.array(z.object(publicLine)),
});
export const portalInvoiceListView = z.object({
  invoices: z.array(z.object({ id: z.string(), number: z.string(), kind: z.enum(["invoice", "credit_note"]), status: invoiceStatusView, currency: z.string(), issueDate: z.string(), dueDate: z.string(), totalMinor: z.number().int(), amountDueMinor: z.number().int() })),
});
export const checkoutUrlView = z.object({ url: z.string() });
export const stripeStatusView = z.object({ connected: z.boolean(), hint: z.string().nullable(), connectedAt: z.number().int().nullable() });
export const webhookReceivedView = z.object({ received: z.literal(true), duplicate: z.boolean().optional(), type: z.string().optional() });
