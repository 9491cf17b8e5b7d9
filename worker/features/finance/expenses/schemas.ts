import { z } from "zod";

const id = z.string().min(1).max(64);
export const isoDate = z.iso.date().refine((d) => d >= "2000-01-01" && d <= "2099-12-31", "Date must be between 2000 and 2099");
export const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, "An ISO 4217 currency code")
  .transform((s) => s.toUpperCase());
export const EXPENSE_CATEGORIES = ["advertising", "software", "travel", "meals", "equipment", "subcontractors", "stock media", "other"] as const;

export const expenseParam = z.object({ orgId: id, expenseId: id });
export const createExpenseBody = z.strictObject({
  workspaceId: id,
  projectId: id.nullable().optional(),
  date: isoDate,
  amountMinor: z.number().int().min(1).max(100_000_000_000),
  currency,
  category: z.enum(EXPENSE_CATEGORIES),
  vendor: z.string().trim().min(1).max(200),
  notes: z.string().trim().max(2000).optional(),
  billable: z.boolean().optional(),
  /** Markup when re-billed, in basis points (1500 = 15 %). */
  markupBp: z.number().int().min(0).max(100_000).optional(),
});
export const updateExpenseBody = createExpenseBody.omit({ workspaceId: true }).partial().strict();
export const listExpensesQuery = z.strictObject({ from: isoDate.optional(), to: isoDate.optional(), workspaceId: id.optional() });

/** Answers. */
export const expenseView = z.object({
  id: z.string(),
  orgId: z.string(),
  workspaceId: z.string(),
  projectId: z.string().nullable(),
  userId: z.string().nullable(),
  date: z.string(),
  amountMinor: z.number().int(),
  currency: z.string(),
  category: z.string(),
  vendor: z.string(),
  notes: z.string(),
  billable: z.boolean(),
  markupBp: z.number().int(),
  receiptType: z.string().nullable(),
  receiptBytes: z.number().int().nullable(),
  invoiceId: z.string().nullable(),
  invoiceLineId: z.string().nullable(),
  createdAt: z.number().int(),
  hasReceipt: z.boolean(),
  billed: z.boolean(),
});
export const expenseListView = z.object({ expenses: z.array(expenseView) });
