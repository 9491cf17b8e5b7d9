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
