import { and, desc, eq, gte, isNull, lte } from "drizzle-orm";
import { expenses } from "../../../db/schema";
import { ApiError, notFound } from "../../../lib/errors";
import { newId } from "../../../lib/ids";
import { getProjectInWorkspace, getWorkspaceInOrg, isOrgAdmin, type FinanceCtx } from "../context";
import { receiptKey, sniffReceipt } from "./receipt";

type Expense = typeof expenses.$inferSelect;
export const expenseView = ({ receiptKey: key, ...e }: Expense) => ({ ...e, hasReceipt: key !== null, billed: e.invoiceId !== null });

export type ExpenseInput = {
  workspaceId: string;
  projectId?: string | null;
  date: string;
  amountMinor: number;
  currency: string;
  category: string;
  vendor: string;
  notes?: string;
  billable?: boolean;
  markupBp?: number;
};

export async function createExpense({ ctx, input }: { ctx: FinanceCtx; input: ExpenseInput }) {
  await getWorkspaceInOrg(ctx, input.workspaceId);
  if (input.projectId) await getProjectInWorkspace(ctx, input.workspaceId, input.projectId);
  const row: Expense = {
    id: newId(),
    orgId: ctx.org.orgId,
    workspaceId: input.workspaceId,
    projectId: input.projectId ?? null,
    userId: ctx.org.userId,
    date: input.date,
    amountMinor: input.amountMinor,
    currency: input.currency,
    category: input.category,
    vendor: input.vendor,
    notes: input.notes ?? "",
    billable: input.billable ?? true,
    markupBp: input.markupBp ?? 0,
    receiptKey: null,
    receiptType: null,
    receiptBytes: null,
    invoiceId: null,
    invoiceLineId: null,
    createdAt: ctx.now,
  };
  await ctx.db.insert(expenses).values(row);
  return expenseView(row);
}

async function getExpense(ctx: FinanceCtx, expenseId: string) {
  const [row] = await ctx.db
    .select()
    .from(expenses)
    .where(and(eq(expenses.id, expenseId), eq(expenses.orgId, ctx.org.orgId), isOrgAdmin(ctx) ? undefined : eq(expenses.userId, ctx.org.userId)))
    .limit(1);
  if (!row) throw notFound("Expense");
  return row;
}

const billedConflict = () => new ApiError("CONFLICT", "This expense is on an invoice; void the invoice to change it");

export async function updateExpense({ ctx, input }: { ctx: FinanceCtx; input: Partial<Omit<ExpenseInput, "workspaceId">> & { expenseId: string } }) {
  const row = await getExpense(ctx, input.expenseId);
  if (row.invoiceId) throw billedConflict();
  const { expenseId, ...patch } = input;
  if (patch.projectId) await getProjectInWorkspace(ctx, row.workspaceId, patch.projectId);
  // An empty patch changes nothing (and an UPDATE without columns is not SQL).
  if (!Object.values(patch).some((v) => v !== undefined)) return expenseView(row);
  const [updated] = await ctx.db
    .update(expenses)
    .set(patch)
    .where(and(eq(expenses.id, expenseId), eq(expenses.orgId, ctx.org.orgId), isNull(expenses.invoiceId)))
    .returning();
  if (!updated) throw billedConflict();
  return expenseView(updated);
}

export async function deleteExpense({ ctx, input }: { ctx: FinanceCtx; input: { expenseId: string } }) {
  const row = await getExpense(ctx, input.expenseId);
  if (row.invoiceId) throw billedConflict();
  await ctx.db.delete(expenses).where(and(eq(expenses.id, row.id), eq(expenses.orgId, ctx.org.orgId), isNull(expenses.invoiceId)));
  if (row.receiptKey) await ctx.env.FILES.delete(row.receiptKey);
}

export async function listExpenses({ ctx, input }: { ctx: FinanceCtx; input: { from?: string; to?: string; workspaceId?: string } }) {
  const rows = await ctx.db
    .select()
    .from(expenses)
    .where(
      and(
        eq(expenses.orgId, ctx.org.orgId),
        isOrgAdmin(ctx) ? undefined : eq(expenses.userId, ctx.org.userId),
        input.workspaceId ? eq(expenses.workspaceId, input.workspaceId) : undefined,
        input.from ? gte(expenses.date, input.from) : undefined,
        input.to ? lte(expenses.date, input.to) : undefined,
      ),
    )
    .orderBy(desc(expenses.date), desc(expenses.createdAt))
    .limit(1000);
  return rows.map(expenseView);
}

/** Stores the receipt in R2 under the organization's prefix, its type sniffed from the bytes. */
export async function attachReceipt({ ctx, input }: { ctx: FinanceCtx; input: { expenseId: string; bytes: Uint8Array } }) {
  const row = await getExpense(ctx, input.expenseId);
  const mime = await sniffReceipt(input.bytes);
  const key = receiptKey(ctx.org.orgId, row.id);
  await ctx.env.FILES.put(key, input.bytes, { httpMetadata: { contentType: mime } });
  const [updated] = await ctx.db
    .update(expenses)
    .set({ receiptKey: key, receiptType: mime, receiptBytes: input.bytes.byteLength })
    .where(and(eq(expenses.id, row.id), eq(expenses.orgId, ctx.org.orgId)))
    .returning();
  return expenseView(updated!);
}

export async function getReceipt({ ctx, input }: { ctx: FinanceCtx; input: { expenseId: string } }) {
  const row = await getExpense(ctx, input.expenseId);
  const obj = row.receiptKey ? await ctx.env.FILES.get(row.receiptKey) : null;
  if (!obj) throw notFound("Receipt");
  return { body: obj.body, type: row.receiptType ?? "application/octet-stream" };
}
